"""Averages, the suggested period mark and the mark density: pure arithmetic on (value, weight) pairs.

Definitions (the exemplary Regulation, REQUIREMENTS §2):
- weighted average = Σ(mark × weight) / Σ weight over the numeric marks of the
  period, computed exactly (fractions);
- it is then rounded half-up to `rules.average_decimals` (2) places — the
  figure the teacher sees — and the thresholds are compared with that figure.
  This is the rounding «in the student's favour»: 4.645 shows as 4.65 and
  gives 5, while 4.6449… shows as 4.64 and gives 4;
- «зач»/«незач» count towards the density but not into the averages.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.utils.translation import gettext as _

from ejournal.schools.models import Term

from .rules import JournalRules


def round_half_up(value: Fraction, decimals: int) -> Decimal:
    scale = 10**decimals
    return Decimal(math.floor(value * scale + Fraction(1, 2))) / Decimal(scale)


def weighted_average(pairs: Iterable[tuple[int | None, Decimal]], decimals: int = 2) -> Decimal | None:
    """Σ(value × weight) / Σ weight, rounded half-up; None without numeric marks.

    Weights with at most two decimals (the schools' settings) are summed as whole hundredths: the same exact
    result as with fractions, several times faster (a journal page averages every student's marks).
    """
    pairs = list(pairs)
    total = weights = 0
    for value, weight in pairs:
        if value is None:
            continue
        hundredths = weight * 100
        if hundredths != int(hundredths):
            return _weighted_average_exact(pairs, decimals)
        total += value * int(hundredths)
        weights += int(hundredths)
    if weights <= 0:
        return _weighted_average_exact(pairs, decimals)
    scale = 10**decimals
    return Decimal((2 * total * scale + weights) // (2 * weights)) / Decimal(scale)  # floor(total/weights + 1/2)


def _weighted_average_exact(pairs: list[tuple[int | None, Decimal]], decimals: int) -> Decimal | None:
    total, weights = Fraction(0), Fraction(0)
    for value, weight in pairs:
        if value is None:
            continue
        total += Fraction(value) * Fraction(weight)
        weights += Fraction(weight)
    return round_half_up(total / weights, decimals) if weights else None


def plain_average(values: Iterable[int | None], decimals: int = 2) -> Decimal | None:
    numbers = [v for v in values if v is not None]
    return round_half_up(Fraction(sum(numbers), len(numbers)), decimals) if numbers else None


def suggest(average: Decimal | None, rules: JournalRules) -> str:
    """The suggested period mark for a (rounded) weighted average: ≥4.65 → 5, ≥3.65 → 4, ≥2.65 → 3, else 2."""
    if average is None:
        return ""
    for limit, mark in rules.suggestion_thresholds:
        if average >= limit:
            return mark
    return rules.suggestion_floor


def density_required(hours_per_week: Decimal, term_kind: str, rules: JournalRules) -> int:
    """The minimum number of marks per student in a term (half-years have their own minimum)."""
    if term_kind == Term.Kind.HALF_YEAR:
        return rules.density_min_half_year
    if hours_per_week <= rules.density_hours_threshold:
        return rules.density_min_low_hours
    return rules.density_min_high_hours


@dataclass(frozen=True)
class Suggestion:
    """What the journal proposes as a period mark, and why."""

    value: str
    average: Decimal | None
    plain_average: Decimal | None
    count: int
    required: int
    warning: str

    @property
    def density_ok(self) -> bool:
        return self.count >= self.required


def build_suggestion(
    pairs: list[tuple[int | None, Decimal]], *, hours_per_week: Decimal, term_kind: str, rules: JournalRules
) -> Suggestion:
    """Weighted and plain averages, the suggested mark, and a warning under the density norm."""
    average = weighted_average(pairs, rules.average_decimals)
    required = density_required(hours_per_week, term_kind, rules)
    count = len(pairs)
    warning = ""
    if count < required:
        warning = _("Отметок за период: %(count)s, а по Положению нужно не менее %(required)s.") % {
            "count": count,
            "required": required,
        }
    return Suggestion(
        value=suggest(average, rules),
        average=average,
        plain_average=plain_average((v for v, _w in pairs), rules.average_decimals),
        count=count,
        required=required,
        warning=warning,
    )
