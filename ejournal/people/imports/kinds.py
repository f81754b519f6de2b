"""The kinds of roster file, in the order a school loads them, and the names of what they count."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from ejournal.core.imports.base import Importer
from ejournal.core.imports.kinds import ImportKinds

from .base import SchoolContext
from .classes import ClassImporter
from .family import StudentGuardianImporter
from .guardians import GuardianImporter
from .staff import StaffImporter
from .students import StudentImporter

IMPORTERS: dict[str, type[Importer]] = {
    cls.kind: cls for cls in (StaffImporter, ClassImporter, StudentImporter, GuardianImporter, StudentGuardianImporter)
}

# Entity keys of the report, in the order shown, with their Russian names.
ENTITY_LABELS = {
    "classes": gettext_lazy("Классы"),
    "students": gettext_lazy("Обучающиеся"),
    "guardians": gettext_lazy("Родители"),
    "links": gettext_lazy("Связи родителей с детьми"),
    "staff": gettext_lazy("Сотрудники"),
    "appointments": gettext_lazy("Назначения"),
}

ROSTER_KINDS = ImportKinds(
    name="roster",
    importers=IMPORTERS,
    entity_labels=ENTITY_LABELS,
    context=SchoolContext,
    run_task="ejournal.people.imports.service.roster_import_run",
)
