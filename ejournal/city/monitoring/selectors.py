"""Reads of the monitoring, scoped to the acting role: values of schools by month, trends, rankings, red flags.

A month's value of a school is, in this order: the stored row of an accepted
monthly report (the snapshot never changes); a row entered by hand for a
school on another vendor's system; for any other month up to the current one,
the journal's figures of the month (`control.indicators`, the stored monthly
figures the refresh keeps, else computed) — not for a school on another
vendor's system, whose figures come only by hand. A month to come has no value.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from types import SimpleNamespace
from typing import Any

from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from ejournal.access import policy
from ejournal.access.policy import Actor
from ejournal.access.roles import Role
from ejournal.accounts.models import User
from ejournal.control.indicators import teacher_month_indicators
from ejournal.curriculum.models import TeachingAssignment
from ejournal.people.models import RoleAssignment
from ejournal.schools.models import District, School

from ..models import MonthlyReportRow, MonthlyRolloutReport, Stage
from ..selectors import _indicators, _stages_by_school, rollout_status
from .indicators import AGGREGATED, BY_KEY, GUARDIANS_PCT, INDICATORS, TEACHER_INDICATORS, display, flags_of, is_flagged

Month = tuple[int, int]
Values = dict[str, Any]
ONE_PLACE = Decimal("0.1")


def months_ending(year: int, month: int, count: int) -> list[Month]:
    """`count` months up to and including (year, month), oldest first."""
    index = year * 12 + month - 1
    return [(i // 12, i % 12 + 1) for i in range(index - count + 1, index + 1)]


def monitoring_schools(*, actor: Actor, district_id: int | None = None) -> list[School]:
    """The schools the actor reaches (optionally of one district), with their district."""
    qs = School.objects.filter(id__in=actor.school_ids).select_related("district", "rollout__complex")
    if district_id is not None:
        qs = qs.filter(district_id=district_id)
    return list(qs.order_by("district__name", "number", "short_name"))


def monitoring_district_get(*, actor: Actor, pk: int) -> District:
    """A district the actor reaches; another one gives 404."""
    district = District.objects.filter(pk=pk).first()
    if district is None or not policy.check(actor, "can_view_district", district):
        raise Http404
    return district


def monitoring_school_get(*, actor: Actor, pk: int) -> School:
    """A school of the actor's territory; another one gives 404."""
    try:
        return School.objects.select_related("district", "rollout__complex").get(pk=pk, id__in=actor.school_ids)
    except School.DoesNotExist:
        raise Http404 from None


def _python(data: dict[str, Any]) -> Values:
    out: Values = {}
    for ind in INDICATORS:
        raw = data.get(ind.key)
        if raw is None or raw == "":
            out[ind.key] = None
        else:
            out[ind.key] = int(raw) if ind.kind == "int" else Decimal(str(raw))
    out[GUARDIANS_PCT] = _pct(out.get("guardians_logged_in"), out.get("guardians_with_access"))
    return out


def _pct(part: int | None, whole: int | None) -> Decimal | None:
    if part is None or not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


def _stored_rows(school_ids: list[int], months: list[Month]) -> Iterable[Mapping[str, Any]]:
    period = Q(pk__in=[])
    for year, month in months:
        period |= Q(report__year=year, report__month=month)
    stored = Q(report__status=MonthlyRolloutReport.Status.ACCEPTED) | Q(source=MonthlyReportRow.Source.MANUAL)
    return (
        MonthlyReportRow.objects.filter(period, stored, school_id__in=school_ids)
        .exclude(data={})
        .values("school_id", "data", "report__year", "report__month")
    )


def on_another_system(school: School) -> bool:
    """A school that chose another vendor's complex: this system computes nothing for it."""
    rollout = getattr(school, "rollout", None)
    return bool(rollout and rollout.complex_id and not rollout.complex.is_this_system)


def school_month_values(*, schools: list[School], months: list[Month]) -> dict[Month, dict[int, Values]]:
    """Each month's values of each school that has them (see the module's docstring). Constant queries."""
    ids = [s.id for s in schools]
    out: dict[Month, dict[int, Values]] = {m: {} for m in months}
    for row in _stored_rows(ids, months):
        out[(row["report__year"], row["report__month"])][row["school_id"]] = _python(row["data"])
    today = timezone.localdate()
    for month in months:
        if month > (today.year, today.month):
            continue
        live = [s.id for s in schools if s.id not in out[month] and not on_another_system(s)]
        for sid, ind in (_indicators(live, *month) if live else {}).items():
            out[month][sid] = _python({i.key: getattr(ind, i.key, None) for i in INDICATORS})
    return out


def aggregate(values: Iterable[Values]) -> Values:
    """Values of a group of schools: counts summed, percentages and averages averaged over schools that have them.

    The share of guardians who logged in is recomputed from the summed counts.
    """
    rows = list(values)
    out: Values = {}
    for ind in AGGREGATED:
        present = [r[ind.key] for r in rows if r.get(ind.key) is not None]
        if not present:
            out[ind.key] = None
        elif ind.kind == "int":
            out[ind.key] = sum(present)
        else:
            out[ind.key] = (sum(present) / len(present)).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)
    out[GUARDIANS_PCT] = _pct(out.get("guardians_logged_in"), out.get("guardians_with_access"))
    return out


