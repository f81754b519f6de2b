"""Writes of the city layer: software complexes, the schedule, the monthly report and its workflow."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ejournal.access import policy
from ejournal.access.policy import Actor
from ejournal.core.audit import audit_record, diff, diff_apply
from ejournal.schools.models import District, Municipality, School

from .models import (
    MonthlyReportRow,
    MonthlyRolloutReport,
    RolloutStage,
    SchoolMonthFigures,
    SchoolRollout,
    SoftwareComplex,
)
from .report_fields import FIELDS
from .rules import city_setting
from .selectors import computed_values, rollout_facts
from .values import figures_to_json, row_conflicts, to_json

EDITABLE = (MonthlyRolloutReport.Status.DRAFT, MonthlyRolloutReport.Status.RETURNED)


# --- software complexes and the schedule -------------------------------------------------


def complex_save(
    *,
    municipality_id: int,
    name: str,
    vendor: str,
    is_this_system: bool,
    actor: Actor,
    complex: SoftwareComplex | None = None,
) -> SoftwareComplex:
    """Add or change a software complex of the municipality; one of them at most is this system."""
    target = complex or SoftwareComplex(municipality_id=municipality_id)
    policy.enforce(actor, "can_manage_software_complexes", target)
    values = {"name": name, "vendor": vendor, "is_this_system": is_this_system}
    changes = diff(target, values) if complex else {k: [None, v] for k, v in values.items()}
    for key, value in values.items():
        setattr(target, key, value)
    try:
        with transaction.atomic():
            target.save()
            audit_record(actor=actor, action="software_complex_saved", obj=target, changes=changes)
    except IntegrityError:
        raise ValidationError(
            _("Такой комплекс уже есть, или «эта система» уже отмечена у другого комплекса.")
        ) from None
    return target


def rollout_save(
    *,
    school: School,
    complex: SoftwareComplex | None,
    school_responsible: str,
    district_responsible: str,
    comment: str,
    stages: dict[str, tuple[dt.date | None, dt.date | None]],
    actor: Actor,
    confirmed: tuple[str, ...] = (),
) -> SchoolRollout:
    """Save a school's row of the schedule: its complex, persons, comment and each stage's planned/actual date.

    A stage in `confirmed` without an actual date takes the date the system's data show (`rollout_facts`), read
    here again, never from the request; a date typed by the person wins."""
    policy.enforce(actor, "can_edit_rollout", _SchoolTarget(school.id))
    facts = rollout_facts(school) if confirmed else {}
    stages = {
        key: (planned, actual or (facts[key].on if key in confirmed and key in facts else None))
        for key, (planned, actual) in stages.items()
    }
    if complex is not None and complex.municipality_id != school.municipality_id:
        raise ValidationError(_("Комплекс не из списка этого муниципального образования."))
    today = timezone.localdate()
    if any(actual and actual > today for _planned, actual in stages.values()):
        raise ValidationError(_("Фактическая дата этапа не может быть в будущем."))
    with transaction.atomic():
        rollout, _created = SchoolRollout.objects.select_for_update().get_or_create(school=school)
        values = {
            "complex": complex,
            "school_responsible": school_responsible,
            "district_responsible": district_responsible,
            "comment": comment,
        }
        changes = diff_apply(rollout, values)
        rollout.save()
        existing = {s.stage: s for s in RolloutStage.objects.filter(school=school)}
        for key, (planned, actual) in stages.items():
            stage = existing.get(key) or RolloutStage(school=school, stage=key)
            if (stage.planned_on, stage.actual_on) != (planned, actual) or stage.pk is None:
                changes[key] = [
                    [str(stage.planned_on or ""), str(stage.actual_on or "")],
                    [str(planned or ""), str(actual or "")],
                ]
                stage.planned_on, stage.actual_on = planned, actual
                stage.save()
        audit_record(actor=actor, action="rollout_saved", obj=rollout, changes=changes)
    return rollout


class _SchoolTarget:
    def __init__(self, school_id: int):
        self.school_id = school_id


# --- the monthly report ---------------------------------------------------------------------


def _is_manual(school: School) -> bool:
    rollout = getattr(school, "rollout", None)
    return bool(rollout and rollout.complex_id and not rollout.complex.is_this_system)


def monthly_report_open(*, district: District, year: int, month: int, actor: Actor) -> MonthlyRolloutReport:
    """The district's report of the month, created as a draft with a row per school; new schools get a row."""
    target = MonthlyRolloutReport(district=district, municipality_id=district.municipality_id, year=year, month=month)
    policy.enforce(actor, "can_prepare_monthly_report", target)
    if not 1 <= month <= 12 or not 2000 <= year <= 2100:
        raise ValidationError(_("Неверный месяц отчёта."))
    with transaction.atomic():
        report, created = MonthlyRolloutReport.objects.get_or_create(
            district=district, year=year, month=month, defaults={"municipality_id": district.municipality_id}
        )
        if report.status in EDITABLE:
            _rows_sync(report)
        if created:
            audit_record(actor=actor, action="monthly_report_created", obj=report)
    return report


