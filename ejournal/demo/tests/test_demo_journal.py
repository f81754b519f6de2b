import datetime as dt
from collections import defaultdict
from decimal import Decimal

import pytest
import time_machine
from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse

from ejournal.accounts.models import User
from ejournal.demo.builder import CityPlan, city_build, demo_wipe
from ejournal.journal.averages import weighted_average
from ejournal.journal.models import Attendance, Homework, LessonNote, Mark, PeriodMark, PlannedTopic
from ejournal.people.models import Enrolment, SubgroupMembership
from ejournal.schools.models import SchoolClass, Term
from ejournal.timetable.models import Lesson

# A Wednesday of the second quarter: the first quarter is over, the second runs.
TODAY = dt.date(2025, 11, 19)
NOW = dt.datetime(2025, 11, 19, 15, 0, tzinfo=dt.UTC)


def build(seed: int = 271) -> None:
    city_build(CityPlan(schools=1, students=300, seed=seed, password="demo12345", today=TODAY))


@pytest.fixture
def city(db):
    with time_machine.travel(NOW, tick=False):
        build()
        yield


def past_lessons():
    return Lesson.objects.filter(date__lte=TODAY, status=Lesson.Status.SCHEDULED)


def student_days() -> int:
    """Days each student of grades 2–11 had lessons in their class (the demo has no departures)."""
    dates = defaultdict(set)
    for class_id, day in past_lessons().filter(school_class__grade__gte=2).values_list("school_class_id", "date"):
        dates[class_id].add(day)
    sizes = dict(
        Enrolment.objects.values("school_class_id").annotate(n=Count("id")).values_list("school_class_id", "n")
    )
    return sum(len(days) * sizes.get(class_id, 0) for class_id, days in dates.items())


def test_students_get_about_two_marks_per_school_day_and_first_graders_none(city):
    marks = Mark.objects.filter(lesson__date__lte=TODAY)
    assert 1.7 <= marks.count() / student_days() <= 2.2
    assert not marks.filter(lesson__school_class__grade=1).exists()
    assert not Mark.objects.filter(lesson__date__gt=TODAY).exists()


def test_no_mark_for_an_absent_student_nor_outside_the_class_or_subgroup(city):
    absent = Attendance.objects.filter(
        lesson_id=OuterRef("lesson_id"), student_id=OuterRef("student_id"), code__in=["н", "б", "уп"]
    )
    assert not Mark.objects.filter(Exists(absent)).exists()
    day = OuterRef("lesson__date")
    enrolled = Enrolment.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=day),
        student_id=OuterRef("student_id"), school_class_id=OuterRef("lesson__school_class_id"), starts_on__lte=day,
    )  # fmt: skip
    assert not Mark.objects.exclude(Exists(enrolled)).exists()
    member = SubgroupMembership.objects.filter(
        student_id=OuterRef("student_id"), subgroup_id=OuterRef("lesson__subgroup_id"), starts_on__lte=day
    )
    subgroup_marks = Mark.objects.filter(lesson__subgroup__isnull=False)
    assert subgroup_marks.exists()
    assert not subgroup_marks.exclude(Exists(member)).exists()


def test_absences_are_a_few_percent_with_every_code(city):
    codes = dict(Attendance.objects.values("code").annotate(n=Count("id")).values_list("code", "n"))
    assert set(codes) == {"н", "б", "уп", "оп"}
    cells = sum(
        n * len(lessons)
        for n, lessons in [
            (
                Enrolment.objects.filter(school_class_id=c).count(),
                past_lessons().filter(school_class_id=c, subgroup=None),
            )
            for c in SchoolClass.objects.values_list("pk", flat=True)
        ]
    )  # whole-class lessons only: a lower bound of the cells
    away = codes["н"] + codes["б"] + codes["уп"]
    assert 0.03 <= away / cells <= 0.08


def test_weighted_averages_are_sane_and_finished_terms_have_their_marks(city):
    pairs = defaultdict(list)
    for student, value, weight in Mark.objects.values_list("student_id", "value", "weight"):
        pairs[student].append((value, weight))
    averages = [weighted_average(p) for p in pairs.values()]
    assert all(Decimal("2.5") <= a <= Decimal("5") for a in averages)
    assert Decimal("3.6") <= sum(averages) / len(averages) <= Decimal("4.3")
    values = dict(Mark.objects.values("value").annotate(n=Count("id")).values_list("value", "n"))
    assert values[2] < 0.08 * sum(values.values()) and values[5] > values[2] * 3
    first = Term.objects.filter(number=1, ends_on__lt=TODAY)
    assert PeriodMark.objects.filter(term__in=first).count() > 0
    assert not PeriodMark.objects.exclude(term__in=first).exists()
    one = PeriodMark.objects.filter(term__in=first).exclude(value="н/а").first()
    term_pairs = Mark.objects.filter(
        student=one.student, lesson__subject=one.subject, lesson__date__range=(one.term.starts_on, one.term.ends_on)
    ).values_list("value", "weight")
    assert weighted_average(term_pairs) == one.average


