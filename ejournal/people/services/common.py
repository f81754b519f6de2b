"""Helpers shared by the roster services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, TypeVar

from django.db import models

from ejournal.access.policy import Actor
from ejournal.core.audit import audit_record, diff_apply
from ejournal.schools.services import date_ru, year_current_of

from ..models import SubgroupMembership

DAY = dt.timedelta(days=1)
__all__ = ["DAY", "apply_changes", "date_ru", "memberships_close", "year_current_of"]


def memberships_close(memberships: Iterable[SubgroupMembership], on_date: dt.date) -> None:
    """End memberships the day before `on_date`; ones that would not have lasted a day are removed."""
    for membership in memberships:
        if membership.starts_on >= on_date:
            membership.delete()
        else:
            membership.ends_on = on_date - DAY
            membership.save(update_fields=["ends_on"])


M = TypeVar("M", bound=models.Model)


def apply_changes(instance: M, values: dict[str, Any], *, action: str, actor: Actor, school_id: int | None = None) -> M:
    """Save the fields that change and log old → new; nothing is written when nothing changes."""
    changes = diff_apply(instance, values)
    if changes:
        instance.save(update_fields=list(values))
        audit_record(actor=actor, action=action, obj=instance, school_id=school_id, changes=changes)
    return instance
