"""The maintained monthly figures: the refresh stores exactly what the journal gives; the report serves them while
they are fresh and computes from the journal once they are too old."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command

from ejournal.city.models import SchoolMonthFigures
from ejournal.city.selectors import _indicators, stored_month_figures
from ejournal.city.services import month_figures_refresh
from ejournal.city.tests.factories import other_vendor
from ejournal.control.indicators import school_month_indicators
from ejournal.control.tests.data import MSK, september
from ejournal.core.models import AuditEvent
from ejournal.journal.models import ChangeRecord
from ejournal.journal.services.chain import change_records_append
from ejournal.regulation.selectors import cache_forget
from ejournal.timetable.models import Lesson

pytestmark = pytest.mark.django_db
NOON = dt.datetime(2026, 10, 5, 12, tzinfo=MSK)


@pytest.fixture(autouse=True)
def _october(world):
    cache_forget([world.school.pk, world.other_school.pk])
    with time_machine.travel(NOON, tick=False):
        yield
    cache_forget([world.school.pk, world.other_school.pk])


def test_refresh_stores_the_figures_the_journal_gives(world):
    september(world)
    assert month_figures_refresh(municipality=world.city, year=2026, month=9) == 2
    ids = [world.school.pk, world.other_school.pk]
    stored = stored_month_figures(school_ids=ids, year=2026, month=9)
    assert stored == school_month_indicators(school_ids=ids, year=2026, month=9)
    assert stored[world.school.pk].lessons_topic_on_time_pct == D("50.0")
    assert stored[world.school.pk].marks_per_student == D("1.3")
    event = AuditEvent.objects.get(action="city_month_figures_refresh")
    assert event.changes["schools"] == [None, 2]


def test_the_report_serves_fresh_figures_and_recomputes_old_ones(world, django_assert_num_queries, settings):
    settings.EJ_CITY = {"figures_past_recompute_minutes": 60}
    d = september(world)
    month_figures_refresh(municipality=world.city, year=2026, month=9)
    Lesson.objects.filter(pk=d.lessons[0].pk).update(topic="")  # L1 loses its topic: 1 of 4 on time
    with django_assert_num_queries(1):
        served = _indicators([world.school.pk, world.other_school.pk], 2026, 9)
    assert served[world.school.pk].lessons_topic_on_time_pct == D("50.0")
    with time_machine.travel(NOON + dt.timedelta(minutes=91), tick=False):
        assert _indicators([world.school.pk], 2026, 9)[world.school.pk].lessons_topic_on_time_pct == D("25.0")
        month_figures_refresh(municipality=world.city, year=2026, month=9)
        assert SchoolMonthFigures.objects.count() == 2  # replaced, not added
        stored = stored_month_figures(school_ids=[world.school.pk], year=2026, month=9)
    assert stored[world.school.pk].lessons_topic_on_time_pct == D("25.0")


def test_a_school_on_another_system_is_not_stored_and_the_age_is_a_setting(world, settings):
    other_vendor(world.school, world.city)
    assert month_figures_refresh(municipality=world.city, year=2026, month=9) == 1
    assert list(SchoolMonthFigures.objects.values_list("school_id", flat=True)) == [world.other_school.pk]
    settings.EJ_CITY = {"figures_max_age_minutes": 0}
    with time_machine.travel(NOON + dt.timedelta(seconds=1), tick=False):
        assert stored_month_figures(school_ids=[world.other_school.pk], year=2026, month=9) == {}


def test_the_command_refreshes_a_month_and_refuses_a_bad_one(world):
    out = StringIO()
    call_command("city_month_figures", "--month", "2026-09", stdout=out)
    assert "показатели за 09.2026 пересчитаны для школ: 2" in out.getvalue()
    with pytest.raises(CommandError, match="ГГГГ-ММ"):
        call_command("city_month_figures", "--month", "09.2026")


def _journal_change(world, school, lesson=None):
    """A change record of the school's journal written now (as the journal's services write them)."""
    return change_records_append([ChangeRecord(
        school=school, entity="lesson", action="update", field="topic", actor=world.teacher, actor_role="teacher",
        lesson=lesson,
    )])[0]  # fmt: skip


def _computed(world):
    return dict(SchoolMonthFigures.objects.values_list("school_id", "computed_at"))


def test_a_change_in_one_school_recomputes_only_that_school(world):
    d = september(world)
    assert month_figures_refresh(municipality=world.city, year=2026, month=9) == 2
    first = _computed(world)
    later = NOON + dt.timedelta(minutes=5)
    with time_machine.travel(later, tick=False):
        assert month_figures_refresh(municipality=world.city, year=2026, month=9) == 0  # nothing changed
        assert _computed(world) == first
        assert set(SchoolMonthFigures.objects.values_list("checked_at", flat=True)) == {later}
    with time_machine.travel(NOON + dt.timedelta(minutes=7), tick=False):
        Lesson.objects.filter(pk=d.lessons[0].pk).update(topic="")
        _journal_change(world, world.school, d.lessons[0])
    with time_machine.travel(NOON + dt.timedelta(minutes=10), tick=False):
        assert month_figures_refresh(municipality=world.city, year=2026, month=9) == 1
        computed = _computed(world)
        stored = stored_month_figures(school_ids=[world.school.pk], year=2026, month=9)
    assert computed[world.school.pk] == NOON + dt.timedelta(minutes=10)
    assert computed[world.other_school.pk] == first[world.other_school.pk]
    assert stored[world.school.pk].lessons_topic_on_time_pct == D("25.0")
    event = AuditEvent.objects.filter(action="city_month_figures_refresh").latest("pk")
    assert event.changes["schools"] == [None, 1]


def test_a_change_recorded_just_before_the_refresh_is_looked_at_again(world):
    """A journal write's record may commit after the refresh read the journal: the next one looks back a margin."""
    d = september(world)
    _journal_change(world, world.school, d.lessons[1])  # recorded at NOON, the refresh also starts at NOON
    month_figures_refresh(municipality=world.city, year=2026, month=9)
    with time_machine.travel(NOON + dt.timedelta(minutes=5), tick=False):
        assert month_figures_refresh(municipality=world.city, year=2026, month=9) == 1
    with time_machine.travel(NOON + dt.timedelta(minutes=10), tick=False):
        assert month_figures_refresh(municipality=world.city, year=2026, month=9) == 0