def test_every_past_lesson_has_its_planned_topic_and_most_have_homework(city):
    lessons = past_lessons()
    assert not lessons.filter(topic="").exists()
    notes = LessonNote.objects.filter(lesson__in=lessons).select_related("lesson", "planned_topic__plan")
    assert notes.count() == lessons.count()
    assert all(n.planned_topic.plan.assignment_id == n.lesson.assignment_id for n in notes)
    assert all(n.planned_topic.title == n.lesson.topic for n in notes)
    assert notes.filter(is_control_work=True).exists()
    assert PlannedTopic.objects.filter(is_control_work=True).count() >= notes.filter(is_control_work=True).count()
    senior = lessons.filter(school_class__grade__gte=2)
    assert Homework.objects.filter(lesson__in=senior).count() > 0.6 * senior.count()
    with_data = Q(Exists(Mark.objects.filter(lesson=OuterRef("pk")))) | Q(
        Exists(Attendance.objects.filter(lesson=OuterRef("pk")))
    )
    assert set(lessons.filter(has_records=True)) == set(lessons.filter(with_data))


def test_the_same_seed_builds_the_same_journal_and_another_seed_another(db):
    def snapshot():
        # Natural keys, not ids: PostgreSQL's identity columns do not restart after a wipe.
        return sorted(
            Mark.objects.values_list(
                "lesson__date",
                "lesson__lesson_number",
                "lesson__school_class__grade",
                "lesson__school_class__letter",
                "lesson__subject__name",
                "student__record_number",
                "value",
            )
        )

    with time_machine.travel(NOW, tick=False):
        build()
        first = snapshot()
        demo_wipe()
        build()
        assert snapshot() == first
        demo_wipe()
        build(seed=272)
        assert snapshot() != first


def test_the_demo_teacher_sees_the_current_term_journal_with_marks(city, client):
    with time_machine.travel(NOW, tick=False):
        client.force_login(User.objects.get(username="demo_teacher"))
        note = LessonNote.objects.filter(lesson__teacher__username="demo_teacher", lesson__date=TODAY - dt.timedelta(1))
        lesson = note.select_related("lesson").first().lesson
        term = Term.objects.get(school=lesson.school, starts_on__lte=TODAY, ends_on__gte=TODAY, number=2)
        url = reverse("journal:grid", kwargs={"assignment_id": lesson.assignment_id, "term_id": term.pk})
        response = client.get(url)
    assert response.status_code == 200
    grid = response.context["page"].grid
    assert sum(len(m) for m in grid.marks.values()) > len(grid.students)
    assert lesson.topic in response.content.decode()


def test_a_demo_built_after_the_exams_has_year_exam_and_final_marks_by_the_rules(db):
    from ejournal.curriculum.models import CurriculumLine
    from ejournal.journal.year_suggest import final_suggest

    after = dt.date(2026, 6, 30)  # the 2025/2026 year is over and its exam results are in
    with time_machine.travel(dt.datetime(2026, 6, 30, 15, 0, tzinfo=dt.UTC), tick=False):
        city_build(CityPlan(schools=1, students=120, seed=271, password="demo12345", today=after))
    assert PeriodMark.objects.filter(kind="year").count() > 100
    exams = set(CurriculumLine.objects.filter(has_exam=True).values_list("grade", "subject__name"))
    assert exams == {(9, "Русский язык"), (9, "Алгебра"), (11, "Русский язык"), (11, "Алгебра")}
    exam_rows = PeriodMark.objects.filter(kind="exam").values_list("school_class__grade", "subject__name")
    assert set(exam_rows) <= exams
    marks = {(p.student_id, p.subject_id, p.kind): p.value for p in PeriodMark.objects.exclude(kind="term")}
    for (student, subject_id, kind), value in marks.items():
        if kind == "final":
            exam = marks.get((student, subject_id, "exam"), "")
            expected = final_suggest(year=marks[(student, subject_id, "year")], exam=exam, has_exam=bool(exam))
            assert value == expected.value
