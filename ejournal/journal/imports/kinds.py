"""The journal's table of import kinds: the thematic plan, and the name of what it counts."""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy

from ejournal.core.imports.kinds import ImportKinds

from .importers import ThematicPlanImporter


def _no_background_context(school_id: int):
    # A job knows only its school; a plan needs its assignment, so it is imported in the request.
    raise ImproperlyConfigured("journal imports run in the request: see journal.imports.service")


JOURNAL_KINDS = ImportKinds(
    name="journal",
    importers={ThematicPlanImporter.kind: ThematicPlanImporter},
    entity_labels={"topics": gettext_lazy("Темы планирования")},
    context=_no_background_context,
    run_task="",
)
