"""A teacher's journey through a correction: a closed cell takes a request, the request says what it is for,
the deputy head sees was → would be, the teacher sees the decision in «Мои запросы»; histories read as Russian."""

import datetime as dt
import json

import pytest
from django.urls import reverse

from ejournal.access.roles import Role

from ..models import CorrectionRequest, Mark, TermClosure
from .helpers import MON, at, journal
from .test_views_grid import cell, grid_url, keeper, post_cells


@pytest.fixture
def maths(world):
    a, days = journal(world, days=[MON, MON + dt.timedelta(days=1)])
    return a, days, world.school.terms.get(number=1)


def _correction_url(a, term):
    return reverse("journal:correction_new", kwargs={"assignment_id": a.pk, "term_id": term.pk})


def test_a_closed_terms_cells_take_typing_and_offer_a_request(world, login_as, maths):
    a, (day, *_rest), term = maths
    client = keeper(world, login_as)
    with at(MON):
        assert post_cells(client, a, term, cell(world.student, day, "3")).status_code == 200
    TermClosure.objects.create(school=world.school, term=term, closed_by=world.deputy_head)
    html = client.get(grid_url(a, term)).content.decode()
    # the keeper's cells stay inputs (not read-only spans) so a value can be typed for the request
    assert f'<input type="text" id="c-{world.student.pk}-{day.pk}"' in html
    assert "журнал предложит отправить запрос" in html
    assert "Всем присутствующим без отметки" not in html  # no mass fill in a closed term
    mark = Mark.objects.get()
    with at(MON + dt.timedelta(days=1)):
        typed = cell(world.student, day, "4", marks=f"{mark.pk}.{mark.version}")
        response = post_cells(client, a, term, typed)
    assert response.status_code == 400 and "Запросить исправление" in response.content.decode()
    assert Mark.objects.get().value == 3


def test_the_request_form_names_the_student_the_lesson_and_the_current_value(world, login_as, maths):
    a, (day, *_rest), term = maths
    client = keeper(world, login_as)
    with at(MON):
        post_cells(client, a, term, cell(world.student, day, "3"))
    mark = Mark.objects.get()
    typed = cell(world.student, day, "4", marks=f"{mark.pk}.{mark.version}")
    with at(MON + dt.timedelta(days=10)):
        html = client.get(_correction_url(a, term), {"cells": json.dumps([typed])}).content.decode()
        assert world.student.full_name in html
        assert day.date.strftime("%d.%m.%Y") in html
        assert "Сейчас в журнале" in html and "«3»" in html and "«4»" in html
        response = client.post(_correction_url(a, term), {"cells": json.dumps([typed]), "reason": "Пересдача"})
    assert response.status_code == 200
    request = CorrectionRequest.objects.get()
    assert request.current == "3"
    deputy = login_as(world.deputy_head, Role.DEPUTY_HEAD)
    queue = deputy.get(reverse("journal:corrections")).content.decode()
    assert "было «3»" in queue and "станет «4»" in queue
    assert "отметка «" not in queue  # not «отметка: отметка «4»»


def test_my_requests_list_the_decision_and_the_home_page_tells_of_it(world, login_as, maths):
    a, (day, *_rest), term = maths
    typed = cell(world.student, day, "5")
    with at(MON + dt.timedelta(days=10)):
        client = keeper(world, login_as)
        client.post(_correction_url(a, term), {"cells": json.dumps([typed]), "reason": "Болел, писал позже"})
        request = CorrectionRequest.objects.get()
        mine = client.get(reverse("journal:my_corrections")).content.decode()
        assert "Болел, писал позже" in mine and "на рассмотрении" in mine and "новое решение" not in mine
        deputy = login_as(world.deputy_head, Role.DEPUTY_HEAD)
        decide = reverse("journal:correction_decide", kwargs={"pk": request.pk})
        assert deputy.post(decide, {"decision": "reject", "note": "Нет подтверждения"}).status_code == 302
        client = keeper(world, login_as)
        home = client.get(reverse("portal:home")).content.decode()
        assert "Рассмотрен 1 ваш запрос" in home
        mine = client.get(reverse("journal:my_corrections")).content.decode()
        assert "отклонено" in mine and "Нет подтверждения" in mine and "новое решение" in mine
        request.refresh_from_db()
        assert request.decision_seen_at is not None
        assert "Рассмотрен" not in client.get(reverse("portal:home")).content.decode()
        assert "новое решение" not in client.get(reverse("journal:my_corrections")).content.decode()


