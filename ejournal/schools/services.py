"""Writes of a school's year setup: terms (учебные периоды) and holidays (каникулы, праздники).

Each function validates first and raises `ValidationError` with a Russian
message, so a refused change saves nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError, Q
from django.utils.translation import gettext_lazy as _

from ejournal.access.policy import Actor
from ejournal.core.audit import audit_record, diff_apply

from .calendar import calendar_date, standard_calendar
from .guards import TermChange, term_change_objections
from .models import AcademicYear, Holiday, School, Term

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

TERM_COUNTS: dict[str, int] = {Term.Kind.QUARTER: 4, Term.Kind.TRIMESTER: 3, Term.Kind.HALF_YEAR: 2}
TERM_FIELDS = ("kind", "number", "starts_on", "ends_on", "min_grade", "max_grade")
HOLIDAY_FIELDS = ("name", "kind", "starts_on", "ends_on", "min_grade", "max_grade")


def date_ru(value: dt.date | None) -> str:
    """A date as Russians read it, for messages and the change log."""
    return value.strftime("%d.%m.%Y") if value else "—"


def year_current_of(school: School) -> AcademicYear:
    """The municipality's current school year; refuse when none is set."""
    year = AcademicYear.objects.filter(municipality_id=school.municipality_id, is_current=True).first()
    if year is None:
        raise ValidationError(_("Текущий учебный год не задан. Обратитесь в отдел образования."))
    return year


def grades_check(*, min_grade: int, max_grade: int) -> None:
    """A band of grades: 1–11, the first not after the last."""
    if not (1 <= min_grade <= 11 and 1 <= max_grade <= 11):
        raise ValidationError(_("Классы указываются числами от 1 до 11."))
    if min_grade > max_grade:
        raise ValidationError(_("Первый класс диапазона не может быть больше последнего."))


def dates_check(*, year: AcademicYear, starts_on: dt.date, ends_on: dt.date, outside: StrOrPromise) -> None:
    """A period of dates inside the school year; `outside` is the message when it is not."""
    if ends_on < starts_on:
        raise ValidationError(_("Дата окончания не может быть раньше даты начала."))
    if starts_on < year.starts_on or ends_on > year.ends_on:
        raise ValidationError(outside % {"start": date_ru(year.starts_on), "end": date_ru(year.ends_on)})


# --- terms ---------------------------------------------------------------------------------


def _term_check(term: Term) -> None:
    """Refuse a term outside the year, overlapping another of the same grades, or numbered out of order."""
    grades_check(min_grade=term.min_grade, max_grade=term.max_grade)
    if term.kind not in TERM_COUNTS:
        raise ValidationError(_("Неизвестный вид периода."))
    limit = TERM_COUNTS[term.kind]
    if not 1 <= term.number <= limit:
        raise ValidationError(
            _("Номер периода вида «%(kind)s» — от 1 до %(limit)s.") % {"kind": term.get_kind_display(), "limit": limit}
        )
    outside = _("Учебный период должен лежать в пределах учебного года (%(start)s – %(end)s).")
    dates_check(year=term.year, starts_on=term.starts_on, ends_on=term.ends_on, outside=outside)
    others = list(Term.objects.filter(school_id=term.school_id, year_id=term.year_id).exclude(pk=term.pk))
    for other in others:
        shares_grades = other.min_grade <= term.max_grade and term.min_grade <= other.max_grade
        if shares_grades and other.starts_on <= term.ends_on and term.starts_on <= other.ends_on:
            raise ValidationError(
                _("Период пересекается с периодом «%(other)s» (%(start)s – %(end)s, классы %(min)s–%(max)s).")
                % {
                    "other": other,
                    "start": date_ru(other.starts_on),
                    "end": date_ru(other.ends_on),
                    "min": other.min_grade,
                    "max": other.max_grade,
                }
            )
    band = [t for t in others if (t.kind, t.min_grade, t.max_grade) == (term.kind, term.min_grade, term.max_grade)]
    _numbers_check([*band, term])


