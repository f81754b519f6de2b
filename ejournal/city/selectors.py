"""Reads of the city layer, scoped to the acting role: the schedule, the reports and their computed rows."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, Min, OuterRef, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from ejournal.access.policy import Actor
from ejournal.access.roles import CITY_ROLES, Role
from ejournal.journal.models import ChainAnchor, ChangeRecord
from ejournal.schools.models import District, School, Term
from ejournal.service.selectors import monthly_figures
from ejournal.support.selectors import support_month_figures

from .models import (
    MonthlyReportRow,
    MonthlyRolloutReport,
    RolloutStage,
    SchoolMonthFigures,
    SchoolRollout,
    SoftwareComplex,
    Stage,
)
from .report_fields import BY_KEY, FIELDS
from .rules import city_setting
from .values import empty_values, figures_from_json, to_json, totals

# --- the schedule -----------------------------------------------------------------


class RolloutStatus:
    PLANNED = "planned"
    PILOT = "pilot"
    IN_USE = "in_use"
    LATE = "late"


@dataclass
class RolloutRow:
    school: School
    rollout: SchoolRollout | None
    stages: dict[str, RolloutStage | None]
    status: str = RolloutStatus.PLANNED
    late: set[str] = field(default_factory=set)


def rollout_status(stages: dict[str, RolloutStage | None], today: dt.date) -> tuple[str, set[str]]:
    """Late when a planned date has passed without an actual date; else in use, pilot or planned."""
    late = {k for k, s in stages.items() if s and s.planned_on and s.planned_on < today and not s.actual_on}
    if late:
        return RolloutStatus.LATE, late
    if (s := stages.get(Stage.FULL)) and s.actual_on:
        return RolloutStatus.IN_USE, late
    if (s := stages.get(Stage.PILOT)) and s.actual_on:
        return RolloutStatus.PILOT, late
    return RolloutStatus.PLANNED, late


def _schools(actor: Actor, district_id: int | None = None) -> QuerySet[School]:
    qs = School.objects.filter(id__in=actor.school_ids).select_related("district")
    if district_id:
        qs = qs.filter(district_id=district_id)
    return qs.order_by("district__name", "number", "short_name")


def _stages_by_school(school_ids: Collection[int]) -> dict[int, dict[str, RolloutStage | None]]:
    out: dict[int, dict[str, RolloutStage | None]] = {sid: dict.fromkeys(Stage.values) for sid in school_ids}
    for stage in RolloutStage.objects.filter(school_id__in=list(school_ids)):
        out[stage.school_id][stage.stage] = stage
    return out


def rollout_rows(*, actor: Actor, district_id: int | None = None, late_only: bool = False) -> list[RolloutRow]:
    """The schedule: one row per school the actor reaches (optionally one district). Two queries."""
    schools = list(_schools(actor, district_id).select_related("rollout__complex"))
    stages = _stages_by_school([s.id for s in schools])
    today = timezone.localdate()
    rows = []
    for school in schools:
        rollout = getattr(school, "rollout", None) if hasattr(school, "rollout") else None
        row = RolloutRow(school=school, rollout=rollout, stages=stages[school.id])
        row.status, row.late = rollout_status(row.stages, today)
        if not late_only or row.late:
            rows.append(row)
    return rows


def rollout_school_get(*, actor: Actor, pk: int) -> School:
    """A school of the actor's territory for the schedule; another one gives 404."""
    try:
        return School.objects.select_related("district").get(pk=pk, id__in=actor.school_ids)
    except School.DoesNotExist:
        raise Http404 from None


def school_rollout_of(school: School) -> tuple[SchoolRollout | None, dict[str, RolloutStage | None]]:
    rollout = SchoolRollout.objects.filter(school=school).select_related("complex").first()
    return rollout, _stages_by_school([school.id])[school.id]


@dataclass(frozen=True)
class RolloutFact:
    """A stage's date as the system's own data show it, offered on the schedule for a person to confirm."""

    on: dt.date
    evidence: str