def _rows_sync(report: MonthlyRolloutReport) -> None:
    """A row per school of the district; a school that changed its complex changes its row's source.

    A row entered by hand keeps its figures when its school is back on this system: the district sees it as
    stale and drops it (`report_row_drop`); the report cannot be sent before."""
    schools = School.objects.filter(district_id=report.district_id).select_related("rollout__complex")
    rows = {r.school_id: r for r in report.rows.all()}
    for school in schools:
        source = MonthlyReportRow.Source.MANUAL if _is_manual(school) else MonthlyReportRow.Source.COMPUTED
        row = rows.get(school.id)
        if row is None:
            MonthlyReportRow.objects.create(report=report, school=school, source=source)
        elif row.source != source and not (row.source == MonthlyReportRow.Source.MANUAL and row.data):
            row.source = source
            row.save(update_fields=["source"])


def _editable(report: MonthlyRolloutReport, actor: Actor) -> None:
    policy.enforce(actor, "can_prepare_monthly_report", report)
    if report.status not in EDITABLE:
        raise ValidationError(_("Отчёт отправлен или принят: изменить его нельзя."))


def report_row_set(*, row: MonthlyReportRow, values: dict[str, Any], actor: Actor) -> MonthlyReportRow:
    """Enter by hand the row of a school on another vendor's system (Python values by field key)."""
    report = row.report
    _editable(report, actor)
    if row.source != MonthlyReportRow.Source.MANUAL:
        raise ValidationError(_("Эта школа работает в данной системе: её строка рассчитывается автоматически."))
    data = {f.key: to_json(f, values.get(f.key)) for f in FIELDS}
    conflicts = row_conflicts(data, year=report.year, month=report.month)
    if conflicts:
        raise ValidationError(conflicts)
    with transaction.atomic():
        changes = {k: [row.data.get(k), v] for k, v in data.items() if row.data.get(k) != v}
        row.data = data
        row.save(update_fields=["data"])
        audit_record(actor=actor, action="monthly_report_row_set", obj=report, school_id=row.school_id, changes=changes)
    return row


def report_rows_save(*, report: MonthlyRolloutReport, rows: dict[int, dict[str, Any]], actor: Actor) -> int:
    """Save uploaded rows (school id → Python values) in one go; return how many rows changed."""
    _editable(report, actor)
    by_school = {r.school_id: r for r in report.rows.select_related("school")}
    prepared = {sid: {f.key: to_json(f, values.get(f.key)) for f in FIELDS} for sid, values in rows.items()}
    conflicts = [
        _("%(school)s: %(problem)s") % {"school": by_school[sid].school.short_name, "problem": problem}
        for sid, data in prepared.items()
        for problem in row_conflicts(data, year=report.year, month=report.month)
    ]
    if conflicts:
        raise ValidationError(conflicts)
    changed = 0
    with transaction.atomic():
        for school_id, data in prepared.items():
            row = by_school[school_id]
            if data != row.data:
                row.data = data
                row.save(update_fields=["data"])
                changed += 1
        audit_record(actor=actor, action="monthly_report_uploaded", obj=report, changes={"rows": [None, changed]})
    return changed