def _numbers_check(band: list[Term]) -> None:
    """Terms of one band are numbered 1, 2, 3… in the order of their dates."""
    for expected, term in enumerate(sorted(band, key=lambda t: t.starts_on), start=1):
        if term.number != expected:
            raise ValidationError(
                _(
                    "Периоды нумеруются подряд по датам: период с %(start)s должен иметь номер %(expected)s, "
                    "а не %(number)s."
                )
                % {"start": date_ru(term.starts_on), "expected": expected, "number": term.number}
            )


@transaction.atomic
def term_create(
    *,
    school: School,
    kind: str,
    number: int,
    starts_on: dt.date,
    ends_on: dt.date,
    min_grade: int,
    max_grade: int,
    actor: Actor,
) -> Term:
    """Add a term of the current year for a band of grades."""
    values = {"kind": kind, "number": number, "starts_on": starts_on, "ends_on": ends_on}
    term = Term(school=school, year=year_current_of(school), min_grade=min_grade, max_grade=max_grade, **values)
    _term_check(term)
    term.save()
    changes = {name: [None, getattr(term, name)] for name in TERM_FIELDS}
    audit_record(actor=actor, action="term_create", obj=term, changes=changes)
    return term


@transaction.atomic
def term_update(
    *,
    term: Term,
    kind: str,
    number: int,
    starts_on: dt.date,
    ends_on: dt.date,
    min_grade: int,
    max_grade: int,
    actor: Actor,
) -> Term:
    """Change a term's dates, number or grades.

    Refused when the apps above object (`guards`): the journal refuses a
    change that leaves its records outside every term or touches a closed term.
    Saving the term unchanged writes nothing.
    """
    values = {
        "kind": kind,
        "number": number,
        "starts_on": starts_on,
        "ends_on": ends_on,
        "min_grade": min_grade,
        "max_grade": max_grade,
    }
    saved = Term.objects.select_for_update().get(pk=term.pk)
    changes = diff_apply(term, values)
    if not changes:
        return term
    _term_check(term)
    _objections_check(TermChange(term=saved, starts_on=starts_on, ends_on=ends_on, min_grade=min_grade,
                                 max_grade=max_grade))  # fmt: skip
    term.save()
    audit_record(actor=actor, action="term_update", obj=term, changes=changes)
    return term


def _objections_check(change: TermChange) -> None:
    """Ask the apps above whether the change would strand their records; refuse with all their reasons."""
    if not change.moves:
        return
    reasons = term_change_objections(change)
    if reasons:
        raise ValidationError(reasons, code="term_in_use")


@transaction.atomic
def term_delete(*, term: Term, actor: Actor) -> None:
    """Remove a term; only the last of its band, and only while nothing refers to it or lies in its dates."""
    band = Term.objects.filter(
        school_id=term.school_id,
        year_id=term.year_id,
        kind=term.kind,
        min_grade=term.min_grade,
        max_grade=term.max_grade,
    ).exclude(pk=term.pk)
    if band.filter(number__gt=term.number).exists():
        raise ValidationError(_("Удалить можно только последний период вида: иначе нарушится нумерация."))
    saved = Term.objects.select_for_update().get(pk=term.pk)
    _objections_check(TermChange(term=saved, starts_on=None, ends_on=None, min_grade=None, max_grade=None))
    audit_record(
        actor=actor, action="term_delete", obj=term, changes={n: [getattr(term, n), None] for n in TERM_FIELDS}
    )
    try:
        term.delete()
    except ProtectedError:
        raise ValidationError(_("Период уже используется (например, в отметках) и не может быть удалён.")) from None


# --- holidays ------------------------------------------------------------------------------


def _holiday_check(holiday: Holiday) -> None:
    if not holiday.name.strip():
        raise ValidationError(_("Укажите название."))
    grades_check(min_grade=holiday.min_grade, max_grade=holiday.max_grade)
    outside = _("Каникулы и праздничные дни должны быть в пределах учебного года (%(start)s – %(end)s).")
    dates_check(year=holiday.year, starts_on=holiday.starts_on, ends_on=holiday.ends_on, outside=outside)