def rollout_facts(school: School) -> dict[str, RolloutFact]:
    """What the system knows of the school's rollout, by stage: its Regulation adopted, its coordinator appointed,
    its data loaded (the first finished import), parents' access opened (the first application granted), the
    service's link in the school's card (confirmed today). Five queries."""
    from ejournal.core.models import ImportJob
    from ejournal.people.models import RoleAssignment
    from ejournal.regulation.models import CoordinatorAppointment, Regulation
    from ejournal.service.models import Application

    facts: dict[str, RolloutFact] = {}
    regulation = Regulation.objects.filter(school=school, adopted_on__isnull=False).first()
    if regulation is not None and regulation.adopted_on is not None:
        facts[Stage.REGULATION] = RolloutFact(regulation.adopted_on, _("положение школы утверждено приказом № %(n)s")
                                              % {"n": regulation.order_number})  # fmt: skip
    appointed = [
        a.starts_on for a in CoordinatorAppointment.objects.filter(school=school).only("starts_on")
    ] + list(
        RoleAssignment.objects.filter(school=school, role=Role.JOURNAL_COORDINATOR, starts_on__isnull=False)
        .values_list("starts_on", flat=True)
    )  # fmt: skip
    if dates := [day for day in appointed if day is not None]:
        facts[Stage.COORDINATOR] = RolloutFact(min(dates), _("ответственный за ЭЖ назначен"))
    loaded = (
        ImportJob.objects.filter(school_id=school.pk, status=ImportJob.Status.DONE, finished_at__isnull=False)
        .order_by("finished_at").first()
    )  # fmt: skip
    if loaded is not None:
        facts[Stage.DATA_LOADED] = RolloutFact(timezone.localdate(loaded.finished_at),
                                               _("загружен файл «%(name)s»") % {"name": loaded.file_name})  # fmt: skip
    granted = (
        Application.objects.filter(school=school, status=Application.Status.GRANTED, decided_at__isnull=False)
        .order_by("decided_at").values_list("decided_at", flat=True).first()
    )  # fmt: skip
    if granted is not None:
        facts[Stage.PARENTS] = RolloutFact(timezone.localdate(granted),
                                           _("первое заявление родителя удовлетворено"))  # fmt: skip
    if school.site_url:
        facts[Stage.SITE_LINK] = RolloutFact(timezone.localdate(), _("ссылка в карточке школы: %(url)s")
                                             % {"url": school.site_url})  # fmt: skip
    return facts


def districts_reached(*, actor: Actor) -> list[District]:
    if actor.role == Role.DISTRICT_OFFICER:
        return list(District.objects.filter(id=actor.district_id)) if actor.district_id else []
    if actor.role in CITY_ROLES:
        return list(District.objects.filter(municipality=actor.municipality_id).order_by("name"))
    return []


def complexes_list(*, actor: Actor) -> QuerySet[SoftwareComplex]:
    return SoftwareComplex.objects.filter(municipality=actor.municipality_id)


def complex_get(*, actor: Actor, pk: int) -> SoftwareComplex:
    try:
        return complexes_list(actor=actor).get(pk=pk)
    except SoftwareComplex.DoesNotExist:
        raise Http404 from None


# --- monthly reports ------------------------------------------------------------------


def _reports(actor: Actor) -> QuerySet[MonthlyRolloutReport]:
    qs = MonthlyRolloutReport.objects.select_related("district")
    if actor.role == Role.DISTRICT_OFFICER:
        return qs.filter(district=actor.district_id)
    if actor.role in CITY_ROLES:
        return qs.filter(municipality=actor.municipality_id)
    return qs.none()


def reports_list(*, actor: Actor) -> QuerySet[MonthlyRolloutReport]:
    return _reports(actor).order_by("-year", "-month", "district__name")


def report_get(*, actor: Actor, pk: int) -> MonthlyRolloutReport:
    """A report of the actor's district (or city); another district's gives 404."""
    try:
        return _reports(actor).get(pk=pk)
    except MonthlyRolloutReport.DoesNotExist:
        raise Http404 from None


def report_row_get(*, actor: Actor, report: MonthlyRolloutReport, pk: int) -> MonthlyReportRow:
    try:
        return report.rows.select_related("school").get(pk=pk)
    except MonthlyReportRow.DoesNotExist:
        raise Http404 from None


def report_is_late(report: MonthlyRolloutReport, today: dt.date | None = None) -> bool:
    """Late when first submitted after the due date, or still not submitted once it has passed."""
    from .rules import report_due_on

    due = report_due_on(report.year, report.month)
    if report.first_submitted_at:
        return timezone.localdate(report.first_submitted_at) > due
    return (today or timezone.localdate()) > due