def report_row_drop(*, row: MonthlyReportRow, actor: Actor) -> MonthlyReportRow:
    """Drop the figures entered by hand for a school (a stale row of a school back on this system, or a wrong
    one): the row is emptied and takes the source of the school's complex now. The audit keeps the figures."""
    report = row.report
    _editable(report, actor)
    if row.source != MonthlyReportRow.Source.MANUAL or not row.data:
        raise ValidationError(_("В строке нет данных, введённых вручную."))
    with transaction.atomic():
        old = row.data
        row.data = {}
        row.source = MonthlyReportRow.Source.MANUAL if _is_manual(row.school) else MonthlyReportRow.Source.COMPUTED
        row.save(update_fields=["data", "source"])
        audit_record(actor=actor, action="monthly_report_row_dropped", obj=report, school_id=row.school_id,
                     changes={"data": [old, None], "source": ["manual", row.source]})  # fmt: skip
    return row


def report_problems_set(*, report: MonthlyRolloutReport, problems: str, actor: Actor) -> MonthlyRolloutReport:
    _editable(report, actor)
    with transaction.atomic():
        changes = diff(report, {"problems": problems})
        report.problems = problems
        report.save(update_fields=["problems"])
        audit_record(actor=actor, action="monthly_report_problems", obj=report, changes=changes)
    return report


def report_submit(*, report: MonthlyRolloutReport, actor: Actor) -> MonthlyRolloutReport:
    """Send the draft (or the fixed returned report) to the department; every manual row must be filled.

    The computed rows are frozen as they are sent: the department reviews, and accepts, exactly these figures,
    whatever the journal, the schedule or the service records do meanwhile."""
    _editable(report, actor)
    rows = list(report.rows.select_related("school__rollout__complex"))
    empty = [r.school.short_name for r in rows if r.source == "manual" and not r.data]
    if empty:
        raise ValidationError(
            _("Не заполнены строки школ на других системах: %(schools)s.") % {"schools": ", ".join(empty)}
        )
    stale = [r.school.short_name for r in rows if row_is_stale(r)]
    if stale:
        raise ValidationError(
            _("Школы %(schools)s снова работают в этой системе: удалите их строки, введённые вручную.")
            % {"schools": ", ".join(stale)}
        )
    now = timezone.now()
    with transaction.atomic():
        report = MonthlyRolloutReport.objects.select_for_update().get(pk=report.pk)
        old = report.status
        _rows_freeze(report, actor)
        report.status = MonthlyRolloutReport.Status.SUBMITTED
        report.submitted_at = now
        report.first_submitted_at = report.first_submitted_at or now
        report.save(update_fields=["status", "submitted_at", "first_submitted_at"])
        audit_record(actor=actor, action="monthly_report_submitted", obj=report, changes={"status": [old, "submitted"]})
    return report


def _rows_freeze(report: MonthlyRolloutReport, actor: Actor) -> None:
    """Store the computed values of the report's rows of schools on this system; every row becomes a snapshot."""
    rows = list(report.rows.select_related("school"))
    live = [r.school for r in rows if r.source == MonthlyReportRow.Source.COMPUTED and not r.is_snapshot]
    computed = computed_values(actor=actor, schools=live, year=report.year, month=report.month) if live else {}
    for row in rows:
        if row.school_id in computed:
            row.data = computed[row.school_id]
        row.is_snapshot = True
    MonthlyReportRow.objects.bulk_update(rows, ["data", "is_snapshot"])


def row_is_stale(row: MonthlyReportRow) -> bool:
    """A row entered by hand for a school that works in this system again (or has no complex chosen)."""
    return row.source == MonthlyReportRow.Source.MANUAL and not _is_manual(row.school)


