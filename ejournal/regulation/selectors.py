"""Reading Regulations: the one in force for a school, the journal's rule values, the pages' data."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from ejournal.access.policy import Actor
from ejournal.access.roles import Role
from ejournal.accounts.models import User
from ejournal.core.sql import concrete_field
from ejournal.people.models import RoleAssignment
from ejournal.schools.models import School

from .models import NORM_FIELDS, CoordinatorAppointment, Regulation

CACHE_PREFIX = "ej-regulation:"
# Norms that are not journal rules: the thresholds become one tuple, the control period is read by control.
NOT_JOURNAL_RULES = {"suggestion_five", "suggestion_four", "suggestion_three", "control_days"}


def _cache_seconds() -> int:
    return int(getattr(settings, "EJ_REGULATION_CACHE_SECONDS", 300))


def rule_values(regulation: Regulation | None) -> dict[str, Any]:
    """The journal-rule values of a Regulation (names of `JournalRules`); empty for none."""
    if regulation is None:
        return {}
    values = {name: getattr(regulation, name) for name in NORM_FIELDS if name not in NOT_JOURNAL_RULES}
    values["suggestion_thresholds"] = (
        (regulation.suggestion_five, "5"),
        (regulation.suggestion_four, "4"),
        (regulation.suggestion_three, "3"),
    )
    return values


def regulation_in_force(school_id: int) -> Regulation | None:
    """The school's own Regulation, else its city's exemplary one, else None (the settings' defaults apply)."""
    rows = list(
        Regulation.objects.filter(
            Q(school_id=school_id) | Q(school__isnull=True, municipality__schools__id=school_id)
        ).order_by("school_id")
    )
    own = [r for r in rows if r.school_id == school_id]
    found = own or rows
    return found[0] if found else None


def regulations_for_schools(school_ids: list[int]) -> dict[int, Regulation | None]:
    """The Regulation in force for each school, in two queries whatever the number of schools."""
    cities = dict(School.objects.filter(id__in=school_ids).values_list("id", "municipality_id"))
    rows = Regulation.objects.filter(
        Q(school_id__in=school_ids) | Q(school__isnull=True, municipality_id__in=set(cities.values()))
    )
    own: dict[int, Regulation] = {}
    exemplary: dict[int | None, Regulation] = {}
    for r in rows:
        if r.school_id is None:
            exemplary[r.municipality_id] = r
        else:
            own[r.school_id] = r
    return {sid: own.get(sid) or exemplary.get(cities.get(sid)) for sid in school_ids}


def rule_values_cached(school_id: int) -> dict[str, Any]:
    """`rule_values` of the Regulation in force, through the cache (the journal asks on every write).

    The regulation services drop the city's keys on every change; the timeout
    bounds staleness if a cache node was missed.
    """
    key = f"{CACHE_PREFIX}{school_id}"
    values = cache.get(key)
    if values is None:
        values = rule_values(regulation_in_force(school_id))
        cache.set(key, values, _cache_seconds())
    return values


def cache_forget(school_ids: list[int]) -> None:
    cache.delete_many([f"{CACHE_PREFIX}{sid}" for sid in school_ids])


def exemplary_get(*, actor: Actor) -> Regulation | None:
    """The exemplary Regulation of the actor's city (None until the department saves it)."""
    city_id = actor.municipality_id
    if city_id is None and actor.school_id is not None:
        city_id = School.objects.filter(pk=actor.school_id).values_list("municipality_id", flat=True).first()
    return Regulation.objects.filter(municipality_id=city_id, school__isnull=True).first() if city_id else None


def school_of_actor(*, actor: Actor) -> School:
    school = (
        School.objects.filter(pk=actor.school_id).select_related("municipality").first() if actor.school_id else None
    )
    if school is None:
        raise Http404
    return school


def school_regulation_get(*, actor: Actor) -> Regulation | None:
    return Regulation.objects.filter(school=actor.school_id).select_related("derived_from").first()


def coordinator_appointments(*, actor: Actor) -> list[CoordinatorAppointment]:
    return list(CoordinatorAppointment.objects.filter(school=actor.school_id).select_related("user"))


def differences(regulation: Regulation | dict[str, Any], base: Regulation | dict[str, Any] | None) -> set[str]:
    """Names of the norms where `regulation` differs from `base`."""
    if base is None:
        return set()
    return {name for name in NORM_FIELDS if _value(regulation, name) != _value(base, name)}


def school_staff(*, actor: Actor) -> QuerySet[User]:
    """Users with an open appointment at the actor's school (candidates for the coordinator), by name."""
    ids = RoleAssignment.objects.filter(school=actor.school_id, ends_on__isnull=True).values("user_id")
    return User.objects.filter(id__in=ids, is_active=True).order_by("last_name", "first_name", "id")


def norms_by_default() -> dict[str, Any]:
    """The norms the journal enforces while no Regulation is saved: the Regulation's defaults (those of
    `journal.rules.JournalRules`) with the city's overrides in `settings.EJ_JOURNAL_RULES`, applied as the
    journal's `rules_for` applies them."""
    values = {name: concrete_field(Regulation, name).get_default() for name in NORM_FIELDS}
    configured = dict(getattr(settings, "EJ_JOURNAL_RULES", {}) or {})
    values.update({name: configured[name] for name in NORM_FIELDS if name in configured})
    thresholds = {str(mark): Decimal(str(limit)) for limit, mark in configured.get("suggestion_thresholds", ())}
    for mark, name in (("5", "suggestion_five"), ("4", "suggestion_four"), ("3", "suggestion_three")):
        if mark in thresholds:
            values[name] = thresholds[mark]
    values["density_hours_threshold"] = Decimal(str(values["density_hours_threshold"]))
    return values


def _value(source: Regulation | dict[str, Any], name: str) -> Any:
    return source[name] if isinstance(source, dict) else getattr(source, name)


def norm_rows(
    regulation: Regulation | dict[str, Any], base: Regulation | dict[str, Any] | None
) -> list[dict[str, Any]]:
    """Each norm with its label, the value in force, the value compared with (the exemplary one, or the defaults
    in force without it) and whether they differ. A dict stands for the defaults (`norms_by_default`)."""
    changed = differences(regulation, base)
    return [
        {
            "name": name,
            "label": concrete_field(Regulation, name).verbose_name,
            "value": _value(regulation, name),
            "base": _value(base, name) if base is not None else None,
            "differs": name in changed,
        }
        for name in NORM_FIELDS
    ]


def coordinators_without_order(*, actor: Actor) -> list[RoleAssignment]:
    """People holding the coordinator's role at the actor's school today with no director's order on record here
    (appointed through the staff list or an import): the role is what the system enforces, so they are shown."""
    today = timezone.localdate()
    recorded = CoordinatorAppointment.objects.filter(role_assignment__isnull=False).values("role_assignment_id")
    return list(
        RoleAssignment.objects.filter(school=actor.school_id, role=Role.JOURNAL_COORDINATOR)
        .filter(Q(starts_on__isnull=True) | Q(starts_on__lte=today), Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .exclude(id__in=recorded)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "id")
    )