def _indicators(school_ids: list[int], year: int, month: int) -> dict[int, Any]:
    """Coverage and filling from the filling control: the stored figures where fresh, the others computed now
    (nothing while that module is not installed)."""
    try:
        from ejournal.control.indicators import school_month_indicators
    except ImportError:
        return {}
    stored = stored_month_figures(school_ids=school_ids, year=year, month=month)
    missing = [sid for sid in school_ids if sid not in stored]
    live = school_month_indicators(school_ids=missing, year=year, month=month) if missing else {}
    return {**stored, **live}


def stored_month_figures(*, school_ids: list[int], year: int, month: int) -> dict[int, Any]:
    """The schools' figures of the month kept by the refresh and checked by it recently enough (the setting
    `figures_max_age_minutes`). One query."""
    from ejournal.control.indicators import SchoolMonthIndicators

    fresh = timezone.now() - dt.timedelta(minutes=int(city_setting("figures_max_age_minutes")))
    rows = SchoolMonthFigures.objects.filter(
        school_id__in=school_ids, year=year, month=month, checked_at__gte=fresh
    ).values_list("school_id", "data")
    return {sid: figures_from_json(SchoolMonthIndicators, data) for sid, data in rows}


def stale_month_figures(*, school_ids: list[int], year: int, month: int) -> list[int]:
    """Of the schools, those whose stored figures of the month may differ from the journal now: none stored, a
    change record of the school's journal since `changes_from` (for a past month, of a lesson of that month),
    computed on an earlier day of the month (the lessons count up to today), or computed longer ago than the
    setting `figures_recompute_minutes` (`figures_past_recompute_minutes` for a past month). One query (two for a
    past month: the earliest start of its terms).
    """
    now = timezone.now()
    today = timezone.localdate(now)
    first, month_end = dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])
    past = month_end < today
    last_day = min(month_end, today)
    start_of_last_day = timezone.make_aware(dt.datetime.combine(last_day, dt.time.min))
    minutes = city_setting("figures_past_recompute_minutes" if past else "figures_recompute_minutes")
    recent = now - dt.timedelta(minutes=int(minutes))
    changed = ChangeRecord.objects.filter(school_id=OuterRef("school_id"), at__gte=OuterRef("changes_from"))
    if past:
        # A past month's figures read its lessons and, for the mark density, the lessons of its terms so far.
        terms = Term.objects.filter(school_id__in=school_ids, starts_on__lte=month_end, ends_on__gte=first)
        lo = min(first, terms.aggregate(lo=Min("starts_on"))["lo"] or first)
        changed = changed.filter(lesson__date__gte=lo, lesson__date__lte=month_end)
    current = (
        SchoolMonthFigures.objects.filter(school_id__in=school_ids, year=year, month=month)
        .filter(changes_from__isnull=False, computed_at__gte=recent)
        .filter(computed_at__gte=start_of_last_day)
        .exclude(Exists(changed))
        .values_list("school_id", flat=True)
    )
    kept = set(current)
    return [sid for sid in school_ids if sid not in kept]


INDICATOR_KEYS = tuple(f.key for f in FIELDS[2:15])


def computed_values(*, actor: Actor, schools: list[School], year: int, month: int) -> dict[int, dict[str, Any]]:
    """The report's values of schools on this system, as JSON: stage, coverage, filling, service, support, site."""
    ids = [s.id for s in schools]
    stages = _stages_by_school(ids)
    indicators = _indicators(ids, year, month)
    service = {f.school_id: f for f in monthly_figures(actor=actor, year=year, month=month)}
    support = support_month_figures(actor=actor, year=year, month=month)
    month_end = dt.date(year, month, calendar.monthrange(year, month)[1])
    out = {}
    for school in schools:
        values = empty_values()
        # The stage reached by the end of the report's month: a later one belongs to a later report.
        reached = [
            (s.stage, on)
            for key in Stage.values
            if (s := stages[school.id][key]) and (on := s.actual_on) and on <= month_end
        ]
        if reached:
            values["stage"], values["stage_on"] = reached[-1][0], reached[-1][1].isoformat()
        if (ind := indicators.get(school.id)) is not None:
            for key in INDICATOR_KEYS:
                values[key] = to_json(BY_KEY[key], getattr(ind, key, None))
        if (fig := service.get(school.id)) is not None:
            values["applications_received"] = fig.received
            values["applications_granted"] = fig.granted
            values["applications_refused"] = fig.refused
            values["applications_avg_days"] = to_json(BY_KEY["applications_avg_days"], fig.average_days)
        asked = support.get(school.id)
        values["support_filed"] = asked.filed if asked else 0
        values["support_closed"] = asked.closed if asked else 0
        values["support_open"] = asked.open if asked else 0
        values["site_url"] = school.site_url or None
        out[school.id] = values
    return out


