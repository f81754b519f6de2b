"""Access expectations for the school roster pages (see ejournal/tests/test_authorization.py)."""

from ejournal.access.roles import Role
from ejournal.people.models import RoleAssignment
from ejournal.schools.models import Subgroup

ADMINS = {Role.DIRECTOR, Role.DEPUTY_HEAD, Role.JOURNAL_COORDINATOR}
STAFF_MANAGERS = {Role.DIRECTOR, Role.JOURNAL_COORDINATOR}
# The class teacher persona leads world.cls, where world.student studies.
CLASS_STAFF = ADMINS | {Role.CLASS_TEACHER}
POST_ONLY = {"allowed": set(), "post_only": True}


def _cls(w):
    return {"pk": w.cls.pk}


def _foreign_cls(w):
    return {"pk": w.foreign_cls.pk}


def _student(w):
    return {"pk": w.student.pk}


def _foreign_student(w):
    return {"pk": w.foreign_student.pk}


def _guardian(w):
    return {"pk": w.guardian.pk}


def _foreign_guardian(w):
    return {"pk": w.foreign_guardian.pk}


def _foreign_subgroup(w):
    subgroup, _ = Subgroup.objects.get_or_create(school=w.other_school, school_class=w.foreign_cls, name="Группа 1")
    return {"pk": subgroup.pk}


def _assignment(w):
    return {"pk": RoleAssignment.objects.get(user=w.other_teacher, school=w.school).pk}


def _foreign_assignment(w):
    return {"pk": RoleAssignment.objects.get(user=w.foreign_teacher).pk}


AUTHZ = {
    "people:classes": {"allowed": ADMINS | {Role.TEACHER, Role.CLASS_TEACHER}},
    "people:class_create": {"allowed": ADMINS},
    "people:class_detail": {"allowed": CLASS_STAFF, "kwargs": _cls, "foreign_kwargs": _foreign_cls},
    "people:class_edit": {"allowed": ADMINS, "kwargs": _cls, "foreign_kwargs": _foreign_cls},
    "people:subgroup_create": {"allowed": CLASS_STAFF, "kwargs": _cls, "foreign_kwargs": _foreign_cls},
    "people:class_slips": {"allowed": CLASS_STAFF, "kwargs": _cls, "foreign_kwargs": _foreign_cls},
    "people:subgroup_edit": {
        "allowed": CLASS_STAFF,
        "kwargs": lambda w: {"pk": w.subgroup.pk},
        "foreign_kwargs": _foreign_subgroup,
    },
    "people:subgroup_delete": {**POST_ONLY, "kwargs": lambda w: {"pk": w.subgroup.pk}},
    "people:subgroup_members": {
        "allowed": CLASS_STAFF,
        "kwargs": lambda w: {"pk": w.subgroup.pk},
        "foreign_kwargs": _foreign_subgroup,
    },
    "people:students": {"allowed": ADMINS},
    "people:student_create": {"allowed": ADMINS},
    "people:student_detail": {"allowed": CLASS_STAFF, "kwargs": _student, "foreign_kwargs": _foreign_student},
    "people:student_edit": {"allowed": ADMINS, "kwargs": _student, "foreign_kwargs": _foreign_student},
    "people:student_transfer": {"allowed": ADMINS, "kwargs": _student, "foreign_kwargs": _foreign_student},
    "people:student_transfer_school": {"allowed": ADMINS, "kwargs": _student, "foreign_kwargs": _foreign_student},
    "people:student_admit": {"allowed": ADMINS, "kwargs": _student, "foreign_kwargs": _foreign_student},
    "people:student_depart": {"allowed": ADMINS, "kwargs": _student, "foreign_kwargs": _foreign_student},
    "people:student_credentials": {**POST_ONLY, "kwargs": _student},
    "people:guardians": {"allowed": ADMINS},
    "people:guardian_create": {"allowed": ADMINS},
    "people:guardian_detail": {"allowed": ADMINS, "kwargs": _guardian, "foreign_kwargs": _foreign_guardian},
    "people:guardian_edit": {"allowed": ADMINS, "kwargs": _guardian, "foreign_kwargs": _foreign_guardian},
    "people:guardian_esia": {"allowed": ADMINS, "kwargs": _guardian, "foreign_kwargs": _foreign_guardian},
    "people:guardian_link": {"allowed": ADMINS, "kwargs": _guardian, "foreign_kwargs": _foreign_guardian},
    "people:guardian_credentials": {**POST_ONLY, "kwargs": _guardian},
    "people:guardian_unlink": {**POST_ONLY, "kwargs": lambda w: {"pk": w.guardian.links.first().pk}},
    "people:staff": {"allowed": ADMINS},
    "people:staff_add": {"allowed": STAFF_MANAGERS},
    "people:staff_detail": {
        "allowed": ADMINS,
        "kwargs": lambda w: {"user_id": w.other_teacher.pk},
        "foreign_kwargs": lambda w: {"user_id": w.foreign_teacher.pk},
    },
    "people:appointment_add": {
        "allowed": STAFF_MANAGERS,
        "kwargs": lambda w: {"user_id": w.other_teacher.pk},
        "foreign_kwargs": lambda w: {"user_id": w.foreign_teacher.pk},
    },
    "people:staff_credentials": {**POST_ONLY, "kwargs": lambda w: {"user_id": w.other_teacher.pk}},
    "people:staff_second_factor_reset": {**POST_ONLY, "kwargs": lambda w: {"user_id": w.other_teacher.pk}},
    "people:appointment_end": {"allowed": STAFF_MANAGERS, "kwargs": _assignment, "foreign_kwargs": _foreign_assignment},
    # Any class teacher may print slips: the teacher persona leads 5 «Б» and passes too.
    "people:slips": {"allowed": CLASS_STAFF | {Role.TEACHER}},
}
