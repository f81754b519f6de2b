"""Writing the change log. Call from services, inside their transaction."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.db import models

from ejournal.access.policy import Actor

from .models import AuditEvent


def audit_record(
    *,
    actor: Actor | None,
    action: str,
    obj: models.Model,
    school_id: int | None = None,
    changes: dict[str, Any] | None = None,
    reason: str = "",
) -> AuditEvent:
    """Append one change record; `changes` maps field → [old, new]."""
    return AuditEvent.objects.create(
        actor_id=actor.user_id if actor else None,
        actor_role=(actor.role or "") if actor else "",
        school_id=school_id if school_id is not None else getattr(obj, "school_id", None),
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:255],
        changes=_jsonable(changes or {}),
        reason=reason,
    )


def diff(instance: models.Model, new_values: dict[str, Any]) -> dict[str, list[Any]]:
    """Return {field: [old, new]} for the fields whose value would change."""
    out: dict[str, list[Any]] = {}
    for name, new in new_values.items():
        old = getattr(instance, name)
        if old != new:
            out[name] = [old, new]
    return out


def diff_apply(instance: models.Model, values: dict[str, Any]) -> dict[str, list[Any]]:
    """Set `values` on `instance` (not saved) and return {field: [old, new]} of what changed."""
    changes = diff(instance, values)
    for name, value in values.items():
        setattr(instance, name, value)
    return changes


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, models.Model):
        return str(value)
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def audit_record_many(
    *,
    actor: Actor | None,
    action: str,
    objs: Sequence[models.Model],
    changes: dict[str, Any] | None = None,
    changes_of: Callable[[Any], dict[str, Any]] | None = None,
    reason: str = "",
) -> None:
    """Append one change record per object in one insert (a bulk action); `changes_of(obj)` when they differ."""
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                actor_id=actor.user_id if actor else None,
                actor_role=(actor.role or "") if actor else "",
                school_id=getattr(obj, "school_id", None),
                action=action,
                object_type=obj._meta.label_lower,
                object_id=str(obj.pk),
                object_repr=str(obj)[:255],
                changes=_jsonable(changes_of(obj) if changes_of else (changes or {})),
                reason=reason,
            )
            for obj in objs
        ],
        batch_size=500,
    )