def late_stages(*, school_ids: list[int], today: dt.date | None = None) -> dict[int, list[str]]:
    """The stages of each school's rollout schedule planned before today and not reached. One query."""
    today = today or timezone.localdate()
    out = {}
    for sid, stages in _stages_by_school(school_ids).items():
        _status, late = rollout_status(stages, today)
        out[sid] = [key for key in Stage.values if key in late]
    return out


@dataclass
class Unit:
    """A district or a school in a comparison: its label, its drill-down URL, its schools."""

    label: str
    url: str
    school_ids: list[int]


@dataclass
class Point:
    month: Month
    value: Any
    flagged: bool


@dataclass
class RankRow:
    unit: Unit
    value: Any
    flagged: bool
    flags: list[str]
    late_schools: int
    position: int | None = None
    trend: list[Point] = field(default_factory=list)


def trend(*, data: dict[Month, dict[int, Values]], school_ids: list[int], key: str) -> list[Point]:
    """The indicator of a group of schools month by month."""
    points = []
    for month, by_school in data.items():
        value = aggregate(by_school[sid] for sid in school_ids if sid in by_school)[key]
        points.append(Point(month=month, value=value, flagged=is_flagged(key, value)))
    return points


def ranking(
    *, data: dict[Month, dict[int, Values]], month: Month, units: list[Unit], key: str, late: dict[int, list[str]]
) -> list[RankRow]:
    """Units sorted best first by the indicator in `month`, with positions (ties share one); no value goes last."""
    rows = []
    for unit in units:
        values = aggregate(data[month][sid] for sid in unit.school_ids if sid in data[month])
        rows.append(
            RankRow(
                unit=unit,
                value=values[key],
                flagged=is_flagged(key, values[key]),
                flags=flags_of(values),
                late_schools=sum(1 for sid in unit.school_ids if late.get(sid)),
                trend=trend(data=data, school_ids=unit.school_ids, key=key),
            )
        )
    sign = 1 if BY_KEY[key].lower_is_better else -1
    rows.sort(key=lambda r: (r.value is None, sign * (r.value or 0), r.unit.label))
    previous, position = None, 0
    for index, row in enumerate(rows, start=1):
        if row.value is None:
            break
        if row.value != previous:
            position, previous = index, row.value
        row.position = position
    return rows


# --- teachers of a school (the drill-down's last level) ----------------------------------


def teacher_target(school: School) -> SimpleNamespace:
    """The policy's view of a school for `can_view_teacher_monitoring` (rules read `school_id`)."""
    return SimpleNamespace(school_id=school.pk)


def monitoring_teacher_get(*, actor: Actor, school: School, pk: int) -> User:
    """A teacher of the school (appointed there or with a teaching assignment there); anyone else gives 404."""
    policy.enforce(actor, "can_view_teacher_monitoring", teacher_target(school))
    appointed = RoleAssignment.objects.filter(user_id=OuterRef("pk"), school=school, role=Role.TEACHER)
    teaching = TeachingAssignment.objects.filter(teacher_id=OuterRef("pk"), school=school)
    teacher = User.objects.filter(Q(Exists(appointed)) | Q(Exists(teaching)), pk=pk).first()
    if teacher is None:
        raise Http404
    return teacher


def teacher_month_values(*, actor: Actor, school: School, months: list[Month],
                         teacher_id: int | None = None) -> dict[Month, dict[int, Values]]:  # fmt: skip
    """Each month's figures of the school's teachers (or one), computed from the journal by the school's Regulation.

    Teachers have no snapshots: every month is computed as the journal stands now. A school on another vendor's
    system has none. Queries: a constant number per month.
    """
    policy.enforce(actor, "can_view_teacher_monitoring", teacher_target(school))
    out: dict[Month, dict[int, Values]] = {m: {} for m in months}
    if on_another_system(school):
        return out
    for year, month in months:
        rows = teacher_month_indicators(school_id=school.pk, year=year, month=month, teacher_id=teacher_id)
        out[(year, month)] = {tid: dataclasses.asdict(ind) for tid, ind in rows.items()}
    return out


@dataclass
class TeacherRow:
    """A teacher in the school's table: the ranking by the chosen indicator and every figure of the month."""

    rank: RankRow
    cells: list[tuple[str, bool]]


def teacher_ranking(
    *, school: School, data: dict[Month, dict[int, Values]], month: Month, key: str
) -> list[TeacherRow]:
    """The school's teachers of `month`, best first by `key`, each with its figures (text, red flag). One query."""
    values = data[month]
    names = {u.pk: u.get_full_name() for u in User.objects.filter(pk__in=list(values))}
    units = [
        Unit(names.get(tid, "—"), reverse("city:monitoring_teacher", args=[school.pk, tid]), [tid]) for tid in values
    ]
    rows = ranking(data={month: values}, month=month, units=units, key=key, late={})
    out = []
    for row in rows:
        own = values[row.unit.school_ids[0]]
        cells = [(display(own.get(i.key), i.kind), is_flagged(i.key, own.get(i.key))) for i in TEACHER_INDICATORS]
        out.append(TeacherRow(rank=row, cells=cells))
    return out