@transaction.atomic
def holiday_create(
    *,
    school: School,
    name: str,
    kind: str,
    starts_on: dt.date,
    ends_on: dt.date,
    min_grade: int,
    max_grade: int,
    actor: Actor,
) -> Holiday:
    """Add the school's own vacation or day without lessons in the current year."""
    holiday = Holiday(
        municipality_id=school.municipality_id,
        school=school,
        year=year_current_of(school),
        name=name.strip(),
        kind=kind,
        starts_on=starts_on,
        ends_on=ends_on,
        min_grade=min_grade,
        max_grade=max_grade,
    )
    _holiday_check(holiday)
    holiday.save()
    changes = {n: [None, getattr(holiday, n)] for n in HOLIDAY_FIELDS}
    audit_record(actor=actor, action="holiday_create", obj=holiday, changes=changes)
    return holiday


@transaction.atomic
def holiday_update(
    *,
    holiday: Holiday,
    name: str,
    kind: str,
    starts_on: dt.date,
    ends_on: dt.date,
    min_grade: int,
    max_grade: int,
    actor: Actor,
) -> Holiday:
    """Change the school's own holiday (city-wide ones are the department's)."""
    if holiday.school_id is None:
        raise ValidationError(_("Городские каникулы и праздники меняет только департамент образования."))
    values = {
        "name": name.strip(),
        "kind": kind,
        "starts_on": starts_on,
        "ends_on": ends_on,
        "min_grade": min_grade,
        "max_grade": max_grade,
    }
    changes = diff_apply(holiday, values)
    _holiday_check(holiday)
    holiday.save()
    audit_record(actor=actor, action="holiday_update", obj=holiday, changes=changes)
    return holiday


@transaction.atomic
def holiday_delete(*, holiday: Holiday, actor: Actor) -> None:
    if holiday.school_id is None:
        raise ValidationError(_("Городские каникулы и праздники меняет только департамент образования."))
    changes = {n: [getattr(holiday, n), None] for n in HOLIDAY_FIELDS}
    audit_record(actor=actor, action="holiday_delete", obj=holiday, changes=changes)
    holiday.delete()


# --- the standard calendar -----------------------------------------------------------------


@transaction.atomic
def year_fill_standard(*, school: School, actor: Actor) -> tuple[int, int]:
    """Create the usual quarters and vacations for a school whose year has no terms yet.

    Vacations that overlap one the school or the city already has are
    skipped. Returns (terms created, holidays created).
    """
    year = year_current_of(school)
    if Term.objects.filter(school=school, year=year).exists():
        raise ValidationError(
            _("Учебные периоды на этот год уже заданы. Стандартный календарь заполняет только пустой год.")
        )
    calendar = standard_calendar()
    first = year.starts_on.year
    terms = [
        Term(
            school=school,
            year=year,
            kind=kind,
            number=number,
            starts_on=calendar_date(first, start),
            ends_on=calendar_date(first, end),
            min_grade=low,
            max_grade=high,
        )
        for kind, number, start, end, low, high in calendar["terms"]
    ]
    existing = list(
        Holiday.objects.filter(year=year, municipality_id=school.municipality_id).filter(
            Q(school=school) | Q(school__isnull=True)
        )
    )
    holidays: list[Holiday] = []
    for name, kind, start, end, low, high in calendar["holidays"]:
        starts_on, ends_on = calendar_date(first, start), calendar_date(first, end)
        if any(h.starts_on <= ends_on and starts_on <= h.ends_on for h in [*existing, *holidays]):
            continue
        holidays.append(
            Holiday(
                municipality_id=school.municipality_id,
                school=school,
                year=year,
                name=str(name),
                kind=kind,
                starts_on=max(starts_on, year.starts_on),
                ends_on=min(ends_on, year.ends_on),
                min_grade=low,
                max_grade=high,
            )
        )
    for term in terms:
        _term_check(term)
        term.save()
    for holiday in holidays:
        _holiday_check(holiday)
    Holiday.objects.bulk_create(holidays)
    counts = {"terms": [0, len(terms)], "holidays": [0, len(holidays)]}
    audit_record(actor=actor, action="year_fill_standard", obj=school, school_id=school.pk, changes=counts)
    return len(terms), len(holidays)
