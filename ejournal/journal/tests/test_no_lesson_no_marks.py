"""Marks only where there was a lesson: none on a cancelled or moved lesson, none ahead of the lesson unless the
school's Regulation allows planned work without attendance; the grid shows such cells read-only."""

import datetime as dt
import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from ejournal.access.roles import Role
from ejournal.regulation.models import Regulation
from ejournal.timetable.models import Lesson

from ..models import Attendance, ChangeRecord, Mark
from ..rules import rules_for
from ..services import attendance_set, mark_delete, mark_set
from .helpers import MON, at, journal, teacher

TUE = MON + dt.timedelta(days=1)


@pytest.fixture
def maths(world):
    """The maths journal of 5 «А»: a lesson on Monday (today, in the tests) and one on Tuesday."""
    a, days = journal(world, days=[MON, TUE])
    return a, days, world.school.terms.get(number=1)


def nothing_saved():
    return not Mark.objects.exists() and not Attendance.objects.exists() and not ChangeRecord.objects.exists()


def cancel(day, status=Lesson.Status.CANCELLED):
    """The lesson was cancelled (or moved) after the page showed it; a lesson with records stays in the journal."""
    Lesson.objects.filter(pk=day.pk).update(status=status, has_records=True)
    day.refresh_from_db()


def planned_marks_allowed(world):
    """The city's exemplary Regulation, in force for the school, allows marks ahead for planned work."""
    Regulation.objects.create(municipality=world.city, title="Примерное положение", allow_future_planned_marks=True)


def post(client, a, term, day, student, text, *, marks=""):
    url = reverse("journal:cells", kwargs={"assignment_id": a.pk, "term_id": term.pk})
    cells = [{"student": student.pk, "lesson": day.pk, "text": text, "att": 0, "marks": marks, "token": "t"}]
    return client.post(url, {"cells": json.dumps(cells)}, HTTP_HX_REQUEST="true")


def grid_html(client, a, term):
    return client.get(reverse("journal:grid", kwargs={"assignment_id": a.pk, "term_id": term.pk})).content.decode()


@pytest.mark.parametrize(
    ("status", "message"),
    [(Lesson.Status.CANCELLED, "Урок 07.09.2026 отменён"), (Lesson.Status.MOVED, "Урок 07.09.2026 перенесён")],
)
@pytest.mark.parametrize("text", ["5", "н"])
def test_a_mark_or_an_absence_on_a_cancelled_or_moved_lesson_is_refused(world, login_as, maths, status, message,
                                                                        text):  # fmt: skip
    a, (monday, _tuesday), term = maths
    cancel(monday, status)
    with at(MON):
        response = post(login_as(world.teacher, Role.CLASS_TEACHER), a, term, monday, world.student, text)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert nothing_saved()


def test_the_services_refuse_a_cancelled_lesson_too(world, maths):
    _a, (monday, _tuesday), _term = maths
    cancel(monday)
    with at(MON), pytest.raises(ValidationError, match="отменён"):
        mark_set(lesson=monday, student=world.student, value=5, actor=teacher(world))
    with at(MON), pytest.raises(ValidationError, match="отменён"):
        attendance_set(lesson=monday, student=world.student, code="н", actor=teacher(world))
    assert nothing_saved()


def test_a_mark_given_before_the_cancellation_cannot_change_but_can_be_removed(world, login_as, maths):
    a, (monday, _tuesday), term = maths
    client = login_as(world.teacher, Role.CLASS_TEACHER)
    with at(MON):
        mark = mark_set(lesson=monday, student=world.student, value=5, actor=teacher(world))
        other = mark_set(lesson=monday, student=world.classmate, value=3, actor=teacher(world))
        cancel(monday)
        changed = post(client, a, term, monday, world.student, "4", marks=f"{mark.pk}.1")
        assert changed.status_code == 400 and "отменён" in changed.content.decode()
        assert post(client, a, term, monday, world.student, "", marks=f"{mark.pk}.1").status_code == 200
        mark_delete(mark=other, expected_version=1, actor=teacher(world))
    assert not Mark.objects.exists()


@pytest.mark.parametrize("text", ["5", "н", "оп5 4"])
def test_nothing_is_written_ahead_of_the_lesson_by_default(world, login_as, maths, text):
    a, (_monday, tuesday), term = maths
    assert rules_for(world.school).allow_future_planned_marks is False
    with at(MON, 23):
        response = post(login_as(world.teacher, Role.CLASS_TEACHER), a, term, tuesday, world.student, text)
    assert response.status_code == 400
    assert "Урок 08.09.2026 ещё не прошёл" in response.content.decode()
    assert nothing_saved()


def test_the_regulation_may_allow_planned_marks_ahead_but_never_attendance(world, login_as, maths):
    a, (_monday, tuesday), term = maths
    planned_marks_allowed(world)
    assert rules_for(world.school).allow_future_planned_marks is True
    client = login_as(world.teacher, Role.CLASS_TEACHER)
    with at(MON):
        absent = post(client, a, term, tuesday, world.student, "н")
        assert absent.status_code == 400 and "посещаемость" in absent.content.decode()
        assert nothing_saved()
        assert post(client, a, term, tuesday, world.student, "5").status_code == 200
    assert list(Mark.objects.values_list("lesson_id", "value")) == [(tuesday.pk, 5)]


def test_the_grid_shows_cells_without_a_lesson_read_only(world, login_as, maths):
    a, (monday, tuesday), term = maths
    client = login_as(world.teacher, Role.CLASS_TEACHER)
    with at(MON):
        html = grid_html(client, a, term)
    student = world.student.pk
    assert f'id="c-{student}-{monday.pk}" class="jc"' in html  # today: typed
    assert f'id="c-{student}-{tuesday.pk}" class="jc jc-locked"' in html  # ahead: read-only, says why
    locked = html.split(f'id="c-{student}-{tuesday.pk}"')[1].split(">")[0]
    assert "disabled" in locked and "ещё не прошёл" in locked
    with at(MON):
        mark_set(lesson=monday, student=world.classmate, value=5, actor=teacher(world))
        cancel(monday)
        html = grid_html(client, a, term)
    cell = html.split(f'id="c-{student}-{monday.pk}"')[1].split(">")[0]
    assert "disabled" in cell and "отменён" in cell
    kept = html.split(f'id="c-{world.classmate.pk}-{monday.pk}"')[1].split(">")[0]
    assert "disabled" not in kept and 'value="5"' in kept  # what it holds can be removed


def test_the_grid_lets_planned_marks_be_typed_ahead_where_the_regulation_allows(world, login_as, maths):
    a, (_monday, tuesday), term = maths
    planned_marks_allowed(world)
    with at(MON):
        html = grid_html(login_as(world.teacher, Role.CLASS_TEACHER), a, term)
    cell = html.split(f'id="c-{world.student.pk}-{tuesday.pk}"')[1].split(">")[0]
    assert "disabled" not in cell
