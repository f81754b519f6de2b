"""The periods a school report is built for: each term (quarter, trimester, half-year) of the year, and the year."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from ejournal.schools.models import AcademicYear, School, Term

YEAR = "year"


@dataclass(frozen=True)
class Period:
    """What a report covers: `term` for a term's marks, None for the year's («годовая»)."""

    key: str
    label: str
    year: AcademicYear
    first: dt.date
    last: dt.date
    min_grade: int
    max_grade: int
    term: Term | None = None
    previous: Term | None = None

    @property
    def day(self) -> dt.date:
        """The day the roster is taken on: the period's last day, or today while it runs."""
        return min(self.last, timezone.localdate())

    @property
    def is_year(self) -> bool:
        return self.term is None


def _term_label(t: Term) -> str:
    grades = "" if (t.min_grade, t.max_grade) == (1, 11) else f" ({t.min_grade}–{t.max_grade} кл.)"
    return f"{t}{grades}"


def school_periods(school: School) -> list[Period]:
    """The current year's terms of the school, in order, then the year; one query."""
    terms = list(Term.objects.filter(school=school, year__is_current=True).select_related("year")
                 .order_by("min_grade", "starts_on"))  # fmt: skip
    out = []
    for t in terms:
        previous = next((p for p in terms if p.kind == t.kind and p.min_grade == t.min_grade
                         and p.number == t.number - 1), None)  # fmt: skip
        out.append(Period(key=f"t{t.pk}", label=_term_label(t), year=t.year, first=t.starts_on, last=t.ends_on,
                          min_grade=t.min_grade, max_grade=t.max_grade, term=t, previous=previous))  # fmt: skip
    if terms:
        year = terms[0].year
        out.append(Period(key=YEAR, label=_("Учебный год %(name)s") % {"name": year.name}, year=year,
                          first=min(t.starts_on for t in terms), last=max(t.ends_on for t in terms),
                          min_grade=1, max_grade=11))  # fmt: skip
    return out


def period_choose(periods: list[Period], key: str | None) -> Period | None:
    """The period asked for; without one, the term running today (or the last one ended), else the first."""
    if not periods:
        return None
    chosen = next((p for p in periods if p.key == key), None)
    if chosen:
        return chosen
    today = timezone.localdate()
    terms = [p for p in periods if not p.is_year]
    running = [p for p in terms if p.first <= today <= p.last]
    ended = [p for p in terms if p.last < today]
    return (running or ended[-1:] or periods)[0]
