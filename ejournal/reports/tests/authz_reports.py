"""Access expectations for the school reports (see ejournal/tests/test_authorization.py).

The school's reports: its director and deputy head. A class's reports and documents: those two and the
class teacher of that class (the other class's teacher, the coordinator, district and city roles: refused;
district and city roles see aggregates elsewhere, never a school's lists of children).
"""

from ejournal.access.roles import Role

SCHOOL = {Role.DIRECTOR, Role.DEPUTY_HEAD}
CLASS = SCHOOL | {Role.CLASS_TEACHER}


def _cls(w) -> dict:
    return {"pk": w.cls.pk}


def _foreign(w) -> dict:
    return {"pk": w.foreign_cls.pk}


def _other(w) -> dict:
    return {"pk": w.other_cls.pk}


def _letter(w) -> dict:
    return {"pk": w.cls.pk, "student_id": w.student.pk}


def _foreign_letter(w) -> dict:
    return {"pk": w.foreign_cls.pk, "student_id": w.foreign_student.pk}


def _sibling_letter(w) -> dict:
    """A student of another class through this class's address."""
    return {"pk": w.cls.pk, "student_id": w.sibling.pk}


CLASS_ENTRY = {"allowed": CLASS, "kwargs": _cls, "foreign_kwargs": _foreign}

AUTHZ = {
    "reports:school": {"allowed": SCHOOL},
    "reports:school_xlsx": {"allowed": SCHOOL},
    "reports:school_pdf": {"allowed": SCHOOL},
    "reports:classes": {"allowed": CLASS},
    "reports:class": CLASS_ENTRY,
    "reports:class_xlsx": CLASS_ENTRY,
    "reports:class_pdf": CLASS_ENTRY,
    "reports:sheet": CLASS_ENTRY,
    "reports:sheet_xlsx": CLASS_ENTRY,
    "reports:sheet_pdf": CLASS_ENTRY,
    "reports:letter": {
        "allowed": CLASS,
        "kwargs": _letter,
        "foreign_kwargs": _foreign_letter,
        "not_found": [(SCHOOL | {Role.CLASS_TEACHER}, _sibling_letter)],
    },
}
