"""The public pages: the index, a school's page, the application form and its flood protection."""

from __future__ import annotations

import datetime as dt
import time

import pytest
import time_machine
from django.urls import reverse

from ejournal.service.guard import form_token
from ejournal.service.models import Application

from .factories import form_post

TODAY = dt.datetime(2026, 10, 5, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def frozen():
    with time_machine.travel(TODAY, tick=False) as traveller:
        yield traveller


def _page(world):
    return reverse("service:school_page", args=[world.school.code])


def test_index_lists_every_school_with_its_page(world, client):
    response = client.get(reverse("service:index"))
    text = response.content.decode()
    assert response.status_code == 200
    assert 'href="/u/s1/"' in text and 'href="/u/g2/"' in text


def test_school_page_explains_the_service_and_names_the_coordinator(world, client):
    response = client.get("/u/s1/")
    text = response.content.decode()
    assert response.status_code == 200
    assert "1993-р" in text
    assert "не более 15 дней" in text
    assert "Кузнецов Андрей Олегович" in text  # world.coordinator
    assert "Лебедева" not in text  # the other school's coordinator
    assert "152-ФЗ" in text


def test_unknown_school_code_is_404(world, client):
    assert client.get("/u/nosuch/").status_code == 404


def test_application_is_accepted_and_the_receipt_shows_its_number(world, client, frozen):
    response = client.post(_page(world), form_post())
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.school == world.school
    assert application.number == "S1-00001"
    assert application.status == Application.Status.RECEIVED
    assert application.due_on == dt.date(2026, 10, 20)
    assert application.id_doc_tail == "5678"  # only the last four characters are kept
    receipt = client.get(response["Location"]).content.decode()
    assert "S1-00001" in receipt and "20.10.2026" in receipt


def test_numbers_follow_each_other_per_school(world, client, frozen):
    client.post(_page(world), form_post())
    client.post(_page(world), form_post(child_first_name="Мария"))
    client.post(reverse("service:school_page", args=["g2"]), form_post())
    assert sorted(Application.objects.values_list("number", flat=True)) == ["G2-00001", "S1-00001", "S1-00002"]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"consent": None}, "Без согласия на обработку персональных данных"),
        ({"email": "mama@"}, "Проверьте адрес электронной почты"),
        ({"phone": "12-34"}, "Укажите телефон с кодом"),
        ({"child_birth_date": "06.10.2026"}, "Дата рождения не может быть позже сегодняшнего дня"),
        ({"child_birth_date": "06.04.2020"}, "от 6,5 до 18 лет"),  # 6 years 5 months old
        ({"child_birth_date": "05.10.2008"}, "от 6,5 до 18 лет"),  # 18 today
        ({"applicant_kind": "student", "relation": "", "child_birth_date": "06.10.2012"}, "достигший 14 лет"),
        ({"relation": ""}, "Укажите, кем вы приходитесь ребёнку"),
        ({"id_doc_number": "<script>"}, "Серия и номер документа"),
        ({"last_name": ""}, "Обязательное поле"),
    ],
)
def test_bad_input_is_refused_in_russian_and_nothing_is_saved(world, client, frozen, overrides, message):
    response = client.post(_page(world), form_post(**overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Application.objects.exists()


def test_child_of_exactly_six_and_a_half_and_a_student_of_fourteen_are_accepted(world, client, frozen):
    assert client.post(_page(world), form_post(child_birth_date="05.04.2020")).status_code == 302
    student = form_post(applicant_kind="student", relation="", child_birth_date="05.10.2012")
    assert client.post(_page(world), student).status_code == 302
    assert Application.objects.count() == 2


@pytest.mark.parametrize("token", ["", "forged", form_token(time.time() - 3 * 24 * 3600)])
def test_a_missing_forged_or_stale_form_is_refused_with_a_message(world, client, token):
    response = client.post(_page(world), form_post(started=token))
    assert response.status_code == 400
    assert "Форма устарела" in response.content.decode()
    assert not Application.objects.exists()