def _reviewed(report: MonthlyRolloutReport, actor: Actor) -> None:
    policy.enforce(actor, "can_review_monthly_report", report)
    if report.status != MonthlyRolloutReport.Status.SUBMITTED:
        raise ValidationError(_("Рассмотреть можно только отправленный отчёт."))


def report_return(*, report: MonthlyRolloutReport, comment: str, actor: Actor) -> MonthlyRolloutReport:
    """The department returns the report to the district with what to fix; its computed rows are live again."""
    _reviewed(report, actor)
    if not comment.strip():
        raise ValidationError(_("Напишите, что нужно исправить."))
    with transaction.atomic():
        report.status = MonthlyRolloutReport.Status.RETURNED
        report.return_comment = comment.strip()
        report.save(update_fields=["status", "return_comment"])
        report.rows.filter(source=MonthlyReportRow.Source.COMPUTED).update(data={}, is_snapshot=False)
        report.rows.filter(source=MonthlyReportRow.Source.MANUAL).update(is_snapshot=False)
        audit_record(
            actor=actor,
            action="monthly_report_returned",
            obj=report,
            changes={"status": ["submitted", "returned"]},
            reason=report.return_comment,
        )
    return report


def report_accept(*, report: MonthlyRolloutReport, actor: Actor) -> MonthlyRolloutReport:
    """Accept the report as it was sent: its snapshot (frozen at submission) never changes again.

    A row sent before submissions froze (no snapshot yet) is frozen now."""
    _reviewed(report, actor)
    with transaction.atomic():
        report = MonthlyRolloutReport.objects.select_for_update().get(pk=report.pk)
        _rows_freeze(report, actor)
        report.status = MonthlyRolloutReport.Status.ACCEPTED
        report.accepted_at = timezone.now()
        report.accepted_by_id = actor.user_id
        report.save(update_fields=["status", "accepted_at", "accepted_by"])
        audit_record(
            actor=actor, action="monthly_report_accepted", obj=report, changes={"status": ["submitted", "accepted"]}
        )
    return report


def report_rows_editable(*, report: MonthlyRolloutReport, actor: Actor) -> None:
    """Refuse unless the actor may change the report now (a draft or a returned report of the own district)."""
    _editable(report, actor)


# --- the maintained monthly figures ---------------------------------------------------------


def month_figures_refresh_kept(*, municipality: Municipality, today: dt.date, actor: Actor | None = None) -> int:
    """Refresh the stored figures of every month the refresh keeps (`rules.months_kept`: the current one and the
    monitoring's history), oldest first; return the number of schools recomputed over all months."""
    from .rules import months_kept

    return sum(
        month_figures_refresh(municipality=municipality, year=year, month=month, actor=actor)
        for year, month in months_kept(today)
    )


def month_figures_refresh(*, municipality: Municipality, year: int, month: int, actor: Actor | None = None,
                          batch: int = 30, full: bool = False) -> int:  # fmt: skip
    """Bring the stored journal figures of the month of the municipality's schools on this system up to date.

    Only the schools whose figures may have changed are recomputed (`stale_month_figures`; every one with
    `full`), `batch` at a time, each batch by `school_month_indicators` in its own read-only statements; the
    rows are then written in one transaction (the recomputed ones replaced, the others marked checked), so the
    report never reads half a refresh. Returns the number of schools recomputed; one audit record when any.
    """
    from ejournal.control.indicators import school_month_indicators

    from .monitoring.selectors import on_another_system
    from .selectors import stale_month_figures

    schools = School.objects.filter(municipality=municipality).select_related("rollout__complex").order_by("pk")
    ids = [s.pk for s in schools if not on_another_system(s)]
    stale = ids if full else stale_month_figures(school_ids=ids, year=year, month=month)
    started = timezone.now()
    changes_from = started - dt.timedelta(seconds=int(city_setting("figures_settle_seconds")))
    rows = []
    for start in range(0, len(stale), batch):
        figures = school_month_indicators(school_ids=stale[start : start + batch], year=year, month=month)
        rows += [
            SchoolMonthFigures(
                school_id=sid,
                year=year,
                month=month,
                data=figures_to_json(f),
                computed_at=started,
                changes_from=changes_from,
                checked_at=started,
            )
            for sid, f in figures.items()
        ]
    with transaction.atomic():
        SchoolMonthFigures.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["school", "year", "month"],
            update_fields=["data", "computed_at", "changes_from", "checked_at"],
        )
        SchoolMonthFigures.objects.filter(school_id__in=sorted(set(ids) - set(stale)), year=year, month=month).update(
            checked_at=started
        )
        if rows:
            audit_record(actor=actor, action="city_month_figures_refresh", obj=municipality,
                         changes={"month": [None, f"{month:02d}.{year}"], "schools": [None, len(rows)]})  # fmt: skip
    return len(rows)


