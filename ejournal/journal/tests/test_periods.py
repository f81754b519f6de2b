"""Weighted average, suggestion thresholds and rounding, density warning, period marks, term closing."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ejournal.schools.models import Term

from ..averages import build_suggestion, suggest, weighted_average
from ..models import ChangeRecord, PeriodMark, TermClosure
from ..rules import JournalRules
from ..selectors import period_mark_suggest
from ..services import ConflictError, mark_set, period_mark_set, term_close, work_types_ensure
from .helpers import MON, at, deputy, journal, teacher

RULES = JournalRules()
D = Decimal


def test_weighted_average_on_known_numbers():
    # 5 (answer, 1) + 4 (independent, 1.5) + 3 (test, 2) + 5 (term test, 3): (5 + 6 + 6 + 15) / 7.5 = 4.2666… → 4.27
    assert weighted_average([(5, D("1")), (4, D("1.5")), (3, D("2")), (5, D("3"))]) == D("4.27")
    assert weighted_average([(None, D("1"))]) is None
    assert weighted_average([(2, D("1")), (None, D("2"))]) == D("2.00")  # «зач» does not count


@pytest.mark.parametrize(
    ("average", "mark"),
    [("4.65", "5"), ("4.64", "4"), ("3.65", "4"), ("3.64", "3"), ("2.65", "3"), ("2.64", "2"), ("1.00", "2")],
)
def test_suggestion_thresholds(average, mark):
    assert suggest(D(average), RULES) == mark


def test_rounding_in_the_students_favour_is_half_up_to_two_places_before_the_thresholds():
    # 4.645 exactly (e.g. 5×0.645 + 4×0.355 in weights summing to 1): shown 4.65 → «5».
    exactly = [(5, D("0.645")), (4, D("0.355"))]
    assert weighted_average(exactly) == D("4.65")
    assert suggest(weighted_average(exactly), RULES) == "5"
    # 4.6449 shows 4.64 → «4»; 3.645 → 3.65 → «4»; 2.645 → 2.65 → «3».
    assert weighted_average([(5, D("0.6449")), (4, D("0.3551"))]) == D("4.64")
    assert suggest(weighted_average([(4, D("0.645")), (3, D("0.355"))]), RULES) == "4"
    assert suggest(weighted_average([(3, D("0.645")), (2, D("0.355"))]), RULES) == "3"
    # Exact fractions: 14/3 = 4.666… → 4.67; 11/3 = 3.666… → 3.67.
    assert weighted_average([(5, D("2")), (4, D("1"))]) == D("4.67")


def test_density_warning_below_the_norm():
    low = build_suggestion([(5, D("1"))] * 2, hours_per_week=D("2"), term_kind=Term.Kind.QUARTER, rules=RULES)
    assert (low.required, low.density_ok) == (3, False)
    assert low.warning == "Отметок за период: 2, а по Положению нужно не менее 3."
    high = build_suggestion([(5, D("1"))] * 4, hours_per_week=D("5"), term_kind=Term.Kind.QUARTER, rules=RULES)
    assert (high.required, high.density_ok) == (5, False)
    half = build_suggestion([(4, D("1"))] * 5, hours_per_week=D("1"), term_kind=Term.Kind.HALF_YEAR, rules=RULES)
    assert (half.required, half.density_ok, half.warning, half.value) == (5, True, "", "4")


def test_rules_are_settings(settings):
    from ..rules import rules_for

    settings.EJ_JOURNAL_RULES = {"density_min_low_hours": 4, "suggestion_thresholds": [["4.5", "5"], ["3.5", "4"]]}
    rules = rules_for(None)
    assert rules.density_min_low_hours == 4
    assert suggest(D("4.50"), rules) == "5"


def test_period_mark_suggest_reads_the_journal_and_period_mark_set_keeps_suggestion_and_log(world):
    a, days = journal(world, days=[MON, MON + dt.timedelta(days=1), MON + dt.timedelta(days=2)])
    kinds = work_types_ensure(world.school)
    term = world.school.terms.get(number=1)
    for day, (value, kind) in zip(days, [(5, "answer"), (4, "independent"), (5, "test")], strict=True):
        with at(day.date):
            mark_set(lesson=day, student=world.student, value=value, work_type=kinds[kind], actor=teacher(world))
    suggestion = period_mark_suggest(actor=teacher(world), assignment=a, student=world.student, term=term)
    # (5 + 6 + 10) / 4.5 = 4.666… → 4.67 → «5»; 3 marks at 5 h/week: below the norm of 5.
    assert (suggestion.average, suggestion.value, suggestion.count, suggestion.required) == (D("4.67"), "5", 3, 5)
    assert suggestion.warning
    with at(term.ends_on):
        mark = period_mark_set(assignment=a, student=world.student, term=term, value="4", actor=teacher(world))
        with pytest.raises(ConflictError):
            period_mark_set(assignment=a, student=world.student, term=term, value="5", actor=teacher(world))
        with pytest.raises(ValidationError, match="одно из значений"):
            period_mark_set(assignment=a, student=world.classmate, term=term, value="6", actor=teacher(world))
        period_mark_set(assignment=a, student=world.classmate, term=term, value="н/а", actor=teacher(world))
    assert (mark.value, mark.suggested, mark.average, mark.confirmed_by_id) == ("4", "5", D("4.67"), world.teacher.pk)
    record = ChangeRecord.objects.get(entity="period_mark", student=world.student)
    assert (record.field, record.old, record.new, record.term_id) == ("term", "", "4", term.pk)
    assert PeriodMark.objects.count() == 2


def test_term_marks_are_due_by_the_terms_last_day(world):
    a, _days = journal(world)
    term = world.school.terms.get(number=1)
    with at(term.ends_on + dt.timedelta(days=1)), pytest.raises(ValidationError, match="Срок внесения"):
        period_mark_set(assignment=a, student=world.student, term=term, value="5", actor=teacher(world))
    assert not PeriodMark.objects.exists()


def test_only_the_deputy_head_or_director_closes_a_term_and_a_closed_term_locks_period_marks(world):
    a, _days = journal(world)
    term = world.school.terms.get(number=1)
    with pytest.raises(PermissionDenied):
        term_close(term=term, actor=teacher(world))
    term_close(term=term, school_class=world.cls, actor=deputy(world))
    with pytest.raises(ValidationError, match="уже закрыт"):
        term_close(term=term, school_class=world.cls, actor=deputy(world))
    assert TermClosure.objects.count() == 1
    with at(MON), pytest.raises(ValidationError, match="закрыт"):
        period_mark_set(assignment=a, student=world.student, term=term, value="5", actor=teacher(world))
