"""The two kinds of planning file and the names of what they count."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from ejournal.core.imports.kinds import ImportKinds
from ejournal.people.imports.base import SchoolContext

from .importers import AssignmentImporter, CurriculumImporter

PLAN_KINDS = ImportKinds(
    name="plan",
    importers={cls.kind: cls for cls in (CurriculumImporter, AssignmentImporter)},
    entity_labels={"lines": gettext_lazy("Строки учебного плана"), "assignments": gettext_lazy("Нагрузка")},
    context=SchoolContext,
    run_task="ejournal.curriculum.imports.service.plan_import_run",
)
