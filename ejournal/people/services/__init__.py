"""Writes of a school's roster: classes, subgroups, students and their moves, guardians, staff, credentials.

Every function runs in one transaction and writes its audit record there.
Bad input raises `ValidationError` with a Russian message before anything is
written (and the transaction rolls back whatever came before the check).
Authorization is the caller's job (views check the access policy); the
services keep the invariants: one open enrolment per student, moves dated
after the current enrolment started, classes of the student's own school.
"""

from .classes import class_create, class_update, subgroup_create, subgroup_delete, subgroup_member_set, subgroup_rename
from .guardians import (
    guardian_create,
    guardian_esia_subject_set,
    guardian_link,
    guardian_match,
    guardian_unlink,
    guardian_update,
)
from .staff import (
    STAFF_ROLES,
    Credential,
    appointment_add,
    appointment_end,
    class_credentials_issue,
    credentials_issue,
    staff_add,
)
from .students import (
    student_admit,
    student_create,
    student_depart,
    student_transfer,
    student_transfer_to_school,
    student_update,
)

__all__ = [
    "STAFF_ROLES",
    "Credential",
    "appointment_add",
    "appointment_end",
    "class_create",
    "class_credentials_issue",
    "class_update",
    "credentials_issue",
    "guardian_create",
    "guardian_esia_subject_set",
    "guardian_link",
    "guardian_match",
    "guardian_unlink",
    "guardian_update",
    "staff_add",
    "student_admit",
    "student_create",
    "student_depart",
    "student_transfer",
    "student_transfer_to_school",
    "student_update",
    "subgroup_create",
    "subgroup_delete",
    "subgroup_member_set",
    "subgroup_rename",
]
