"""The journal page and its saves: who may open it, typed cells, refusals, conflicts, retries, batches, queries."""

import datetime as dt
import json

import pytest
from django.urls import reverse

from ejournal.access.roles import Role
from ejournal.testing import make_student

from ..models import Attendance, ChangeRecord, CorrectionRequest, Mark, PeriodMark, TermClosure
from .helpers import MON, at, journal, view_queries

PAGE_QUERIES_SMALL_AND_LARGE = [(0, 2), (12, 9)]


@pytest.fixture
def maths(world):
    """The world's teacher's maths journal of 5 «А», three lessons from Monday, first quarter."""
    a, days = journal(world, days=[MON, MON + dt.timedelta(days=1), MON + dt.timedelta(days=2)])
    return a, days, world.school.terms.get(number=1)


def grid_url(a, term):
    return reverse("journal:grid", kwargs={"assignment_id": a.pk, "term_id": term.pk})


def cells_url(a, term):
    return reverse("journal:cells", kwargs={"assignment_id": a.pk, "term_id": term.pk})


def cell(student, day, text, *, att=0, marks="", token="t1"):
    return {"student": student.pk, "lesson": day.pk, "text": text, "att": att, "marks": marks, "token": token}


def post_cells(client, a, term, *cells):
    return client.post(cells_url(a, term), {"cells": json.dumps(list(cells))}, HTTP_HX_REQUEST="true")


def keeper(world, login_as):
    return login_as(world.teacher, Role.CLASS_TEACHER)


def test_the_keeper_and_the_administration_open_the_journal(world, login_as, maths):
    a, _days, term = maths
    for user, role in ((world.teacher, Role.CLASS_TEACHER), (world.deputy_head, Role.DEPUTY_HEAD)):
        response = login_as(user, role).get(grid_url(a, term))
        assert response.status_code == 200
        assert "Орлов Максим Андреевич" in response.content.decode()
    assert 'class="jc' in keeper(world, login_as).get(grid_url(a, term)).content.decode()


def test_the_deputy_head_reads_but_does_not_type(world, login_as, maths):
    a, (day, *_rest), term = maths
    html = login_as(world.deputy_head, Role.DEPUTY_HEAD).get(grid_url(a, term)).content.decode()
    assert "jc-ro" in html and '<input type="text" id="c-' not in html
    history = reverse("journal:cell_history", kwargs={"lesson_id": day.pk, "student_id": world.student.pk})
    assert f'id="c-{world.student.pk}-{day.pk}" class="jc jc-ro" hx-get="{history}"' in html


@pytest.mark.parametrize("who", ["other_teacher", "guardian_user", "student_user", "foreign_director"])
def test_another_teacher_a_family_or_another_school_cannot_open_the_journal(world, login_as, maths, who):
    a, _days, term = maths
    assert login_as(getattr(world, who)).get(grid_url(a, term)).status_code in (403, 404)


def test_a_typed_mark_is_saved_and_the_averages_come_back_out_of_band(world, login_as, maths):
    a, (day, *_rest), term = maths
    client = keeper(world, login_as)
    with at(MON):
        response = post_cells(client, a, term, cell(world.student, day, "5"))
    assert response.status_code == 200
    mark = Mark.objects.get()
    assert (mark.value, mark.student_id, mark.lesson_id, mark.client_token) == (5, world.student.pk, day.pk, "t1:0")
    html = response.content.decode()
    assert "Сохранено." in html
    assert f'id="c-{world.student.pk}-{day.pk}"' in html and "jc-saved" in html
    assert f'id="wa-{world.student.pk}" hx-swap-oob="true">5,00<' in html, html


