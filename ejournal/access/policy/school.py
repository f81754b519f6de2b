"""Rules of the school: organisation, classes and people, the year's plan, the timetable and the lessons."""

from __future__ import annotations

from typing import Any

from ..roles import CITY_ROLES, SCHOOL_STAFF_ROLES, Role
from .base import Actor, is_school_admin_of, is_staff_of, oversees, rule, school_of

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
    return is_staff_of(actor, school_id) or oversees(actor, school_id)


@rule
def can_manage_school(actor: Actor, target: Any) -> bool:
    """Director, deputy head and coordinator keep their school's roster."""
    school_id = actor.school_id if target is None else getattr(target, "id", None)
    return is_school_admin_of(actor, school_id)


# --- classes and people ----------------------------------------------------------------


@rule
def can_view_class(actor: Actor, target: Any) -> bool:
    if target is None:
        return actor.role in SCHOOL_STAFF_ROLES
    school_id = target.school_id
    if is_school_admin_of(actor, school_id):
        return True
    return is_staff_of(actor, school_id) and target.id in actor.class_ids


@rule
def can_manage_class(actor: Actor, target: Any) -> bool:
    """Subgroups and class lists: school administration, or the class teacher."""
    if target is None:
        return is_school_admin_of(actor, actor.school_id)
    if is_school_admin_of(actor, target.school_id):
        return True
    return is_staff_of(actor, target.school_id) and target.id in actor.led_class_ids


@rule
def can_view_student(actor: Actor, target: Any) -> bool:
    if actor.role in (Role.GUARDIAN, Role.STUDENT):
        return target.id in actor.student_ids
    if is_school_admin_of(actor, target.school_id):
        return True
    return is_staff_of(actor, target.school_id) and target.school_class_id in actor.class_ids


@rule
def can_manage_student(actor: Actor, target: Any) -> bool:
    """Enrol, transfer, edit a student: school administration only."""
    return is_school_admin_of(actor, school_of(actor, target))


@rule
def can_issue_credentials(actor: Actor, target: Any) -> bool:
    """Credentials for a student or guardian: administration, or the class teacher.

    `target` is a student (for a guardian's slip, the child the slip is for).
    """
    if target is None:
        return is_school_admin_of(actor, actor.school_id) or bool(actor.led_class_ids)
    if is_school_admin_of(actor, target.school_id):
        return True
    return is_staff_of(actor, target.school_id) and target.school_class_id in actor.led_class_ids


@rule
def can_manage_staff(actor: Actor, target: Any) -> bool:
    """Staff and positions: the director and the coordinator appoint."""
    school_id = school_of(actor, target)
    return actor.role in (Role.DIRECTOR, Role.JOURNAL_COORDINATOR) and school_id == actor.school_id


@rule
def can_import_roster(actor: Actor, target: Any) -> bool:
    return is_school_admin_of(actor, school_of(actor, target))


@rule
def can_view_own_diary(actor: Actor, target: Any) -> bool:
    return actor.role in (Role.GUARDIAN, Role.STUDENT) and bool(actor.student_ids)


# --- year setup, curriculum and teaching assignments (issue 3) --------------------------


@rule
def can_plan_school(actor: Actor, target: Any) -> bool:
    """Terms, holidays, study week, curriculum and assignments: the deputy head and the director edit."""
    return actor.role in (Role.DIRECTOR, Role.DEPUTY_HEAD) and school_of(actor, target) == actor.school_id


@rule
def can_view_school_plan(actor: Actor, target: Any) -> bool:
    """The school's year setup, curriculum and assignments: its administration reads them."""
    return is_school_admin_of(actor, school_of(actor, target))


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
    school_id = school_of(actor, target)
    return actor.role in (Role.DIRECTOR, Role.DEPUTY_HEAD) and school_id is not None and school_id == actor.school_id


@rule
def can_view_timetable(actor: Actor, target: Any) -> bool:
    """A class's timetable: school administration, or a teacher who teaches or leads the class."""
    if target is None:
        return actor.role in SCHOOL_STAFF_ROLES
    if is_school_admin_of(actor, target.school_id):
        return True
    return is_staff_of(actor, target.school_id) and target.id in actor.class_ids


@rule
def can_view_teacher_timetable(actor: Actor, target: Any) -> bool:
    """A teacher's timetable (`target` carries the teacher's `id` and the `school_id`): administration or themself."""
    if target is None:
        return actor.role in SCHOOL_STAFF_ROLES
    if is_school_admin_of(actor, target.school_id):
        return True
    return is_staff_of(actor, target.school_id) and target.id == actor.user_id


@rule
def can_view_room_timetable(actor: Actor, target: Any) -> bool:
    return is_school_admin_of(actor, school_of(actor, target))


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
    if lesson is None or not is_staff_of(actor, lesson.school_id):
        return False
    return actor.user_id is not None and actor.user_id in (lesson.teacher_id, lesson.substitute_id)
