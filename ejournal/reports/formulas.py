"""The formulas of REQUIREMENTS §3 over period marks: a student's category, a group's figures.

A *unit* is one period mark (a student in a subject); a *student* is classified by all their marks of
the period. Classes, parallels and the school count students; subjects and teachers count units. In both
N is what was counted, excluding exempt («осв») units and students with nothing but «осв»; students
who left before the period's last day are not counted at all (the selectors drop them).

Categories: «5» only fives; «4» fours and fives with at least one four; «3» at least one three (or only
«зач»), no two; «2» at least one 1, 2 or «незач»; «na» at least one «н/а» and no fail. A student with
both a two and a «н/а» counts as failing (n2) and appears in both lists.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

FAIL = frozenset({"1", "2", "незач"})
NOT_ATTESTED = "н/а"
EXEMPT = "осв"
PASSED = "зач"
NUMERIC = frozenset({"1", "2", "3", "4", "5"})
CATEGORIES = ("5", "4", "3", "2", "na")
# СОУ weights: a five «knows» 100 %, a four 64 %, a three 36 %, a two 16 %, «н/а» 7 %.
SOU_WEIGHTS = {"5": 100, "4": 64, "3": 36, "2": 16, "na": 7}
ONE = Decimal("0.1")
TWO = Decimal("0.01")


def unit_category(value: str) -> str | None:
    """The category of one period mark; None for «осв» (not counted)."""
    if value == EXEMPT:
        return None
    if value in FAIL:
        return "2"
    if value == NOT_ATTESTED:
        return "na"
    if value == PASSED:
        return "3"
    return value if value in NUMERIC else None


def student_category(values: Iterable[str]) -> str | None:
    """The category of a student from all their period marks; None when only «осв» (or nothing) is left."""
    counted = [v for v in values if v != EXEMPT and unit_category(v) is not None]
    if not counted:
        return None
    if any(v in FAIL for v in counted):
        return "2"
    if NOT_ATTESTED in counted:
        return "na"
    numeric = [int(v) for v in counted if v in NUMERIC]
    if not numeric:
        return "3"  # only «зач»: passes, not «качество»
    return str(min(numeric))


def one_below(values: Iterable[str], below: str) -> bool:
    """«С одной 4» / «с одной 3»: exactly one mark `below`, every other counted mark higher."""
    counted = [v for v in values if v in NUMERIC]
    return counted.count(below) == 1 and all(v > below for v in counted if v != below)


@dataclass
class Figures:
    """The counts of a group and the percentages of REQUIREMENTS §3 (None where N is 0)."""

    counts: Counter = field(default_factory=Counter)
    marks_sum: int = 0
    marks_n: int = 0

    def add(self, category: str | None, numeric: Iterable[str] = ()) -> None:
        if category is None:
            return
        self.counts[category] += 1
        for v in numeric:
            if v in NUMERIC:
                self.marks_sum += int(v)
                self.marks_n += 1

    def merge(self, other: Figures) -> None:
        self.counts.update(other.counts)
        self.marks_sum += other.marks_sum
        self.marks_n += other.marks_n

    @property
    def total(self) -> int:
        return sum(self.counts[c] for c in CATEGORIES)

    def _pct(self, part: int) -> Decimal | None:
        return (Decimal(part) * 100 / self.total).quantize(ONE, ROUND_HALF_UP) if self.total else None

    @property
    def pass_rate(self) -> Decimal | None:
        """Успеваемость = (n5 + n4 + n3) × 100 / N."""
        return self._pct(self.counts["5"] + self.counts["4"] + self.counts["3"])

    @property
    def quality(self) -> Decimal | None:
        """Качество знаний = (n5 + n4) × 100 / N."""
        return self._pct(self.counts["5"] + self.counts["4"])

    @property
    def sou(self) -> Decimal | None:
        """СОУ = (100·n5 + 64·n4 + 36·n3 + 16·n2 + 7·nн/а) / N."""
        if not self.total:
            return None
        weighted = sum(SOU_WEIGHTS[c] * self.counts[c] for c in CATEGORIES)
        return (Decimal(weighted) / self.total).quantize(ONE, ROUND_HALF_UP)

    @property
    def average(self) -> Decimal | None:
        """The mean of the numeric period marks (1–5) counted, two places."""
        return (Decimal(self.marks_sum) / self.marks_n).quantize(TWO, ROUND_HALF_UP) if self.marks_n else None

    def row(self) -> dict:
        c = self.counts
        return {"n": self.total, "n5": c["5"], "n4": c["4"], "n3": c["3"], "n2": c["2"], "nna": c["na"],
                "pass_rate": self.pass_rate, "quality": self.quality, "sou": self.sou, "average": self.average}  # fmt: skip


def delta(now: Decimal | None, before: Decimal | None) -> Decimal | None:
    """The change of a percentage against the previous period (None when either is missing)."""
    return None if now is None or before is None else now - before
