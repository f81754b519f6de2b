"""The one access policy: named rules, default deny.

Every view declares the rule that guards it (see `decorators.py`); every
object-level decision is `check(actor, "rule_name", obj)`. A rule is a pure
function of the acting `Actor` and the target's attributes, so this module
imports no models and every app can use it without importing upwards.

Targets are duck-typed: school-scoped objects carry `school_id`; students
carry `id`, `school_id` and `school_class_id` (the current class); classes
carry `id` and `school_id`; schools carry `id` and `district_id`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied

from .roles import CITY_ROLES, SCHOOL_ADMIN_ROLES, SCHOOL_STAFF_ROLES, VENDOR_SYSTEM, Role


@dataclass(frozen=True)
class Actor:
    """Who is acting, in which role, and which objects that role reaches.

    Built once per request by the portal's middleware from the user's active
    role; everything here is ids, so rules never query the database.
    """

    user_id: int | None
    role: str | None = None
    municipality_id: int | None = None
    district_id: int | None = None
    school_id: int | None = None
    # Schools reached by a district or city role.
    school_ids: frozenset[int] = field(default_factory=frozenset)
    # Classes a teacher teaches or leads; classes a class teacher leads.
    class_ids: frozenset[int] = field(default_factory=frozenset)
    led_class_ids: frozenset[int] = field(default_factory=frozenset)
    # Children of a guardian; the student's own id for a student.
    student_ids: frozenset[int] = field(default_factory=frozenset)
    is_superuser: bool = False

    @property
    def is_authenticated(self) -> bool:
        return self.user_id is not None and self.role is not None

    @property
    def user_id_required(self) -> int:
        """`user_id` where a person must be acting (a write's author): the anonymous actor is refused."""
        if self.user_id is None:
            raise PermissionDenied("a signed-in user is required")
        return self.user_id

    @property
    def municipality_id_required(self) -> int:
        """`municipality_id` where only a city role gets in (the view's rule admits no other): else refused."""
        if self.municipality_id is None:
            raise PermissionDenied("a city role is required")
        return self.municipality_id

    @property
    def school_id_required(self) -> int:
        """`school_id` where only a school role gets in (the view's rule admits no other): else refused."""
        if self.school_id is None:
            raise PermissionDenied("a school role is required")
        return self.school_id


ANONYMOUS = Actor(user_id=None)

Rule = Callable[[Actor, Any], bool]
RULES: dict[str, Rule] = {}


def rule(func: Rule) -> Rule:
    """Register a named rule; its name is the function's name."""
    RULES[func.__name__] = func
    return func


def check(actor: Actor, name: str, target: Any = None) -> bool:
    """Tell whether `actor` passes rule `name` on `target`; unknown rules deny."""
    func = RULES.get(name)
    if func is None or not actor.is_authenticated:
        return False
    return bool(func(actor, target))


def enforce(actor: Actor, name: str, target: Any = None) -> None:
    """Raise PermissionDenied unless `check` passes."""
    if not check(actor, name, target):
        raise PermissionDenied(name)


# --- building blocks ------------------------------------------------------------


def _school_of(actor: Actor, target: Any) -> int | None:
    if target is None:
        return actor.school_id
    return getattr(target, "school_id", None)


def _is_school_admin_of(actor: Actor, school_id: int | None) -> bool:
    return actor.role in SCHOOL_ADMIN_ROLES and school_id is not None and school_id == actor.school_id


def _is_staff_of(actor: Actor, school_id: int | None) -> bool:
    return actor.role in SCHOOL_STAFF_ROLES and school_id is not None and school_id == actor.school_id


def _oversees(actor: Actor, school_id: int | None) -> bool:
    """District and city roles read the schools of their territory."""
    if actor.role == Role.DISTRICT_OFFICER or actor.role in CITY_ROLES:
        return school_id in actor.school_ids
    return False


# --- any signed-in role ----------------------------------------------------------


@rule
def is_signed_in(actor: Actor, target: Any) -> bool:
    return True


# --- organisation ----------------------------------------------------------------


@rule
def can_view_city(actor: Actor, target: Any) -> bool:
    if actor.role not in CITY_ROLES:
        return False
    return target is None or getattr(target, "id", None) == actor.municipality_id


@rule
def can_view_district(actor: Actor, target: Any) -> bool:
    district_id = actor.district_id if target is None else getattr(target, "id", None)
    if actor.role == Role.DISTRICT_OFFICER:
        return district_id == actor.district_id
    if actor.role in CITY_ROLES:
        return target is None or getattr(target, "municipality_id", None) == actor.municipality_id
    return False


@rule
def can_view_school(actor: Actor, target: Any) -> bool:
    school_id = actor.school_id if target is None else getattr(target, "id", None)
    return _is_staff_of(actor, school_id) or _oversees(actor, school_id)


@rule
def can_manage_school(actor: Actor, target: Any) -> bool:
    """Director, deputy head and coordinator keep their school's roster."""
    school_id = actor.school_id if target is None else getattr(target, "id", None)
    return _is_school_admin_of(actor, school_id)


# --- classes and people ----------------------------------------------------------------


@rule
def can_view_class(actor: Actor, target: Any) -> bool:
    if target is None:
        return actor.role in SCHOOL_STAFF_ROLES
    school_id = target.school_id
    if _is_school_admin_of(actor, school_id):
        return True
    return _is_staff_of(actor, school_id) and target.id in actor.class_ids


@rule
def can_manage_class(actor: Actor, target: Any) -> bool:
    """Subgroups and class lists: school administration, or the class teacher."""
    if target is None:
        return _is_school_admin_of(actor, actor.school_id)
    if _is_school_admin_of(actor, target.school_id):
        return True
    return _is_staff_of(actor, target.school_id) and target.id in actor.led_class_ids


@rule
def can_view_student(actor: Actor, target: Any) -> bool:
    if actor.role in (Role.GUARDIAN, Role.STUDENT):
        return target.id in actor.student_ids
    if _is_school_admin_of(actor, target.school_id):
        return True
    return _is_staff_of(actor, target.school_id) and target.school_class_id in actor.class_ids


@rule
def can_manage_student(actor: Actor, target: Any) -> bool:
    """Enrol, transfer, edit a student: school administration only."""
    return _is_school_admin_of(actor, _school_of(actor, target))


@rule
def can_issue_credentials(actor: Actor, target: Any) -> bool:
    """Credentials for a student or guardian: administration, or the class teacher.

    `target` is a student (for a guardian's slip, the child the slip is for).
    """
    if target is None:
        return _is_school_admin_of(actor, actor.school_id) or bool(actor.led_class_ids)
    if _is_school_admin_of(actor, target.school_id):
        return True
    return _is_staff_of(actor, target.school_id) and target.school_class_id in actor.led_class_ids


@rule
def can_manage_staff(actor: Actor, target: Any) -> bool:
    """Staff and positions: the director and the coordinator appoint."""
    school_id = _school_of(actor, target)
    return actor.role in (Role.DIRECTOR, Role.JOURNAL_COORDINATOR) and school_id == actor.school_id


@rule
def can_import_roster(actor: Actor, target: Any) -> bool:
    return _is_school_admin_of(actor, _school_of(actor, target))


@rule
def can_view_own_diary(actor: Actor, target: Any) -> bool:
    return actor.role in (Role.GUARDIAN, Role.STUDENT) and bool(actor.student_ids)


# --- year setup, curriculum and teaching assignments (issue 3) --------------------------


@rule
def can_plan_school(actor: Actor, target: Any) -> bool:
    """Terms, holidays, study week, curriculum and assignments: the deputy head and the director edit."""
    return actor.role in (Role.DIRECTOR, Role.DEPUTY_HEAD) and _school_of(actor, target) == actor.school_id


@rule
def can_view_school_plan(actor: Actor, target: Any) -> bool:
    """The school's year setup, curriculum and assignments: its administration reads them."""
    return _is_school_admin_of(actor, _school_of(actor, target))


@rule
def can_view_own_assignments(actor: Actor, target: Any) -> bool:
    """«Моя нагрузка»: a teacher reads the assignments that are his or her own."""
    if actor.role not in (Role.TEACHER, Role.CLASS_TEACHER):
        return False
    if target is None:
        return actor.school_id is not None
    return getattr(target, "teacher_id", None) == actor.user_id and target.school_id == actor.school_id


# --- timetable and dated lessons ----------------------------------------------------


@rule
def can_plan_timetable(actor: Actor, target: Any) -> bool:
    """Bells, rooms, the weekly timetable, lesson changes, generation: the director and the deputy head."""
    school_id = _school_of(actor, target)
    return actor.role in (Role.DIRECTOR, Role.DEPUTY_HEAD) and school_id is not None and school_id == actor.school_id


@rule
def can_view_timetable(actor: Actor, target: Any) -> bool:
    """A class's timetable: school administration, or a teacher who teaches or leads the class."""
    if target is None:
        return actor.role in SCHOOL_STAFF_ROLES
    if _is_school_admin_of(actor, target.school_id):
        return True
    return _is_staff_of(actor, target.school_id) and target.id in actor.class_ids


@rule
def can_view_teacher_timetable(actor: Actor, target: Any) -> bool:
    """A teacher's timetable (`target` carries the teacher's `id` and the `school_id`): administration or themself."""
    if target is None:
        return actor.role in SCHOOL_STAFF_ROLES
    if _is_school_admin_of(actor, target.school_id):
        return True
    return _is_staff_of(actor, target.school_id) and target.id == actor.user_id


@rule
def can_view_room_timetable(actor: Actor, target: Any) -> bool:
    return _is_school_admin_of(actor, _school_of(actor, target))


@rule
def can_view_own_lessons(actor: Actor, target: Any) -> bool:
    """The teacher's «Сегодня»: lessons they teach or substitute."""
    return actor.role in (Role.TEACHER, Role.CLASS_TEACHER) and actor.school_id is not None


@rule
def can_view_own_corrections(actor: Actor, target: Any) -> bool:
    """«Мои запросы»: the correction requests a teacher filed in their school, with the decisions."""
    return actor.role in (Role.TEACHER, Role.CLASS_TEACHER) and actor.school_id is not None


@rule
def can_keep_lesson(actor: Actor, lesson: Any) -> bool:
    """Fill the journal for a lesson: its teacher or its substitute, in the lesson's school."""
    if lesson is None or not _is_staff_of(actor, lesson.school_id):
        return False
    return actor.user_id is not None and actor.user_id in (lesson.teacher_id, lesson.substitute_id)


# --- the journal (issue 4) ------------------------------------------------------------------


def _admin_keeps_journal() -> bool:
    """The Regulation's `admin_may_keep_journal` (city-wide setting, see ejournal/journal/rules.py)."""
    from django.conf import settings

    return bool((getattr(settings, "EJ_JOURNAL_RULES", None) or {}).get("admin_may_keep_journal", False))


@rule
def can_keep_journal(actor: Actor, target: Any) -> bool:
    """Write marks, attendance, topic, homework, period marks.

    `target` is a lesson (its teacher or its substitute) or a teaching
    assignment (its teacher); the director and the deputy head too when the
    Regulation lets administration keep journals.
    """
    if target is None:
        return actor.role in (Role.TEACHER, Role.CLASS_TEACHER) or (
            actor.role in (Role.DIRECTOR, Role.DEPUTY_HEAD) and _admin_keeps_journal()
        )
    school_id = getattr(target, "school_id", None)
    if not _is_staff_of(actor, school_id):
        return False
    if actor.role in (Role.DIRECTOR, Role.DEPUTY_HEAD) and _admin_keeps_journal():
        return True
    keepers = (getattr(target, "teacher_id", None), getattr(target, "substitute_id", None))
    return actor.role in (Role.TEACHER, Role.CLASS_TEACHER) and actor.user_id in keepers


@rule
def can_view_journal(actor: Actor, target: Any) -> bool:
    """Read a journal (a lesson or an assignment, carrying `school_class_id`): its keepers,
    the school's administration, and the class teacher of the class."""
    if target is None:
        return actor.role in SCHOOL_STAFF_ROLES
    if can_keep_journal(actor, target) or _is_school_admin_of(actor, target.school_id):
        return True
    return _is_staff_of(actor, target.school_id) and getattr(target, "school_class_id", None) in actor.led_class_ids


@rule
def can_approve_correction(actor: Actor, target: Any) -> bool:
    """Approve or reject a late correction of the journal: the deputy head and the director."""
    school_id = _school_of(actor, target)
    return actor.role in (Role.DIRECTOR, Role.DEPUTY_HEAD) and school_id is not None and school_id == actor.school_id


@rule
def can_close_term(actor: Actor, target: Any) -> bool:
    """Close a term for a class or the whole school: the deputy head and the director."""
    school_id = _school_of(actor, target)
    return actor.role in (Role.DIRECTOR, Role.DEPUTY_HEAD) and school_id is not None and school_id == actor.school_id


# --- the diary (issue 5) ----------------------------------------------------------------


@rule
def can_read_diary(actor: Actor, target: Any) -> bool:
    """Read a child's diary (week, marks, files): the student themself or a linked guardian; read only."""
    if actor.role not in (Role.GUARDIAN, Role.STUDENT):
        return False
    return bool(actor.student_ids) if target is None else getattr(target, "id", None) in actor.student_ids


@rule
def can_acknowledge_diary_week(actor: Actor, target: Any) -> bool:
    """«Ознакомлен»: only a guardian, for a linked child."""
    if actor.role != Role.GUARDIAN:
        return False
    return bool(actor.student_ids) if target is None else getattr(target, "id", None) in actor.student_ids


@rule
def can_print_diary_extract(actor: Actor, target: Any) -> bool:
    """The printable extract of marks and absences: the family, or the class teacher of the student's class
    and the school's journal coordinator (they print it for families without internet)."""
    if actor.role in (Role.GUARDIAN, Role.STUDENT):
        return can_read_diary(actor, target)
    if actor.role == Role.JOURNAL_COORDINATOR:
        return actor.school_id is not None if target is None else _is_school_admin_of(actor, target.school_id)
    if actor.role != Role.CLASS_TEACHER:
        return False
    if target is None:
        return bool(actor.led_class_ids)
    return _is_staff_of(actor, target.school_id) and target.school_class_id in actor.led_class_ids


# --- the municipal service: parents' applications (issue 5) ----------------------------------


@rule
def can_view_service_register(actor: Actor, target: Any) -> bool:
    """The register of applications for the municipal service: the school's administration reads it."""
    return _is_school_admin_of(actor, _school_of(actor, target))


@rule
def can_handle_service_application(actor: Actor, target: Any) -> bool:
    """Match, check, grant or refuse an application, withdraw a consent: the director and the coordinator."""
    school_id = _school_of(actor, target)
    if school_id is None or school_id != actor.school_id:
        return False
    return actor.role in (Role.DIRECTOR, Role.JOURNAL_COORDINATOR)


# --- notifications (issue 5) ----------------------------------------------------------------


@rule
def can_manage_notifications(actor: Actor, target: Any) -> bool:
    """Own e-mail digest settings: a guardian, or a student with a login.

    `target` (optional) is the person the settings are for (carrying `user_id`): only one's own.
    """
    if actor.role not in (Role.GUARDIAN, Role.STUDENT) or actor.user_id is None:
        return False
    return target is None or getattr(target, "user_id", None) == actor.user_id


@rule
def can_print_extracts_for_families(actor: Actor, target: Any) -> bool:
    """The staff side of printed extracts: the coordinator, or a class teacher for the led class."""
    return actor.role in (Role.JOURNAL_COORDINATOR, Role.CLASS_TEACHER) and can_print_diary_extract(actor, target)


# --- the city layer: rollout schedule, monthly report (issue 6) ---------------------------


def _district_or_city_reaches(actor: Actor, target: Any) -> bool:
    """A district officer reaches the own district's objects (`district_id`), city roles the city's."""
    if actor.role == Role.DISTRICT_OFFICER:
        return target is None or getattr(target, "district_id", None) == actor.district_id
    if actor.role in CITY_ROLES:
        return target is None or getattr(target, "municipality_id", None) == actor.municipality_id
    return False


@rule
def can_view_rollout(actor: Actor, target: Any) -> bool:
    """The rollout schedule (`target`: a school's rollout carrying `school_id`): district and city roles read it."""
    if actor.role != Role.DISTRICT_OFFICER and actor.role not in CITY_ROLES:
        return False
    return target is None or _oversees(actor, getattr(target, "school_id", None))


@rule
def can_edit_rollout(actor: Actor, target: Any) -> bool:
    """The district officer edits the district's schools' schedule, the department the city's; the methodist reads."""
    if actor.role not in (Role.DISTRICT_OFFICER, Role.MUNICIPAL_OFFICER):
        return False
    return target is None or _oversees(actor, getattr(target, "school_id", None))


@rule
def can_manage_software_complexes(actor: Actor, target: Any) -> bool:
    """The municipality's list of software complexes: the department keeps it."""
    if actor.role != Role.MUNICIPAL_OFFICER:
        return False
    return target is None or getattr(target, "municipality_id", None) == actor.municipality_id


@rule
def can_view_monthly_reports(actor: Actor, target: Any) -> bool:
    """Monthly reports (`target` carries `district_id` and `municipality_id`): the district's own, the city's all."""
    return _district_or_city_reaches(actor, target)


@rule
def can_prepare_monthly_report(actor: Actor, target: Any) -> bool:
    """Fill and submit the district's monthly report: the district officer only."""
    return actor.role == Role.DISTRICT_OFFICER and _district_or_city_reaches(actor, target)


@rule
def can_review_monthly_report(actor: Actor, target: Any) -> bool:
    """Accept or return a district's monthly report: the department (municipal officer)."""
    return actor.role == Role.MUNICIPAL_OFFICER and _district_or_city_reaches(actor, target)


@rule
def can_view_city_report(actor: Actor, target: Any) -> bool:
    """The consolidated city report: the department and the methodical centre."""
    return actor.role in CITY_ROLES and (target is None or getattr(target, "id", None) == actor.municipality_id)


# --- the support desk of the methodical centre (issue 6) ------------------------------------


@rule
def can_file_support_request(actor: Actor, target: Any) -> bool:
    """A school's director, deputy head or coordinator files a request and writes in its thread."""
    return _is_school_admin_of(actor, _school_of(actor, target))


@rule
def can_view_support_requests(actor: Actor, target: Any) -> bool:
    """Requests (carrying `school_id`): the school's administration, the methodist, district and city read them."""
    if target is None:
        return actor.role in SCHOOL_ADMIN_ROLES or actor.role == Role.DISTRICT_OFFICER or actor.role in CITY_ROLES
    school_id = getattr(target, "school_id", None)
    return _is_school_admin_of(actor, school_id) or _oversees(actor, school_id)


@rule
def can_answer_support_request(actor: Actor, target: Any) -> bool:
    """The methodist of the centre answers requests and changes their status."""
    if actor.role != Role.METHODIST:
        return False
    return target is None or getattr(target, "school_id", None) in actor.school_ids


# --- the Regulation and the filling control (issue 6, items 1–2) -----------------------------


@rule
def can_view_exemplary_regulation(actor: Actor, target: Any) -> bool:
    """The city's exemplary Regulation: city and district roles, and the school's administration, read it."""
    return actor.role in CITY_ROLES or actor.role == Role.DISTRICT_OFFICER or actor.role in SCHOOL_ADMIN_ROLES


@rule
def can_edit_exemplary_regulation(actor: Actor, target: Any) -> bool:
    """The department (municipal officer) keeps the exemplary Regulation of its own city (`municipality_id`)."""
    if actor.role != Role.MUNICIPAL_OFFICER:
        return False
    return target is None or getattr(target, "municipality_id", None) == actor.municipality_id


@rule
def can_view_school_regulation(actor: Actor, target: Any) -> bool:
    """The school's Regulation and its coordinator's appointments: the director, deputy head and coordinator."""
    return _is_school_admin_of(actor, _school_of(actor, target))


@rule
def can_adopt_school_regulation(actor: Actor, target: Any) -> bool:
    """Adopt the school's Regulation and appoint the journal coordinator by order: the director only."""
    return actor.role == Role.DIRECTOR and _is_school_admin_of(actor, _school_of(actor, target))


@rule
def can_view_filling_control(actor: Actor, target: Any) -> bool:
    """The filling control of the school's journal (dashboard, справка): the deputy head and the director."""
    return actor.role in (Role.DEPUTY_HEAD, Role.DIRECTOR) and _is_school_admin_of(actor, _school_of(actor, target))


@rule
def can_remind_teachers(actor: Actor, target: Any) -> bool:
    """E-mail the school's teachers what they owe in the journal: the deputy head and the director."""
    return can_view_filling_control(actor, target)


@rule
def can_view_teacher_monitoring(actor: Actor, target: Any) -> bool:
    """A teacher's journal figures in the monitoring (`target` carries `school_id`): the methodist and the department
    for the city, the district officer for the district's schools."""
    if actor.role != Role.DISTRICT_OFFICER and actor.role not in CITY_ROLES:
        return False
    return target is None or _oversees(actor, getattr(target, "school_id", None))


# --- school reports -------------------------------------------------------------------


@rule
def can_view_school_reports(actor: Actor, target: Any) -> bool:
    """The school's reports (успеваемость, attendance, programme, lists): the director and the deputy head."""
    return actor.role in (Role.DEPUTY_HEAD, Role.DIRECTOR) and _is_school_admin_of(actor, _school_of(actor, target))


@rule
def can_view_class_reports(actor: Actor, target: Any) -> bool:
    """A class's reports and documents (`target` a class): the director and deputy head, the class teacher of it."""
    if target is None:
        return can_view_school_reports(actor, None) or (actor.role == Role.CLASS_TEACHER and bool(actor.led_class_ids))
    if can_view_school_reports(actor, target):
        return True
    return (
        actor.role == Role.CLASS_TEACHER and _is_staff_of(actor, target.school_id) and target.id in actor.led_class_ids
    )


# --- the open API and connected applications (issue 18) ----------------------------------


@rule
def can_exchange_school_figures(actor: Actor, target: Any) -> bool:
    """A vendor's system (client credentials) pushes the monthly figures of the schools bound to it and reads
    their rollout schedule; `target` carries `school_id`."""
    if actor.role != VENDOR_SYSTEM:
        return False
    return bool(actor.school_ids) if target is None else getattr(target, "school_id", None) in actor.school_ids


@rule
def can_revoke_school_apps(actor: Actor, target: Any) -> bool:
    """The journal coordinator sees and revokes the apps connected by the school's people and the vendors'
    systems bound to the school (`target` carries `school_id`)."""
    return actor.role == Role.JOURNAL_COORDINATOR and _school_of(actor, target) == actor.school_id


# --- year-end archive and tamper evidence (decision 0012) --------------------------------------------------------


@rule
def can_manage_archive(actor: Actor, target: Any) -> bool:
    """Build, list and download the school's journal archive: the coordinator, the director and the deputy head."""
    return _is_school_admin_of(actor, _school_of(actor, target))


@rule
def can_verify_journal(actor: Actor, target: Any) -> bool:
    """See and run the check that the journal was not changed outside the system: the deputy head and the director."""
    return can_view_filling_control(actor, target)
