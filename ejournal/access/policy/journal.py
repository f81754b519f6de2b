"""Rules of the journal and of the families' side: the diary, the municipal service, the e-mail digests."""

from __future__ import annotations

from typing import Any

from ..roles import SCHOOL_STAFF_ROLES, Role
from .base import Actor, is_school_admin_of, is_staff_of, rule, school_of

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
    if not is_staff_of(actor, school_id):
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
    if can_keep_journal(actor, target) or is_school_admin_of(actor, target.school_id):
        return True
    return is_staff_of(actor, target.school_id) and getattr(target, "school_class_id", None) in actor.led_class_ids


@rule
def can_approve_correction(actor: Actor, target: Any) -> bool:
    """Approve or reject a late correction of the journal: the deputy head and the director."""
    school_id = school_of(actor, target)
    return actor.role in (Role.DIRECTOR, Role.DEPUTY_HEAD) and school_id is not None and school_id == actor.school_id


@rule
def can_close_term(actor: Actor, target: Any) -> bool:
    """Close a term for a class or the whole school: the deputy head and the director."""
    school_id = school_of(actor, target)
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
        return actor.school_id is not None if target is None else is_school_admin_of(actor, target.school_id)
    if actor.role != Role.CLASS_TEACHER:
        return False
    if target is None:
        return bool(actor.led_class_ids)
    return is_staff_of(actor, target.school_id) and target.school_class_id in actor.led_class_ids


# --- the municipal service: parents' applications (issue 5) ----------------------------------


@rule
def can_view_service_register(actor: Actor, target: Any) -> bool:
    """The register of applications for the municipal service: the school's administration reads it."""
    return is_school_admin_of(actor, school_of(actor, target))


@rule
def can_handle_service_application(actor: Actor, target: Any) -> bool:
    """Match, check, grant or refuse an application, withdraw a consent: the director and the coordinator."""
    school_id = school_of(actor, target)
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