def test_absence_lateness_and_two_marks_in_one_cell(world, login_as, maths):
    a, (day, *_rest), term = maths
    client = keeper(world, login_as)
    with at(MON):
        assert post_cells(client, a, term, cell(world.student, day, "оп10 5/4")).status_code == 200
        assert post_cells(client, a, term, cell(world.classmate, day, "н", token="t2")).status_code == 200
    late = Attendance.objects.get(student=world.student)
    assert (late.code, late.late_minutes) == ("оп", 10)
    assert list(Mark.objects.filter(student=world.student).values_list("value", flat=True)) == [5, 4]
    assert Attendance.objects.get(student=world.classmate).code == "н"


@pytest.mark.parametrize(
    ("text", "message"),
    [("6", "Отметка должна быть целым числом от 1 до 5"), ("x", "Не понимаю «x»"), ("оп", "например «оп10»")],
)
def test_a_value_outside_the_scale_is_refused_in_russian_and_nothing_is_saved(world, login_as, maths, text, message):
    a, (day, *_rest), term = maths
    with at(MON):
        response = post_cells(keeper(world, login_as), a, term, cell(world.student, day, text))
    html = response.content.decode()
    assert response.status_code == 400 and message in html
    assert "jc-failed" in html and f'value="{text}"' in html  # the typed value stays to be corrected
    assert not Mark.objects.exists() and not Attendance.objects.exists() and not ChangeRecord.objects.exists()


def test_a_closed_term_is_refused_with_an_offer_to_request_a_correction(world, login_as, maths):
    a, (day, *_rest), term = maths
    TermClosure.objects.create(school=world.school, term=term, closed_by=world.deputy_head)
    client = keeper(world, login_as)
    with at(MON):
        response = post_cells(client, a, term, cell(world.student, day, "5"))
    html = response.content.decode()
    assert response.status_code == 400 and "закрыт" in html and "Запросить исправление" in html
    assert not Mark.objects.exists()
    assert "Период «1 четверть» закрыт" in client.get(grid_url(a, term)).content.decode()


def test_a_stale_version_shows_who_won_and_the_current_value(world, login_as, maths):
    a, (day, *_rest), term = maths
    client = keeper(world, login_as)
    with at(MON):
        post_cells(client, a, term, cell(world.student, day, "3"))
        mark = Mark.objects.get()
        seen = f"{mark.pk}.{mark.version}"
        post_cells(client, a, term, cell(world.student, day, "4", marks=seen, token="t2"))  # another tab
        response = post_cells(client, a, term, cell(world.student, day, "5", marks=seen, token="t3"))
    html = response.content.decode()
    assert response.status_code == 409
    assert "Отметку уже изменил другой пользователь (сейчас: 4)" in html and "jc-conflict" in html
    assert Mark.objects.get().value == 4


def test_a_retry_with_the_same_client_token_creates_one_mark(world, login_as, maths):
    a, (day, *_rest), term = maths
    client = keeper(world, login_as)
    with at(MON):
        first = post_cells(client, a, term, cell(world.student, day, "5", token="same"))
        again = post_cells(client, a, term, cell(world.student, day, "5", token="same"))
    assert (first.status_code, again.status_code) == (200, 200)
    assert Mark.objects.count() == 1 and ChangeRecord.objects.filter(field="value").count() == 1


def test_a_pasted_column_is_saved_all_or_nothing(world, login_as, maths):
    a, (day, *_rest), term = maths
    client = keeper(world, login_as)
    with at(MON):
        bad = post_cells(client, a, term, cell(world.student, day, "5", token="a"),
                         cell(world.classmate, day, "7", token="b"))  # fmt: skip
        assert bad.status_code == 400 and "Белова Дарья Игоревна, 07.09.2026" in bad.content.decode()
        assert not Mark.objects.exists()
        good = post_cells(client, a, term, cell(world.student, day, "5", token="a"),
                          cell(world.classmate, day, "4", token="b"))  # fmt: skip
    assert good.status_code == 200 and "Сохранено клеток: 2." in good.content.decode()
    assert sorted(Mark.objects.values_list("value", flat=True)) == [4, 5]


