"""The monthly indicators on a hand-made month with known answers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from ejournal.journal.tests.helpers import at
from ejournal.regulation.models import Regulation
from ejournal.regulation.selectors import cache_forget

from ..indicators import SchoolMonthIndicators, school_month_indicators
from .data import september

pytestmark = pytest.mark.django_db
AFTER = dt.date(2026, 10, 5)


@pytest.fixture(autouse=True)
def _clean_cache(world):
    cache_forget([world.school.pk, world.other_school.pk])
    yield
    cache_forget([world.school.pk, world.other_school.pk])


def test_indicators_of_a_hand_made_month(world):
    september(world)
    with at(AFTER):
        result = school_month_indicators(school_ids=[world.school.pk, world.other_school.pk], year=2026, month=9)
    assert result[world.school.pk] == SchoolMonthIndicators(
        classes_in_system=2,
        students_in_system=3,
        teachers_with_accounts=2,
        teachers_active=1,
        guardians_with_access=1,
        guardians_logged_in=1,
        lessons_total=4,
        lessons_topic_on_time_pct=D("50.0"),
        lessons_homework_on_time_pct=D("50.0"),
        lessons_attendance_pct=D("75.0"),
        marks_per_student=D("1.3"),
        density_norm_met_pct=D("50.0"),
        marks_late_pct=D("25.0"),
    )
    assert result[world.other_school.pk] == SchoolMonthIndicators(
        classes_in_system=1, students_in_system=1, teachers_with_accounts=1, guardians_with_access=1,
        marks_per_student=D("0.0"),
    )  # fmt: skip


def test_the_schools_regulation_sets_the_grace_days(world):
    september(world)
    Regulation.objects.create(
        municipality=world.city, school=world.school, title="Положение", adopted_on=dt.date(2026, 8, 30),
        order_number="15-о", homework_grace_days=1,
    )  # fmt: skip
    with at(AFTER):
        result = school_month_indicators(school_ids=[world.school.pk], year=2026, month=9)
    assert result[world.school.pk].lessons_homework_on_time_pct == D("75.0")  # L3's homework the next morning


def test_a_month_in_progress_counts_only_lessons_up_to_today_and_the_future_gives_zeros(world):
    september(world)
    with at(dt.date(2026, 9, 8), 18):
        now = school_month_indicators(school_ids=[world.school.pk], year=2026, month=9)
        future = school_month_indicators(school_ids=[world.school.pk], year=2026, month=11)
    assert now[world.school.pk].lessons_total == 2
    assert now[world.school.pk].lessons_topic_on_time_pct == D("50.0")
    assert future[world.school.pk] == SchoolMonthIndicators()
    assert school_month_indicators(school_ids=[], year=2026, month=9) == {}


def test_the_number_of_queries_does_not_grow_with_the_number_of_schools(world, django_assert_num_queries):
    september(world)
    with at(AFTER):
        with django_assert_num_queries(16) as one:
            school_month_indicators(school_ids=[world.school.pk], year=2026, month=9)
        with django_assert_num_queries(len(one.captured_queries)):
            school_month_indicators(school_ids=[world.school.pk, world.other_school.pk], year=2026, month=9)
