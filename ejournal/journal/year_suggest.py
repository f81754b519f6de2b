"""The suggested year and final marks: pure rules on the term, year and exam marks (decision 0010).

Year mark (годовая) from the term marks of the terms the student was in the class:
- the plain average of the numeric term marks, exact, rounded half-up to
  `rules.average_decimals`, then the term marks' thresholds (4.65 / 3.65 / 2.65:
  "by the same thresholds"), or arithmetic rounding from x.5 where the
  Regulation says so (`year_mark_math_rounding`);
- «осв» (exempt for a term) is left out; exempt in every term gives «осв»;
- «н/а» in every attested term gives «н/а»; «н/а» beside numeric marks gives
  the average of the numeric ones with a warning (the teacher decides; the
  batch leaves such students alone);
- a term the student was in the class for without a term mark gives the
  average of the others with a warning (not yet set, or forgotten);
- «зач»/«незач» subjects: «незач» if any term is «незач», else «зач».
Final mark (итоговая): the year mark; where the subject has an exam in the
grade and the student has an exam mark, the average of the year and exam
marks rounded arithmetically (4 and 5 give 5), as the order on filling in
school certificates prescribes; without an exam mark yet, the year mark with
a warning.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.utils.translation import gettext as _

from ejournal.schools.models import Term

from .averages import round_half_up, suggest
from .models import MARK_FAIL, MARK_PASS, PeriodKind
from .rules import JournalRules

EXEMPT, NOT_ATTESTED = "осв", "н/а"


@dataclass(frozen=True)
class YearSuggestion:
    """What the journal proposes for a year (or final) mark; `warning` says why the teacher should decide."""

    value: str
    average: Decimal | None = None
    warning: str = ""


def _numeric(value: str) -> int | None:
    return int(value) if value.isdigit() else None


def year_suggest(terms: Sequence[tuple[str, str | None]], rules: JournalRules) -> YearSuggestion:
    """The suggested year mark from (term name, term mark or None) of the terms the student was in the class."""
    missing = [name for name, value in terms if not value]
    values = [value for _name, value in terms if value]
    warnings = []
    if missing:
        warnings.append(_("Нет отметки за: %(terms)s.") % {"terms": ", ".join(missing)})
    if not values:
        return YearSuggestion("", None, " ".join(warnings))
    attested = [v for v in values if v != EXEMPT]
    if not attested:
        return YearSuggestion(EXEMPT, None, " ".join(warnings))
    if all(v == NOT_ATTESTED for v in attested):
        return YearSuggestion(NOT_ATTESTED, None, " ".join(warnings))
    if NOT_ATTESTED in attested:
        warnings.append(_("Есть период с отметкой «н/а»: решите, аттестовать ли ученика за год."))
    if any(v in (MARK_PASS, MARK_FAIL) for v in attested):
        return YearSuggestion(MARK_FAIL if MARK_FAIL in attested else MARK_PASS, None, " ".join(warnings))
    numbers = [n for n in map(_numeric, attested) if n is not None]
    average = round_half_up(Fraction(sum(numbers), len(numbers)), rules.average_decimals)
    math = rules.year_mark_math_rounding
    value = str(int(round_half_up(Fraction(average), 0))) if math else suggest(average, rules)
    return YearSuggestion(value, average, " ".join(warnings))


def final_suggest(*, year: str, exam: str, has_exam: bool) -> YearSuggestion:
    """The suggested final mark from the year mark and, where the subject has an exam, the exam mark."""
    if not year:
        return YearSuggestion("", None, _("Сначала выставьте годовую отметку."))
    if not has_exam:
        return YearSuggestion(year)
    if not exam:
        return YearSuggestion(year, None, _("Нет экзаменационной отметки: если ученик сдаёт экзамен, дождитесь её."))
    year_n, exam_n = _numeric(year), _numeric(exam)
    if year_n is None:
        return YearSuggestion(year)  # «н/а», «осв», «зач»: the exam does not change them
    if exam_n is None:
        return YearSuggestion("", None, _("Экзаменационная отметка «%(exam)s»: итоговую решает учитель.") % {
            "exam": exam})  # fmt: skip
    average = Fraction(year_n + exam_n, 2)
    return YearSuggestion(str(int(round_half_up(average, 0))), round_half_up(average, 2))


@dataclass(frozen=True)
class YearWindow:
    """When year, exam and final marks of a class may be set: from `opens_on`; on time until their deadline."""

    last_term: Term
    opens_on: dt.date
    year_due: dt.date
    exam_due: dt.date

    def due(self, kind: str) -> dt.date:
        """The last day a mark of this kind is on time (exam and final marks share theirs)."""
        return self.year_due if kind == PeriodKind.YEAR else self.exam_due

    def locks_with_term(self, kind: str) -> bool:
        """Year marks lock when the last term is closed; exam and final marks, set after it, at their deadline."""
        return kind == PeriodKind.YEAR


def year_window(last_term: Term, rules: JournalRules) -> YearWindow:
    """The window of a class whose year ends with `last_term`, by the Regulation's days."""
    end = last_term.ends_on
    return YearWindow(
        last_term=last_term,
        opens_on=end - dt.timedelta(days=rules.year_marks_open_days),
        year_due=end + dt.timedelta(days=rules.year_mark_grace_days),
        exam_due=end + dt.timedelta(days=rules.exam_mark_days),
    )
