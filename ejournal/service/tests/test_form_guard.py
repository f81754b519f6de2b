"""The public form's flood protection never drops an application while saying it was accepted.

A suspected bot gets a visible extra step; the fill time counts from the first display; a form serves one
submission; too many applications go to a held queue instead of being refused; every applicant gets a
number and can check the status by it with the phone or e-mail they gave.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import time

import pytest
import time_machine
from django.urls import reverse

from ejournal.service.guard import form_token
from ejournal.service.models import Application

from .factories import form_post

TODAY = dt.datetime(2026, 10, 5, 10, 0, tzinfo=dt.UTC)
PAGE = "/u/s1/"


@pytest.fixture
def frozen():
    with time_machine.travel(TODAY, tick=False) as traveller:
        yield traveller


def _hidden(text: str) -> dict[str, str]:
    """The hidden fields of the page's form, as the browser would send them back."""
    fields = {}
    for tag in re.findall(r"<input[^>]*type=\"hidden\"[^>]*>", text):
        name = re.search(r'name="([^"]*)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name and name.group(1) != "csrfmiddlewaretoken":
            fields[name.group(1)] = html.unescape(value.group(1) if value else "")
    return fields


def _answer(text: str) -> str:
    found = re.search(r"Сколько будет (\d+) \+ (\d+)", text)
    assert found is not None
    a, b = found.groups()
    return str(int(a) + int(b))


# --- defect 7: nothing is dropped while the page says it was accepted -------------------------------


def test_a_correction_sent_right_after_an_error_is_saved_with_a_number(world, client, frozen):
    token = _hidden(client.get(PAGE).content.decode())["started"]
    frozen.shift(30)
    refused = client.post(PAGE, form_post(email="mama@", started=token))
    assert refused.status_code == 400
    frozen.shift(1)  # one second after the error page: the fill time still counts from the first display
    response = client.post(PAGE, form_post(started=_hidden(refused.content.decode())["started"]))
    assert response.status_code == 302
    application = Application.objects.get()
    receipt = client.get(response["Location"]).content.decode()
    assert application.number == "S1-00001" and "S1-00001" in receipt


def test_a_refusal_by_the_services_rules_keeps_the_forms_first_display_too(world, client, frozen):
    token = _hidden(client.get(PAGE).content.decode())["started"]
    frozen.shift(30)
    refused = client.post(PAGE, form_post(child_birth_date="06.04.2020", started=token))  # too young
    assert refused.status_code == 400 and "от 6,5 до 18 лет" in refused.content.decode()
    assert _hidden(refused.content.decode())["started"] == token
    frozen.shift(1)
    assert client.post(PAGE, form_post(started=token)).status_code == 302
    assert Application.objects.count() == 1


def test_a_form_sent_too_fast_gets_a_visible_extra_step_and_is_saved_after_it(world, client, frozen):
    response = client.post(PAGE, form_post(started=form_token(time.time() - 1)))
    text = response.content.decode()
    assert response.status_code == 200
    assert "Подтвердите отправку" in text
    assert not Application.objects.exists()

    wrong = client.post(PAGE, {**_hidden(text), "answer": "1000"})
    assert wrong.status_code == 400
    assert "Ответ неверный" in wrong.content.decode()
    assert not Application.objects.exists()

    confirmed = client.post(PAGE, {**_hidden(text), "answer": _answer(text)})
    assert confirmed.status_code == 302
    application = Application.objects.get()
    assert application.child_name == "Белова Дарья Игоревна"
    assert application.status == Application.Status.RECEIVED
    assert application.number in client.get(confirmed["Location"]).content.decode()


def test_a_filled_trap_field_gets_the_extra_step_too(world, client, frozen):
    """Browsers' autofill may fill the hidden field: a person must still get through."""
    text = client.post(PAGE, form_post(website="http://example.ru")).content.decode()
    assert "Подтвердите отправку" in text
    assert "http://example.ru" not in text
    confirmed = client.post(PAGE, {**_hidden(text), "answer": _answer(text)})
    assert confirmed.status_code == 302
    assert Application.objects.count() == 1


def test_the_receipt_page_without_an_application_is_not_a_success(world, client):
    response = client.get(reverse("service:done", args=["s1"]))
    assert response.status_code == 302
    assert response["Location"] == PAGE


def test_the_applicant_checks_the_status_by_number_and_phone_or_email(world, client, frozen):
    client.post(PAGE, form_post())
    number = Application.objects.get().number
    url = reverse("service:status", args=["s1"])
    assert client.get(url).status_code == 200
    for contact in ("8 918 123-45-67", "BELOVA@example.ru"):
        found = client.post(url, {"number": number.lower(), "contact": contact}).content.decode()
        assert "получено" in found and "20.10.2026" in found
    for number_, contact in (
        (number, "+7 918 000-00-00"),
        (number, "other@example.ru"),
        ("S1-00002", "8 918 123-45-67"),
    ):
        missing = client.post(url, {"number": number_, "contact": contact})
        assert missing.status_code == 404
        assert "не найдено" in missing.content.decode()
        assert "Белова" not in missing.content.decode()
    assert client.post("/u/g2/status/", {"number": number, "contact": "8 918 123-45-67"}).status_code == 404


# --- defect 8: one token, one submission; a flood does not lock out a real parent ---------------------


def test_a_form_token_serves_one_submission(world, client, frozen):
    data = form_post()
    assert client.post(PAGE, data).status_code == 302
    second = client.post(PAGE, {**data, "child_first_name": "Мария"}, REMOTE_ADDR="10.9.9.9")
    assert second.status_code == 400
    assert "уже отправлен" in second.content.decode()
    assert Application.objects.count() == 1


def test_a_flood_from_twenty_addresses_does_not_lock_out_a_real_parent(world, client, frozen):
    for i in range(100):
        junk = form_post(last_name="Спамов", child_first_name="Спам", started=form_token(time.time() - 60))
        client.post(PAGE, junk, REMOTE_ADDR=f"10.1.0.{i % 20 + 1}")
    response = client.post(PAGE, form_post(), REMOTE_ADDR="192.0.2.7")
    assert response.status_code == 302
    parent = Application.objects.get(last_name="Белова")
    assert parent.number in client.get(response["Location"]).content.decode()
    junk = Application.objects.filter(last_name="Спамов")
    assert junk.count() == 100
    held = junk.filter(status=Application.Status.HELD)
    assert held.count() >= 80
    assert not held.filter(due_on__isnull=False).exists()  # no 15-day deadline runs for the held queue


# --- two posts of one form at once (two real connections) --------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_posts_of_one_form_at_once_save_one_application(world, monkeypatch):
    """Both posts pass the "already used?" read together; the database's unique nonce decides.

    On PostgreSQL two threads with their own connections meet at a barrier after that read, inside their
    transactions: the second insert waits for the first to commit and fails on the constraint. SQLite's
    IMMEDIATE transactions run one after the other (and its in-memory test database refuses a second
    writer outright), so there the two posts run in turn and the second finds the first's row.
    """
    import threading

    from django.core.exceptions import ValidationError
    from django.db import connection

    from ejournal.access.policy import ANONYMOUS
    from ejournal.service import services

    from .factories import application_input

    hold_reason = services._hold_reason
    barrier: list[threading.Barrier] = []

    met: list[bool] = []

    def meet_then_count(**kwargs):
        barrier[0].wait(timeout=10)
        met.append(True)  # this post read "not used yet" and its partner did too
        return hold_reason(**kwargs)

    monkeypatch.setattr(services, "_hold_reason", meet_then_count)
    parallel = connection.vendor == "postgresql"
    for round_ in range(8):
        barrier[:] = [threading.Barrier(2 if parallel else 1)]
        outcomes: list[str] = []

        def post(nonce=f"{round_:032d}", outcomes=outcomes):
            try:
                services.application_submit(
                    school=world.school, data=application_input(), actor=ANONYMOUS, form_nonce=nonce
                )
                outcomes.append("saved")
            except ValidationError as exc:
                outcomes.append(exc.error_list[0].code)
            finally:
                connection.close()

        threads = [threading.Thread(target=post) for _ in range(2)]
        for thread in threads:
            thread.start()
            if not parallel:
                thread.join()
        for thread in threads:
            thread.join()
        assert sorted(outcomes) == ["form_used", "saved"], f"round {round_}: {outcomes}"
    assert len(met) == (16 if parallel else 8)  # in parallel both posts of every round got past the read
    assert Application.objects.count() == 8
    assert len(set(Application.objects.values_list("number", flat=True))) == 8