# --- a vendor's system sends its schools' figures (the open API, issue 18) ---------------------------


def _pushed_values(raw: dict[str, Any]) -> dict[str, Any]:
    """Each value read as the upload reads a file's cell (`values.parse_cell`); Russian messages per field."""
    from ejournal.core.imports.fields import CellError

    from .report_fields import BY_KEY
    from .values import parse_cell

    unknown = sorted(set(raw) - set(BY_KEY))
    if unknown:
        raise ValidationError(_("Неизвестные показатели: %(keys)s.") % {"keys": ", ".join(unknown)[:500]}, code="field")
    values, errors = {}, []
    for f in FIELDS:
        text = "" if raw.get(f.key) is None else str(raw[f.key]).strip()
        try:
            values[f.key] = parse_cell(f, text) if text else None
        except CellError as exc:
            errors.append(_("%(field)s: %(problem)s") % {"field": f.label, "problem": exc})
    if errors:
        raise ValidationError(errors, code="field")
    return values


def school_figures_push(
    *, school: School, year: int, month: int, raw: dict[str, Any], actor: Actor
) -> MonthlyReportRow:
    """A vendor's system sends a school's figures of the month: checked as the district's upload checks a file's
    row (each cell, then the row's consistency), written into the district's report while it is a draft or
    returned (created as a draft if the district has not opened it). The district sends the report as before;
    a report already sent refuses (code «conflict»)."""
    policy.enforce(actor, "can_exchange_school_figures", school)
    if not 1 <= month <= 12 or not 2000 <= year <= 2100:
        raise ValidationError(_("Неверный месяц отчёта."), code="month")
    values = _pushed_values(raw)
    data = {f.key: to_json(f, values.get(f.key)) for f in FIELDS}
    conflicts = row_conflicts(data, year=year, month=month)
    if conflicts:
        raise ValidationError(conflicts, code="figures")
    with transaction.atomic():
        report, created = MonthlyRolloutReport.objects.select_for_update().get_or_create(
            district_id=school.district_id, year=year, month=month, defaults={"municipality_id": school.municipality_id}
        )
        if report.status not in EDITABLE:
            raise ValidationError(_("Отчёт округа за этот месяц уже отправлен в департамент: изменить его нельзя."),
                                  code="conflict")  # fmt: skip
        _rows_sync(report)
        row = report.rows.select_related("school").get(school=school)
        if row.source != MonthlyReportRow.Source.MANUAL:
            raise ValidationError(
                _("Школа работает в данной системе: её строка рассчитывается автоматически."), code="computed"
            )
        changes = {k: [row.data.get(k), v] for k, v in data.items() if row.data.get(k) != v}
        row.data = data
        row.save(update_fields=["data"])
        if created:
            audit_record(actor=actor, action="monthly_report_created", obj=report)
        audit_record(actor=actor, action="monthly_report_row_pushed", obj=report, school_id=school.pk, changes=changes)
    return row
