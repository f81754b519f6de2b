"""The kinds of roster file, in the order a school loads them."""

from __future__ import annotations

from .base import Importer
from .classes import ClassImporter
from .family import StudentGuardianImporter
from .guardians import GuardianImporter
from .staff import StaffImporter
from .students import StudentImporter

IMPORTERS: dict[str, type[Importer]] = {
    cls.kind: cls for cls in (StaffImporter, ClassImporter, StudentImporter, GuardianImporter, StudentGuardianImporter)
}


def kind_choices() -> list[tuple[str, str]]:
    return [(kind, cls.title) for kind, cls in IMPORTERS.items()]
