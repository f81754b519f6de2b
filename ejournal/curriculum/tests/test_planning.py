"""Subjects, the curriculum grid, the study week and teaching assignments."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ejournal.access.policy import Actor
from ejournal.access.roles import Role
from ejournal.core.models import AuditEvent
from ejournal.curriculum import selectors, services
from ejournal.curriculum.models import CurriculumLine, Subject, TeachingAssignment
from ejournal.curriculum.rules import max_weekly_load
from ejournal.schools.models import SchoolClass, StudyWeek, Subgroup

D = dt.date


def deputy(world):
    return Actor(user_id=world.deputy_head.pk, role=Role.DEPUTY_HEAD, school_id=world.school.pk)


def subject(name):
    return Subject.objects.get(school=None, name=name)


def create(world, **kw):
    args = {
        "school": world.school,
        "teacher": world.teacher,
        "school_class": world.cls,
        "subgroup": None,
        "subject": subject("Математика"),
        "hours_per_week": Decimal("5"),
        "starts_on": D(2026, 9, 1),
    }
    return services.assignment_create(**{**args, **kw}, actor=deputy(world))


# --- subjects ------------------------------------------------------------------------------


def test_school_subject_names_are_unique_and_catalogue_names_are_taken(world):
    services.subject_create(school=world.school, name="Шахматы", short_name="", actor=deputy(world))
    with pytest.raises(ValidationError, match="в школе уже есть"):
        services.subject_create(school=world.school, name="  шахматы ", short_name="", actor=deputy(world))
    with pytest.raises(ValidationError, match="городском перечне"):
        services.subject_create(school=world.school, name="математика", short_name="", actor=deputy(world))
    services.subject_create(school=world.other_school, name="Шахматы", short_name="", actor=deputy(world))


def test_catalogue_subject_cannot_be_renamed_or_deactivated(world):
    with pytest.raises(ValidationError):
        services.subject_set_active(subject=subject("Математика"), is_active=False, actor=deputy(world))


# --- the curriculum -------------------------------------------------------------------------


def test_grade_hours_in_half_steps_are_saved_and_bad_ones_change_nothing(world):
    maths, english = subject("Математика").pk, subject("Иностранный язык (английский)").pk
    lines = {maths: (Decimal("5"), False), english: (Decimal("3"), True)}
    assert services.curriculum_grade_set(school=world.school, grade=5, lines=lines, actor=deputy(world)) == 2
    with pytest.raises(ValidationError, match="шагом 0,5"):
        services.curriculum_grade_set(
            school=world.school, grade=5, lines={maths: (Decimal("4.3"), False)}, actor=deputy(world)
        )
    assert CurriculumLine.objects.get(grade=5, subject_id=maths).hours_per_week == Decimal("5")
    services.curriculum_grade_set(school=world.school, grade=5, lines={maths: (None, False)}, actor=deputy(world))
    assert not CurriculumLine.objects.filter(grade=5, subject_id=maths).exists()


def test_the_exam_flag_of_a_grade_subject_is_saved_audited_and_kept_without_it(world, login_as):
    maths = subject("Математика").pk
    client = login_as(world.deputy_head, Role.DEPUTY_HEAD)
    response = client.post(
        reverse("curriculum:grade_edit", kwargs={"grade": 9}), {f"h_{maths}": "5", f"e_{maths}": "on"}
    )
    assert response.status_code == 302
    line = CurriculumLine.objects.get(grade=9, subject_id=maths)
    assert line.has_exam and not line.in_subgroups
    form = client.get(reverse("curriculum:grade_edit", kwargs={"grade": 9})).content.decode()
    assert f'name="e_{maths}" id="id_e_{maths}" checked' in form or f'name="e_{maths}" checked' in form
    services.curriculum_grade_set(
        school=world.school, grade=9, lines={maths: (Decimal("4"), False)}, actor=deputy(world)
    )
    line.refresh_from_db()
    assert (line.hours_per_week, line.has_exam) == (Decimal("4"), True)  # a caller without the flag keeps it
    services.curriculum_grade_set(
        school=world.school, grade=9, lines={maths: (Decimal("4"), False, False)}, actor=deputy(world)
    )
    line.refresh_from_db()
    assert not line.has_exam
    assert AuditEvent.objects.filter(action="curriculum_line_update", changes__has_exam=[True, False]).exists()


def test_grid_totals_warn_over_the_maximum_load(world):
    subjects = list(Subject.objects.filter(school=None)[:4])
    lines = {s.pk: (Decimal("8"), False) for s in subjects}  # 32 > 29 for the 5th grade
    services.curriculum_grade_set(school=world.school, grade=5, lines=lines, actor=deputy(world))
    grid = selectors.curriculum_grid(school=world.school, year=world.year)
    fifth = next(s for s in grid["summary"] if s["grade"] == 5)
    assert (fifth["total"], fifth["max"], fifth["over"]) == (Decimal("32"), 29, True)
    services.study_week_set(school=world.school, days_by_grade={5: 6}, actor=deputy(world))
    grid = selectors.curriculum_grid(school=world.school, year=world.year)
    assert next(s for s in grid["summary"] if s["grade"] == 5)["over"] is False  # 32 ≤ 29 + 3


def test_maximum_load_is_a_setting(settings):
    assert max_weekly_load(1, 6) == 21 and max_weekly_load(10, 5) == 34
    settings.EJ_MAX_WEEKLY_LOAD = {5: {1: 20}}
    assert max_weekly_load(1) == 20


def test_study_week_is_stored_as_bands_and_first_grade_stays_five_days(world):
    days = dict.fromkeys(range(1, 12), 5) | {10: 6, 11: 6}
    assert services.study_week_set(school=world.school, days_by_grade=days, actor=deputy(world)) == 2
    assert sorted((w.min_grade, w.max_grade, w.days) for w in StudyWeek.objects.all()) == [(1, 9, 5), (10, 11, 6)]
    with pytest.raises(ValidationError, match="Первый класс"):
        services.study_week_set(school=world.school, days_by_grade={1: 6}, actor=deputy(world))


def test_curriculum_grid_page_takes_constant_queries(world, login_as):
    client = login_as(world.coordinator, Role.JOURNAL_COORDINATOR)
    client.get("/curriculum/")  # warm the session and the cached access
    counts = []
    for grade in (2, 7):
        lines = {s.pk: (Decimal("1"), True) for s in Subject.objects.filter(school=None)[:10]}
        services.curriculum_grade_set(school=world.school, grade=grade, lines=lines, actor=deputy(world))
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/curriculum/").status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_deputy_head_edits_a_grade_through_the_page(world, login_as):
    client = login_as(world.deputy_head, Role.DEPUTY_HEAD)
    maths = subject("Математика").pk
    response = client.post("/curriculum/grade/5/", {f"h_{maths}": "4,5", f"s_{maths}": "on"})
    assert response.status_code == 302
    line = CurriculumLine.objects.get(school=world.school, grade=5, subject_id=maths)
    assert (line.hours_per_week, line.in_subgroups) == (Decimal("4.5"), True)
    response = client.post("/curriculum/grade/5/", {f"h_{maths}": "abc"})
    assert response.status_code == 400


# --- assignments ---------------------------------------------------------------------------


def test_teacher_of_another_school_is_refused(world):
    with pytest.raises(ValidationError, match="Учитель не работает в этой школе"):
        create(world, teacher=world.foreign_teacher)
    assert not TeachingAssignment.objects.exists()


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"hours_per_week": Decimal("1.3")}, "шагом 0,5"),
        ({"starts_on": D(2027, 9, 1)}, "в пределах учебного года"),
    ],
)
def test_bad_assignments_are_refused(world, kw, message):
    with pytest.raises(ValidationError, match=message):
        create(world, **kw)
    assert not TeachingAssignment.objects.exists()


def test_subgroup_of_another_class_and_foreign_class_are_refused(world):
    with pytest.raises(ValidationError, match="другому классу"):
        create(world, school_class=world.other_cls, subgroup=world.subgroup)
    with pytest.raises(ValidationError, match="не относится к этой школе"):
        create(world, school_class=world.foreign_cls)


def test_two_teachers_share_a_class_subject_by_subgroups(world):
    english = subject("Иностранный язык (английский)")
    second = Subgroup.objects.create(school=world.school, school_class=world.cls, name="2 группа")
    create(world, subject=english, subgroup=world.subgroup, hours_per_week=Decimal("3"))
    create(world, teacher=world.other_teacher, subject=english, subgroup=second, hours_per_week=Decimal("3"))
    assert TeachingAssignment.objects.filter(school_class=world.cls, subject=english).count() == 2
    with pytest.raises(ValidationError, match="уже есть такая нагрузка"):
        create(world, subject=english, subgroup=world.subgroup)


def test_reassignment_keeps_history_and_leaves_exactly_one_open_row(world):
    old = create(world)
    new = services.assignment_reassign(
        assignment=old, new_teacher=world.other_teacher, from_date=D(2026, 11, 16), actor=deputy(world)
    )
    old.refresh_from_db()
    assert old.ends_on == D(2026, 11, 15) and old.teacher == world.teacher
    assert (new.teacher, new.starts_on, new.ends_on) == (world.other_teacher, D(2026, 11, 16), None)
    rows = TeachingAssignment.objects.filter(school_class=world.cls, subject=old.subject)
    assert rows.filter(ends_on__isnull=True).count() == 1
    with pytest.raises(ValidationError, match="закончилась"):
        services.assignment_reassign(
            assignment=old, new_teacher=world.director, from_date=D(2026, 12, 1), actor=deputy(world)
        )
    with pytest.raises(ValidationError, match="Учитель не работает"):
        services.assignment_reassign(
            assignment=new, new_teacher=world.foreign_teacher, from_date=D(2026, 12, 1), actor=deputy(world)
        )


def test_ending_an_assignment_before_its_start_is_refused(world):
    a = create(world)
    with pytest.raises(ValidationError, match="раньше своего начала"):
        services.assignment_end(assignment=a, ends_on=D(2026, 8, 31), actor=deputy(world))
    services.assignment_end(assignment=a, ends_on=D(2026, 12, 28), actor=deputy(world))
    a.refresh_from_db()
    assert a.ends_on == D(2026, 12, 28)


@time_machine.travel(dt.datetime(2026, 12, 1, 10, 0), tick=False)
def test_lists_by_class_and_teacher_count_hours_in_force_in_constant_queries(world, login_as):
    create(world)
    ended = create(world, subject=subject("Геометрия"), hours_per_week=Decimal("2"))
    services.assignment_end(assignment=ended, ends_on=D(2026, 10, 30), actor=deputy(world))
    by_class = selectors.assignments_by_class(actor=deputy(world), year=world.year)
    assert next(g for g in by_class if g["cls"] == world.cls)["total"] == Decimal("5")
    client = login_as(world.deputy_head, Role.DEPUTY_HEAD)
    client.get("/curriculum/assignments/")  # warm the session and the cached access
    for u, url in enumerate(("/curriculum/assignments/", "/curriculum/assignments/?by=teacher")):
        counts = []
        for n in range(2):
            cls = SchoolClass.objects.create(school=world.school, year=world.year, grade=6 + u, letter=f"К{n}")
            create(world, school_class=cls, teacher=world.other_teacher)
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            counts.append(len(ctx.captured_queries))
        assert counts[0] == counts[1], url


def test_teacher_sees_only_own_assignments(world, login_as):
    create(world)
    create(world, teacher=world.other_teacher, school_class=world.other_cls)
    page = login_as(world.teacher, Role.TEACHER).get("/curriculum/my/").content.decode()
    assert "5 «А»" in page and "5 «Б»" not in page
    assert login_as(world.teacher, Role.TEACHER).get("/curriculum/assignments/").status_code == 403


def test_foreign_assignment_is_404(world, login_as):
    foreign = TeachingAssignment.objects.create(
        school=world.other_school, year=world.year, teacher=world.foreign_teacher, school_class=world.foreign_cls,
        subject=subject("Математика"), hours_per_week=Decimal("5"), starts_on=D(2026, 9, 1),
    )  # fmt: skip
    client = login_as(world.director, Role.DIRECTOR)
    assert client.get(f"/curriculum/assignments/{foreign.pk}/reassign/").status_code == 404
    assert client.post(f"/curriculum/assignments/{foreign.pk}/end/", {"ends_on": "01.12.2026"}).status_code == 404