@dataclass
class ReportRowView:
    row: MonthlyReportRow
    values: dict[str, Any]

    @property
    def is_manual(self) -> bool:
        return self.row.source == MonthlyReportRow.Source.MANUAL

    @property
    def is_stale(self) -> bool:
        """Entered by hand for a school that works in this system again: to be dropped before sending."""
        rollout = getattr(self.row.school, "rollout", None)
        on_other = bool(rollout and rollout.complex_id and not rollout.complex.is_this_system)
        return self.is_manual and not on_other


def report_rows(*, actor: Actor, report: MonthlyRolloutReport) -> list[ReportRowView]:
    """The rows as shown: the stored data of manual rows and of submitted or accepted reports (their snapshot),
    the live values of the others."""
    rows = _rows_of(report)
    return _row_views(rows, _live_values(actor, rows, report.year, report.month))


@dataclass(frozen=True)
class AnchorView:
    school: str
    day: dt.date
    last_id: int | None
    hash: str
    length: int


def report_anchors(*, rows: list[ReportRowView], year: int, month: int) -> list[AnchorView]:
    """The schools' journal chain anchors at the month's end (the last taken in the month), in the rows' order.

    Published in the report, an anchor pins the school's change history: a later rewrite of it no longer ends
    in this hash (decision 0012). One query for all schools.
    """
    first = dt.date(year, month, 1)
    last = dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
    schools = {r.row.school_id: r.row.school.short_name for r in rows}
    latest = {}
    anchors = ChainAnchor.objects.filter(school_id__in=schools, day__range=(first, last)).order_by("school_id", "day")
    for anchor in anchors:
        latest[anchor.school_id] = anchor
    return [AnchorView(schools[sid], a.day, a.last_id, a.hash, a.length) for sid in schools if (a := latest.get(sid))]


def _rows_of(report: MonthlyRolloutReport) -> list[MonthlyReportRow]:
    rows = report.rows.select_related("school__rollout__complex")
    return list(rows.order_by("school__number", "school__short_name"))


def _is_live(row: MonthlyReportRow) -> bool:
    """A row of a school on this system not frozen by the report's submission: its values are computed when shown."""
    return row.source == MonthlyReportRow.Source.COMPUTED and not row.is_snapshot


def _live_values(actor: Actor, rows: list[MonthlyReportRow], year: int, month: int) -> dict[int, dict[str, Any]]:
    """The computed values of the live rows' schools, by school."""
    live = list({r.school_id: r.school for r in rows if _is_live(r)}.values())
    return computed_values(actor=actor, schools=live, year=year, month=month) if live else {}


def _row_views(rows: list[MonthlyReportRow], computed: dict[int, dict[str, Any]]) -> list[ReportRowView]:
    return [
        ReportRowView(row=row, values=computed[row.school_id] if _is_live(row) else {**empty_values(), **row.data})
        for row in rows
    ]


def report_totals(rows: list[ReportRowView]) -> dict[str, Any]:
    return totals([r.values for r in rows])


@dataclass
class CityDistrict:
    district: District
    report: MonthlyRolloutReport | None
    rows: list[ReportRowView]
    totals: dict[str, Any]


def city_report(*, actor: Actor, year: int, month: int) -> tuple[list[CityDistrict], dict[str, Any]]:
    """The consolidated city report: every district's report of the month (or its absence) and city totals.

    The live values of all districts' rows are computed in one call (the journal figures of the city's schools
    together, the service's and the support desk's figures once), not once per district."""
    reports = {r.district_id: r for r in _reports(actor).filter(year=year, month=month)}
    districts = districts_reached(actor=actor)
    rows = {d.id: _rows_of(reports[d.id]) if d.id in reports else [] for d in districts}
    computed = _live_values(actor, [r for part in rows.values() for r in part], year, month)
    parts = []
    for district in districts:
        views = _row_views(rows[district.id], computed)
        parts.append(CityDistrict(district=district, report=reports.get(district.id), rows=views,
                                  totals=report_totals(views)))  # fmt: skip
    return parts, totals([r.values for p in parts for r in p.rows])
