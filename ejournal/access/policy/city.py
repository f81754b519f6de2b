"""Rules of the district and the city: the rollout and monthly reports, the support desk, the Regulation, the filling control."""

from __future__ import annotations

from typing import Any

from ..roles import CITY_ROLES, SCHOOL_ADMIN_ROLES, Role
from .base import Actor, is_school_admin_of, oversees, rule, school_of

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
    return target is None or oversees(actor, getattr(target, "school_id", None))


@rule
def can_edit_rollout(actor: Actor, target: Any) -> bool:
    """The district officer edits the district's schools' schedule, the department the city's; the methodist reads."""
    if actor.role not in (Role.DISTRICT_OFFICER, Role.MUNICIPAL_OFFICER):
        return False
    return target is None or oversees(actor, getattr(target, "school_id", None))


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
    return is_school_admin_of(actor, school_of(actor, target))


@rule
def can_view_support_requests(actor: Actor, target: Any) -> bool:
    """Requests (carrying `school_id`): the school's administration, the methodist, district and city read them."""
    if target is None:
        return actor.role in SCHOOL_ADMIN_ROLES or actor.role == Role.DISTRICT_OFFICER or actor.role in CITY_ROLES
    school_id = getattr(target, "school_id", None)
    return is_school_admin_of(actor, school_id) or oversees(actor, school_id)


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
    return is_school_admin_of(actor, school_of(actor, target))


@rule
def can_adopt_school_regulation(actor: Actor, target: Any) -> bool:
    """Adopt the school's Regulation and appoint the journal coordinator by order: the director only."""
    return actor.role == Role.DIRECTOR and is_school_admin_of(actor, school_of(actor, target))


@rule
def can_view_filling_control(actor: Actor, target: Any) -> bool:
    """The filling control of the school's journal (dashboard, справка): the deputy head and the director."""
    return actor.role in (Role.DEPUTY_HEAD, Role.DIRECTOR) and is_school_admin_of(actor, school_of(actor, target))


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
    return target is None or oversees(actor, getattr(target, "school_id", None))