def test_delete_clears_the_cell(world, login_as, maths):
    a, (day, *_rest), term = maths
    client = keeper(world, login_as)
    with at(MON):
        post_cells(client, a, term, cell(world.student, day, "н 5"))
        mark, absence = Mark.objects.get(), Attendance.objects.get()
        response = post_cells(client, a, term, cell(world.student, day, "", att=absence.version,
                                                    marks=f"{mark.pk}.{mark.version}", token="t2"))  # fmt: skip
    assert response.status_code == 200
    assert not Mark.objects.exists() and not Attendance.objects.exists()


def test_another_teacher_cannot_save_into_the_journal(world, login_as, maths):
    a, (day, *_rest), term = maths
    with at(MON):
        response = post_cells(login_as(world.other_teacher), a, term, cell(world.student, day, "5"))
    assert response.status_code == 403 and not Mark.objects.exists()


def test_garbage_from_the_page_is_a_clear_400(world, login_as, maths):
    a, _days, term = maths
    response = keeper(world, login_as).post(cells_url(a, term), {"cells": "{not json"})
    assert response.status_code == 400 and "непонятные данные" in response.content.decode()


def test_the_suggested_period_mark_is_confirmed_with_an_empty_value(world, login_as, maths):
    a, (day, *_rest), term = maths
    client = keeper(world, login_as)
    url = reverse("journal:period_mark", kwargs={"assignment_id": a.pk, "term_id": term.pk})
    with at(MON):
        post_cells(client, a, term, cell(world.student, day, "5"))
        response = client.post(url, {"student": world.student.pk, "value": "", "suggested": "5", "version": 0})
    assert response.status_code == 200, response.content.decode()
    assert PeriodMark.objects.get().value == "5"


def test_the_lesson_link_opens_the_journal_at_the_lessons_column(world, login_as, maths):
    a, (day, *_rest), term = maths
    response = keeper(world, login_as).get(reverse("journal:lesson", kwargs={"lesson_id": day.pk}))
    assert response.status_code == 302 and response["Location"] == f"{grid_url(a, term)}#lh-{day.pk}"


def test_a_refused_cell_becomes_a_correction_that_passes_once_approved(world, login_as, maths):
    a, (day, *_rest), term = maths
    typed = cell(world.student, day, "4")
    url = reverse("journal:correction_new", kwargs={"assignment_id": a.pk, "term_id": term.pk})
    client = keeper(world, login_as)
    with at(MON + dt.timedelta(days=10)):
        assert post_cells(client, a, term, typed).status_code == 400  # after the deadline
        assert client.get(url, {"cells": json.dumps([typed])}).status_code == 200
        assert client.post(url, {"cells": json.dumps([typed]), "reason": ""}).status_code == 400
        assert client.post(url, {"cells": json.dumps([typed]), "reason": "Работа сдана позже"}).status_code == 200
        request = CorrectionRequest.objects.get()
        deputy = login_as(world.deputy_head, Role.DEPUTY_HEAD)
        assert "Работа сдана позже" in deputy.get(reverse("journal:corrections")).content.decode()
        decide = reverse("journal:correction_decide", kwargs={"pk": request.pk})
        assert deputy.post(decide, {"decision": "approve", "note": ""}).status_code == 302
        response = post_cells(keeper(world, login_as), a, term, typed)
    assert response.status_code == 200, response.content.decode()
    assert Mark.objects.get().value == 4
    assert CorrectionRequest.objects.get().status == CorrectionRequest.Status.APPLIED
    record = ChangeRecord.objects.get(field="value")
    assert (record.is_late, record.reason) == (True, "Работа сдана позже")


def test_the_deputy_head_sees_the_history_of_a_cell(world, login_as, maths):
    a, (day, *_rest), term = maths
    with at(MON):
        post_cells(keeper(world, login_as), a, term, cell(world.student, day, "3"))
    url = reverse("journal:cell_history", kwargs={"lesson_id": day.pk, "student_id": world.student.pk})
    html = login_as(world.deputy_head, Role.DEPUTY_HEAD).get(url).content.decode()
    assert "Попова Е.С." in html or "Попова" in html
    assert "— → 3" in html


