"""The timetable's one kind of file, for the core import framework."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

from ejournal.core.imports.kinds import ImportKinds
from ejournal.core.imports.readers import ImportFileError
from ejournal.people.imports.base import SchoolContext

from .importer import TimetableImporter

TIMETABLE_KINDS = ImportKinds(
    name="timetable",
    importers={TimetableImporter.kind: TimetableImporter},
    entity_labels={"lessons": gettext_lazy("Уроки в расписании"), "rooms": gettext_lazy("Кабинеты")},
    context=SchoolContext,
    run_task="ejournal.timetable.imports.service.timetable_import_run",
    # A class's new week that breaks a timetable rule rejects the whole file with that rule's message.
    refusals=(ImportFileError, ValidationError),
)