def test_my_requests_show_only_the_teachers_own(world, login_as, maths):
    _a, (day, *_rest), _term = maths
    CorrectionRequest.objects.create(
        school=world.school, kind="mark", lesson=day, student=world.student, proposed={"value": 5},
        reason="чужой запрос", filed_by=world.other_teacher,
    )  # fmt: skip
    mine = keeper(world, login_as).get(reverse("journal:my_corrections")).content.decode()
    assert "чужой запрос" not in mine


def test_the_cell_and_lesson_histories_read_as_russian(world, login_as, maths):
    a, (day, *_rest), term = maths
    client = keeper(world, login_as)
    with at(MON):
        assert post_cells(client, a, term, cell(world.student, day, "н 5")).status_code == 200
        client.post(
            reverse("journal:lesson_homework", kwargs={"lesson_id": day.pk}),
            {"text": "№ 12", "due_date": "2026-09-09"}, HTTP_HX_REQUEST="true",
        )  # fmt: skip
    url = reverse("journal:cell_history", kwargs={"lesson_id": day.pk, "student_id": world.student.pk})
    html = login_as(world.deputy_head, Role.DEPUTY_HEAD).get(url).content.decode()
    for internal in ("value", "work_type", "attendance", "создание:"):
        assert internal not in html, internal
    assert "Отметка" in html and "Посещаемость" in html and "н — отсутствовал" in html and "Вид работы" in html
    assert "Учитель" in html or "Классный руководитель" in html  # the role, in words
    panel = client.get(reverse("journal:lesson_panel", kwargs={"lesson_id": day.pk})).content.decode()
    for internal in ("due_date", ": text ", "file:"):
        assert internal not in panel, internal
    assert "Домашнее задание" in panel


def _overview_url(world, name="journal:class_overview"):
    term = world.school.terms.get(number=1)
    return reverse(name, kwargs={"class_id": world.cls.pk, "term_id": term.pk})


def test_the_class_overview_marks_failing_subjects_and_exports_with_a_title(world, login_as, maths):
    import io

    from openpyxl import load_workbook

    a, (day, day2), term = maths
    client = keeper(world, login_as)
    with at(MON):
        assert post_cells(client, a, term, cell(world.student, day, "2")).status_code == 200
    with at(MON + dt.timedelta(days=1)):
        assert post_cells(client, a, term, cell(world.student, day2, "2", token="t2")).status_code == 200
        html = client.get(_overview_url(world)).content.decode()
        assert 'class="j-fail"' in html and "не успевает" in html
        assert "Скачать XLSX" in html
        response = client.get(_overview_url(world, "journal:class_overview_xlsx"))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")
    sheet = load_workbook(io.BytesIO(response.content)).active
    title = sheet["A1"].value
    assert world.cls.school.short_name in title and "1 четверть" in title and "Выгружено" in title
    names = [sheet.cell(row=r, column=2).value for r in range(4, sheet.max_row + 1)]
    assert world.student.full_name in names
    row = 4 + names.index(world.student.full_name)
    assert sheet.cell(row=row, column=3).value == 2.0
    assert sheet.cell(row=row, column=3).fill.fgColor.rgb.endswith("F8D7DA")


def test_the_class_page_links_to_the_overview_and_a_subject_teacher_is_not_shown_it(world, login_as, maths):
    html = keeper(world, login_as).get(reverse("people:class_detail", kwargs={"pk": world.cls.pk})).content.decode()
    current = reverse("journal:class_overview_current", kwargs={"class_id": world.cls.pk})
    assert current in html
    response = keeper(world, login_as).get(current)
    assert response.status_code == 200 and "Скачать XLSX" in response.content.decode()
    # a teacher who only teaches a subject in the class: the journal page has no «Класс за период» link
    from .helpers import journal as make_journal

    other, _days = make_journal(world, user=world.other_teacher, days=[MON], name="История")
    term = world.school.terms.get(number=1)
    page = login_as(world.other_teacher).get(grid_url(other, term)).content.decode()
    assert "Класс за период" not in page


def test_rejecting_a_request_another_tab_approved_says_it_was_decided(world, login_as, maths):
    _a, (day, *_rest), _term = maths
    request = CorrectionRequest.objects.create(
        school=world.school, kind="mark", lesson=day, student=world.student, proposed={"value": 5},
        reason="пересдача", filed_by=world.teacher,
    )  # fmt: skip
    deputy = login_as(world.deputy_head, Role.DEPUTY_HEAD)
    decide = reverse("journal:correction_decide", kwargs={"pk": request.pk})
    assert deputy.post(decide, {"decision": "approve", "note": ""}).status_code == 302
    page = deputy.post(decide, {"decision": "reject", "note": ""}, follow=True).content.decode()
    assert "уже рассмотрен" in page and "Укажите причину отказа" not in page
    request.refresh_from_db()
    assert request.status == CorrectionRequest.Status.APPROVED