def history_url(day, student):
    return reverse("journal:cell_history", kwargs={"lesson_id": day.pk, "student_id": student.pk})


def test_the_history_of_a_cell_names_no_student_outside_the_lessons_class(world, login_as, maths):
    _a, (day, *_rest), _term = maths  # 5 «А»; the sibling is in 5 «Б» of the same school
    for user, role in ((world.teacher, Role.CLASS_TEACHER), (world.deputy_head, Role.DEPUTY_HEAD)):
        response = login_as(user, role).get(history_url(day, world.sibling))
        assert response.status_code == 404, role
        assert "Орлова" not in response.content.decode()


def test_the_history_of_a_lesson_the_teacher_does_not_teach_is_not_found(world, login_as, maths):
    _a, (day, *_rest), _term = maths
    response = login_as(world.other_teacher, Role.TEACHER).get(history_url(day, world.student))
    assert response.status_code == 404
    assert "Орлов" not in response.content.decode()
    # 5 «Б»'s class teacher reads 5 «Б»'s journal, but no 5 «А» student through it.
    _a, (their_day,) = journal(world, cls=world.other_cls, name="История")
    client = login_as(world.other_teacher, Role.CLASS_TEACHER)
    assert client.get(history_url(their_day, world.sibling)).status_code == 200
    response = client.get(history_url(their_day, world.student))
    assert response.status_code == 404 and "Орлов" not in response.content.decode()


def test_the_history_of_a_subgroup_lesson_is_for_the_subgroups_students(world, login_as):
    from ejournal.people.models import SubgroupMembership

    SubgroupMembership.objects.create(school=world.school, subgroup=world.subgroup, student=world.student,
                                      starts_on=MON)  # fmt: skip
    _a, (day,) = journal(world, subgroup=world.subgroup, name="Иностранный язык (английский)")
    client = keeper(world, login_as)
    assert client.get(history_url(day, world.student)).status_code == 200
    assert client.get(history_url(day, world.classmate)).status_code == 404


def _fill(world, extra: int, lessons: int):
    from .test_selectors import fill

    return fill(world, extra_students=extra, lessons=lessons)


@pytest.mark.parametrize(("extra", "lessons"), PAGE_QUERIES_SMALL_AND_LARGE)
def test_the_journal_page_takes_a_constant_number_of_queries(world, login_as, extra, lessons):
    a, _days, term, students = _fill(world, extra, lessons)
    client = keeper(world, login_as)
    client.get(grid_url(a, term))  # warm the session and the work types
    with view_queries() as queries:
        response = client.get(grid_url(a, term))
    assert queries.count == GRID_PAGE_QUERIES
    assert response.content.decode().count('class="jc') == len(students) * lessons


@pytest.mark.parametrize(("extra", "lessons"), PAGE_QUERIES_SMALL_AND_LARGE)
def test_the_class_overview_takes_a_constant_number_of_queries(world, login_as, extra, lessons):
    _a, _days, term, _students = _fill(world, extra, lessons)
    make_student(world.other_cls, "Чужой", "Ученик")
    client = keeper(world, login_as)
    url = reverse("journal:class_overview", kwargs={"class_id": world.cls.pk, "term_id": term.pk})
    client.get(url)
    with view_queries("class_get") as queries:
        response = client.get(url)
    assert queries.count == OVERVIEW_PAGE_QUERIES
    assert response.status_code == 200 and "Чужой" not in response.content.decode()


# From the view's first read on (the request's own queries belong to the portal's middleware and caches).
# The journal, its terms, the grid (students, lessons, marks, attendance, period marks; the kinds of work come with
# the school's cached constants). Before: 8 (the kinds), 9 (the scale).
GRID_PAGE_QUERIES = 7
OVERVIEW_PAGE_QUERIES = 8
