"""Rules of what leaves the journal: school and class reports, the open API's exchange, the year-end archive."""

from __future__ import annotations

from typing import Any

from ..roles import VENDOR_SYSTEM, Role
from .base import Actor, is_school_admin_of, is_staff_of, rule, school_of
from .city import can_view_filling_control

# --- school reports -------------------------------------------------------------------


@rule
def can_view_school_reports(actor: Actor, target: Any) -> bool:
    """The school's reports (успеваемость, attendance, programme, lists): the director and the deputy head."""
    return actor.role in (Role.DEPUTY_HEAD, Role.DIRECTOR) and is_school_admin_of(actor, school_of(actor, target))


@rule
def can_view_class_reports(actor: Actor, target: Any) -> bool:
    """A class's reports and documents (`target` a class): the director and deputy head, the class teacher of it."""
    if target is None:
        return can_view_school_reports(actor, None) or (actor.role == Role.CLASS_TEACHER and bool(actor.led_class_ids))
    if can_view_school_reports(actor, target):
        return True
    return (
        actor.role == Role.CLASS_TEACHER and is_staff_of(actor, target.school_id) and target.id in actor.led_class_ids
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
    return actor.role == Role.JOURNAL_COORDINATOR and school_of(actor, target) == actor.school_id


# --- year-end archive and tamper evidence (decision 0012) --------------------------------------------------------


@rule
def can_manage_archive(actor: Actor, target: Any) -> bool:
    """Build, list and download the school's journal archive: the coordinator, the director and the deputy head."""
    return is_school_admin_of(actor, school_of(actor, target))


@rule
def can_verify_journal(actor: Actor, target: Any) -> bool:
    """See and run the check that the journal was not changed outside the system: the deputy head and the director."""
    return can_view_filling_control(actor, target)
