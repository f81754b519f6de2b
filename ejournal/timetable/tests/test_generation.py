"""Dated lessons from the timetable: calendar, teachers by date, idempotency, lessons with data kept."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from ejournal.schools.models import StudyWeek, Term

from ..models import GenerationRun, Lesson
from ..services import lessons_generate, lessons_generate_year
from .helpers import MON, assignment, deputy, entry, holiday, lesson

Q1_START, Q1_END = dt.date(2026, 9, 1), dt.date(2026, 10, 25)


def generate(world, date_from=Q1_START, date_to=Q1_END):
    return lessons_generate(school=world.school, date_from=date_from, date_to=date_to, actor=deputy(world))


def test_generation_makes_a_lesson_for_every_study_day_of_the_entry(world):
    a = assignment(world)
    entry(world, a, weekday=1, number=2)
    result = generate(world)
    mondays = [d for d in (Q1_START + dt.timedelta(n) for n in range(55)) if d <= Q1_END and d.isoweekday() == 1]
    dates = list(Lesson.objects.filter(school_class=world.cls).values_list("date", flat=True))
    assert dates == mondays
    assert result.created == len(mondays) == 7
    lesson_ = Lesson.objects.first()
    assert (lesson_.teacher, lesson_.subject, lesson_.lesson_number) == (world.teacher, a.subject, 2)
    assert GenerationRun.objects.get().created == 7


def test_generating_twice_creates_nothing_new(world):
    entry(world, assignment(world), weekday=3)
    first = generate(world)
    second = generate(world)
    assert first.created > 0
    assert (second.created, second.removed, second.updated) == (0, 0, 0)
    assert Lesson.objects.count() == first.created


def test_holidays_weekends_and_days_outside_terms_have_no_lessons(world):
    a = assignment(world)
    for weekday in range(1, 7):
        entry(world, a, weekday=weekday)
    holiday(world, dt.date(2026, 9, 14), dt.date(2026, 9, 18))  # city-wide
    holiday(world, dt.date(2026, 9, 21), dt.date(2026, 9, 21), school=world.school)
    holiday(world, dt.date(2026, 9, 22), dt.date(2026, 9, 22), min_grade=10, max_grade=11)  # not for 5th grade
    generate(world, Q1_START, dt.date(2026, 11, 8))
    dates = set(Lesson.objects.values_list("date", flat=True))
    assert not any(d.isoweekday() > 5 for d in dates), "a five-day week by default"
    assert not dates & {dt.date(2026, 9, 14) + dt.timedelta(n) for n in range(5)}
    assert dt.date(2026, 9, 21) not in dates
    assert dt.date(2026, 9, 22) in dates
    assert not any(dt.date(2026, 10, 26) <= d <= dt.date(2026, 11, 4) for d in dates), "between quarters"


def test_six_day_week_gets_saturday_lessons(world):
    StudyWeek.objects.create(school=world.school, year=world.year, min_grade=5, max_grade=9, days=6)
    entry(world, assignment(world), weekday=6)
    generate(world, MON, MON + dt.timedelta(days=6))
    assert list(Lesson.objects.values_list("date", flat=True)) == [MON + dt.timedelta(days=5)]


def test_terms_of_another_grade_band_do_not_give_lessons(world):
    Term.objects.filter(school=world.school).delete()
    Term.objects.create(
        school=world.school, year=world.year, kind="half_year", number=1, min_grade=10, max_grade=11,
        starts_on=Q1_START, ends_on=Q1_END,
    )  # fmt: skip
    entry(world, assignment(world))
    assert generate(world).created == 0


def test_alternating_weeks(world):
    a = assignment(world)
    entry(world, a, weekday=1, parity=1)
    entry(world, a, weekday=1, number=2, parity=2)
    generate(world, MON, MON + dt.timedelta(days=13))
    got = set(Lesson.objects.values_list("date", "lesson_number"))
    assert got == {(MON, 1), (MON + dt.timedelta(days=7), 2)}


def test_reassignment_mid_term_gives_later_lessons_to_the_new_teacher(world):
    change = dt.date(2026, 10, 1)
    old = assignment(world, ends=change - dt.timedelta(days=1))
    assignment(world, teacher=world.other_teacher, starts=change)
    entry(world, old, weekday=4)
    generate(world)
    lessons = list(Lesson.objects.order_by("date"))
    assert lessons
    for item in lessons:
        expected = world.teacher if item.date < change else world.other_teacher
        assert item.teacher == expected, item.date
        assert item.assignment.teacher == expected
    assert {item.teacher for item in lessons} == {world.teacher, world.other_teacher}


def test_regeneration_after_a_timetable_change_keeps_lessons_with_data_and_lists_conflicts(world):
    a = assignment(world)
    monday = entry(world, a, weekday=1)
    generate(world)
    topic_day, records_day, empty_day = MON, MON + dt.timedelta(days=7), MON + dt.timedelta(days=14)
    Lesson.objects.filter(entry=monday, date=topic_day).update(topic="Натуральные числа")
    Lesson.objects.filter(entry=monday, date=records_day).update(has_records=True)
    # The lesson moves from Monday to Tuesday from the start of the year.
    monday.delete()
    entry(world, a, weekday=2)
    result = generate(world)
    left_mondays = Lesson.objects.filter(date__week_day=2)  # Django: 2 = Monday
    assert set(left_mondays.values_list("date", flat=True)) == {topic_day, records_day}
    assert Lesson.objects.get(date=topic_day).topic == "Натуральные числа"
    assert not Lesson.objects.filter(date=empty_day).exists()
    assert result.kept == 2
    assert [c["date"] for c in result.conflicts] == ["07.09.2026", "14.09.2026"]
    assert GenerationRun.objects.latest("id").conflicts == result.conflicts
    assert Lesson.objects.filter(date__week_day=3).count() == 8


def test_regeneration_with_a_new_version_from_a_date(world):
    a = assignment(world)
    old = entry(world, a, weekday=1, number=1)
    generate(world)
    Lesson.objects.filter(entry=old, date=MON + dt.timedelta(days=28)).update(topic="Дроби")
    old.valid_to = dt.date(2026, 9, 30)
    old.save()
    entry(world, a, weekday=1, number=3, valid_from=dt.date(2026, 10, 1))
    result = generate(world)
    numbers = dict(Lesson.objects.filter(topic="").values_list("date", "lesson_number"))
    assert all(n == (1 if d <= dt.date(2026, 9, 30) else 3) for d, n in numbers.items())
    assert [c["date"] for c in result.conflicts] == ["05.10.2026"]


def test_lesson_without_data_follows_a_reassignment_made_after_generation(world):
    a = assignment(world)
    entry(world, a, weekday=2)
    generate(world)
    a.ends_on = dt.date(2026, 9, 30)
    a.save()
    assignment(world, teacher=world.other_teacher, starts=dt.date(2026, 10, 1))
    result = generate(world)
    assert result.updated == Lesson.objects.filter(date__gte=dt.date(2026, 10, 1)).count() > 0
    assert not Lesson.objects.filter(date__gte=dt.date(2026, 10, 1), teacher=world.teacher).exists()


def test_manual_lessons_are_never_touched(world):
    a = assignment(world)
    extra = lesson(world, a, MON, 5, status=Lesson.Status.EXTRA)
    generate(world)
    assert Lesson.objects.filter(pk=extra.pk).exists()


def test_generation_refuses_dates_outside_the_year(world):
    with pytest.raises(ValidationError):
        generate(world, dt.date(2020, 1, 1), dt.date(2020, 2, 1))


def test_whole_year_of_one_school(world):
    entry(world, assignment(world), weekday=5)
    result = lessons_generate_year(school=world.school, actor=deputy(world))
    assert result.created == Lesson.objects.count() > 30
    assert not Lesson.objects.filter(school=world.other_school).exists()
