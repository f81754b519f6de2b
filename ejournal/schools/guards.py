"""What a term's change would take away, and the apps above that may refuse it (the journal keeps dated records).

`schools` sits below the timetable and the journal and never imports them; yet
a term whose dates or grades change can leave marks, absences or lesson
records outside every term (the journal then cannot place them: averages and
term marks change silently). So a term change is described here as the dates ×
grades it takes away (`TermChange.removed`), and each app that keeps records
in terms registers a *guard* in its `AppConfig.ready()`: a function returning
the Russian reasons to refuse (an empty list: no objection). The term services
ask every guard before they write. See docs/decisions/0005-term-guards.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from .models import Term

ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Area:
    """Dates from `first` to `last` for the grades `min_grade`–`max_grade` (all inclusive)."""

    first: dt.date
    last: dt.date
    min_grade: int
    max_grade: int


@dataclass(frozen=True)
class TermChange:
    """A change of a saved term (`term`, its saved values) to new dates and grades; `None` values: deletion."""

    term: Term
    starts_on: dt.date | None
    ends_on: dt.date | None
    min_grade: int | None
    max_grade: int | None

    @property
    def deleting(self) -> bool:
        return self.starts_on is None

    @property
    def moves(self) -> bool:
        """Whether the dates or grades change (a change of kind or number alone does not move any record)."""
        t = self.term
        return self.deleting or (t.starts_on, t.ends_on, t.min_grade, t.max_grade) != (
            self.starts_on, self.ends_on, self.min_grade, self.max_grade,
        )  # fmt: skip

    @property
    def removed(self) -> list[Area]:
        """The dates × grades the term covers now and would not cover after the change."""
        t = self.term
        starts, ends, low, high = self.starts_on, self.ends_on, self.min_grade, self.max_grade
        if starts is None or ends is None or low is None or high is None:  # deleting
            return [Area(t.starts_on, t.ends_on, t.min_grade, t.max_grade)]
        areas = []
        if t.starts_on < starts:  # days cut off the start
            areas.append(Area(t.starts_on, min(t.ends_on, starts - ONE_DAY), t.min_grade, t.max_grade))
        if t.ends_on > ends:  # days cut off the end
            areas.append(Area(max(t.starts_on, ends + ONE_DAY), t.ends_on, t.min_grade, t.max_grade))
        first, last = max(t.starts_on, starts), min(t.ends_on, ends)
        if first <= last:  # the days kept, for the grades taken out of the band
            if t.min_grade < low:
                areas.append(Area(first, last, t.min_grade, min(t.max_grade, low - 1)))
            if t.max_grade > high:
                areas.append(Area(first, last, max(t.min_grade, high + 1), t.max_grade))
        return areas

    @property
    def grades_left(self) -> list[int]:
        """Grades of the term's band that the term would no longer cover at all."""
        band = range(self.term.min_grade, self.term.max_grade + 1)
        low, high = self.min_grade, self.max_grade
        if low is None or high is None:  # deleting
            return list(band)
        return [g for g in band if not low <= g <= high]


TermGuard = Callable[[TermChange], list[str]]
_guards: list[TermGuard] = []


def term_guard_register(guard: TermGuard) -> None:
    """Let an app above refuse term changes; registering twice is harmless."""
    if guard not in _guards:
        _guards.append(guard)


def term_guards() -> tuple[TermGuard, ...]:
    return tuple(_guards)


def term_change_objections(change: TermChange) -> list[str]:
    """Every registered guard's reasons to refuse the change, in registration order."""
    return [reason for guard in _guards for reason in guard(change)]
