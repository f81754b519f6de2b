import datetime as dt
import io
from collections import Counter

import pytest
import time_machine
from django.core.management import call_command

from ejournal.access.policy import Actor
from ejournal.access.roles import Role
from ejournal.accounts.models import User
from ejournal.curriculum.models import CurriculumLine, TeachingAssignment
from ejournal.people.models import Student, SubgroupMembership
from ejournal.schools.models import Holiday, School, SchoolClass, StudyWeek, Term
from ejournal.timetable.models import BellSchedule, Lesson, TimetableEntry
from ejournal.timetable.services import lessons_generate

# A Wednesday of the second quarter, outside every vacation.
SCHOOL_DAY = dt.datetime(2025, 11, 19, 9, 30, tzinfo=dt.UTC)
SMALL = ["--schools", "2", "--students-per-school", "300"]


def build(*args: str) -> None:
    call_command("demo_city", *SMALL, *args, stdout=io.StringIO())


@pytest.fixture
def city(db):
    with time_machine.travel(SCHOOL_DAY, tick=False):
        build()
        yield


def demo_school() -> School:
    return School.objects.get(staff__user__username="demo_director")


def test_no_teacher_or_room_is_booked_twice_at_the_same_time(city):
    entries = TimetableEntry.objects.filter(school=demo_school()).values_list(
        "weekday", "lesson_number", "assignment__teacher_id", "room_id", "school_class__shift"
    )
    assert entries
    teachers = Counter((day, number, teacher) for day, number, teacher, _, _ in entries)
    rooms = Counter((day, number, room) for day, number, _, room, _ in entries)
    assert max(teachers.values()) == 1
    assert max(rooms.values()) == 1
    # The second shift's lesson k runs at the first shift's lesson k + 6: no teacher is there twice either.
    by_time = Counter((day, number + (6 if shift == 2 else 0), teacher) for day, number, teacher, _, shift in entries)
    assert max(by_time.values()) == 1


def test_weekly_hours_of_each_class_and_subject_match_the_curriculum(city):
    school = demo_school()
    lines = {
        (g, s): h
        for g, s, h in CurriculumLine.objects.filter(school=school).values_list("grade", "subject_id", "hours_per_week")
    }
    hours = Counter(
        TimetableEntry.objects.filter(school=school).values_list(
            "school_class__grade", "school_class_id", "assignment__subject_id", "assignment__subgroup_id"
        )
    )
    classes = SchoolClass.objects.filter(school=school)
    assert {g for g, _ in lines} == set(range(1, 12))
    for school_class in classes:
        for (grade, subject), expected in lines.items():
            if grade != school_class.grade:
                continue
            groups = (
                list(school_class.subgroups.values_list("id", flat=True))
                if (CurriculumLine.objects.get(school=school, grade=grade, subject_id=subject).in_subgroups)
                else [None]
            )
            for group in groups:
                assert hours[(grade, school_class.pk, subject, group)] == expected, (school_class, subject, group)


def test_subgroups_split_the_class_and_sit_in_parallel_with_different_teachers(city):
    school_class = SchoolClass.objects.get(school=demo_school(), grade=7)
    first, second = school_class.subgroups.order_by("name")
    students = Student.objects.filter(school_class=school_class).count()
    assert {first.name, second.name} == {"1 группа", "2 группа"}
    sizes = [SubgroupMembership.objects.filter(subgroup=g).count() for g in (first, second)]
    assert sum(sizes) == students and abs(sizes[0] - sizes[1]) <= 1
    cells: dict[tuple, set] = {}
    for day, number, group, teacher in TimetableEntry.objects.filter(school_class=school_class).values_list(
        "weekday", "lesson_number", "assignment__subgroup_id", "assignment__teacher_id"
    ):
        cells.setdefault((day, number), set()).add((group, teacher))
    split = [cell for cell in cells.values() if len(cell) > 1]
    assert split, "a 7th class has English and informatics in subgroups"
    for cell in split:
        assert {g for g, _ in cell} == {first.pk, second.pk}
        assert len({t for _, t in cell}) == 2


def test_no_lesson_on_a_day_off_a_holiday_or_outside_the_terms(city):
    school = demo_school()
    weeks = list(StudyWeek.objects.filter(school=school))
    holidays = list(Holiday.objects.all())
    terms = list(Term.objects.filter(school=school))
    lessons = Lesson.objects.filter(school=school).values_list("date", "school_class__grade").distinct()
    assert lessons
    for day, grade in lessons:
        days = next(w.days for w in weeks if w.min_grade <= grade <= w.max_grade)
        assert day.isoweekday() <= days, (day, grade)
        assert not any(h.min_grade <= grade <= h.max_grade and h.starts_on <= day <= h.ends_on for h in holidays)
        assert any(t.min_grade <= grade <= t.max_grade and t.starts_on <= day <= t.ends_on for t in terms)


def test_demo_teacher_teaches_mathematics_today_and_in_the_demo_students_class(city):
    teacher = User.objects.get(username="demo_teacher")
    student = Student.objects.get(user__username="demo_student")
    assert Lesson.objects.filter(teacher=teacher, date=SCHOOL_DAY.date()).exists()
    assignments = TeachingAssignment.objects.filter(teacher=teacher)
    assert assignments.filter(school_class=student.school_class, subject__name="Математика").exists()
    assert assignments.values("school_class").distinct().count() >= 2
    class_teacher = User.objects.get(username="demo_classteacher")
    assert TeachingAssignment.objects.filter(teacher=class_teacher, school_class=student.school_class).exists()


def test_lessons_are_what_the_timetable_app_generates(city):
    school = demo_school()
    assert BellSchedule.objects.filter(school=school, shift=1).exists()
    year = school.classes.first().year
    actor = Actor(user_id=None, role=Role.DEPUTY_HEAD, school_id=school.pk)
    with time_machine.travel(SCHOOL_DAY, tick=False):
        result = lessons_generate(school=school, date_from=year.starts_on, date_to=year.ends_on, actor=actor)
    assert (result.created, result.updated, result.removed) == (0, 0, 0)


def timetable_snapshot() -> list[tuple]:
    return list(
        TimetableEntry.objects.order_by("id").values_list(
            "school_class__grade", "school_class__letter", "weekday", "lesson_number", "assignment__subject__name",
            "assignment__teacher__username", "room__name",
        )
    )  # fmt: skip


def test_the_same_seed_builds_the_same_timetable(db):
    with time_machine.travel(SCHOOL_DAY, tick=False):
        build()
        first = timetable_snapshot()
        lessons = Lesson.objects.count()
        build("--rebuild")
        assert timetable_snapshot() == first
        assert Lesson.objects.count() == lessons
        build("--rebuild", "--seed", "5")
        assert timetable_snapshot() != first