def test_another_day_or_old_figures_are_recomputed_and_full_recomputes_all(world, settings):
    september(world)
    month_figures_refresh(municipality=world.city, year=2026, month=10)
    with time_machine.travel(NOON + dt.timedelta(hours=13), tick=False):  # 01:00 the next day: its lessons count
        assert month_figures_refresh(municipality=world.city, year=2026, month=10) == 2
    settings.EJ_CITY = {"figures_recompute_minutes": 30}
    with time_machine.travel(NOON + dt.timedelta(hours=13, minutes=20), tick=False):
        assert month_figures_refresh(municipality=world.city, year=2026, month=10) == 0
        assert month_figures_refresh(municipality=world.city, year=2026, month=10, full=True) == 2
    with time_machine.travel(NOON + dt.timedelta(hours=13, minutes=51), tick=False):
        assert month_figures_refresh(municipality=world.city, year=2026, month=10) == 2
    # A past month computed after its end does not change with the days.
    settings.EJ_CITY = {"figures_recompute_minutes": 3 * 24 * 60}
    month_figures_refresh(municipality=world.city, year=2026, month=9)
    with time_machine.travel(NOON + dt.timedelta(days=1), tick=False):
        assert month_figures_refresh(municipality=world.city, year=2026, month=9) == 0


def test_figures_checked_recently_are_served_however_old_their_computation(world):
    september(world)
    month_figures_refresh(municipality=world.city, year=2026, month=9)
    ids = [world.school.pk, world.other_school.pk]
    with time_machine.travel(NOON + dt.timedelta(minutes=80), tick=False):
        month_figures_refresh(municipality=world.city, year=2026, month=9)  # unchanged: only checked
    with time_machine.travel(NOON + dt.timedelta(minutes=100), tick=False):
        assert set(stored_month_figures(school_ids=ids, year=2026, month=9)) == set(ids)
    with time_machine.travel(NOON + dt.timedelta(minutes=171), tick=False):
        assert stored_month_figures(school_ids=ids, year=2026, month=9) == {}


def test_the_command_recomputes_only_what_changed_unless_told_all(world):
    call_command("city_month_figures", "--month", "2026-09", stdout=StringIO())
    out = StringIO()
    call_command("city_month_figures", "--month", "2026-09", stdout=out)
    assert "пересчитаны для школ: 0" in out.getvalue()
    call_command("city_month_figures", "--month", "2026-09", "--all", stdout=out)
    assert "пересчитаны для школ: 2" in out.getvalue()


def test_the_refresh_keeps_the_past_months_the_monitoring_charts(world, settings):
    from ejournal.city.tasks import refresh_month_figures

    september(world)
    settings.EJ_CITY = {"figures_past_months": 2}
    assert refresh_month_figures() == 6  # August, September, October × two schools
    kept = set(SchoolMonthFigures.objects.values_list("school_id", "month"))
    assert kept == {(s.pk, m) for s in (world.school, world.other_school) for m in (8, 9, 10)}
    september_figures = stored_month_figures(school_ids=[world.school.pk], year=2026, month=9)[world.school.pk]
    assert september_figures.lessons_total == 4
    out = StringIO()
    call_command("city_month_figures", stdout=out)
    assert out.getvalue().count("пересчитаны для школ: 0") == 3


def test_a_past_month_is_recomputed_only_for_changes_to_its_own_lessons(world, settings):
    d = september(world)
    month_figures_refresh(municipality=world.city, year=2026, month=9)
    later = NOON + dt.timedelta(minutes=5)
    with time_machine.travel(later, tick=False):
        _journal_change(world, world.school)  # no lesson: not September's
        _journal_change(world, world.school, d.october)  # a lesson of October
    with time_machine.travel(later + dt.timedelta(minutes=90), tick=False):
        assert month_figures_refresh(municipality=world.city, year=2026, month=9) == 0  # within the day
        _journal_change(world, world.school, d.lessons[0])
    with time_machine.travel(later + dt.timedelta(minutes=95), tick=False):
        assert month_figures_refresh(municipality=world.city, year=2026, month=9) == 1
    settings.EJ_CITY = {"figures_past_recompute_minutes": 60}
    with time_machine.travel(later + dt.timedelta(minutes=200), tick=False):
        assert month_figures_refresh(municipality=world.city, year=2026, month=9) == 2
