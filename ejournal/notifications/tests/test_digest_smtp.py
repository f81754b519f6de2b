"""Digests sent over a real SMTP connection to a local aiosmtpd server (see conftest.py), frozen clock."""

from __future__ import annotations

import datetime as dt
import re

from django.core.management import call_command

from ejournal.journal.services import mark_set, work_types_ensure
from ejournal.journal.tests.helpers import teacher

from ..models import DigestLog, DigestSubscription
from ..services import _claim, digests_send_due
from ..tasks import send_due_digests
from .helpers import MON, at, family, foreign_teacher, guardian_actor, subscribe

TUE = MON + dt.timedelta(days=1)


def _setup(world, **choices):
    with at(MON, 10):
        subscription = subscribe(world, **choices)
    with at(MON, 12):
        data = family(world)
    return subscription, data


def test_guardian_gets_one_digest_with_both_childrens_news(world, smtp):
    _setup(world)
    with at(MON, 19):
        report = digests_send_due()
    assert (report.sent, report.failed) == (1, 0)
    [mail] = smtp.received
    assert mail.rcpt_tos == ["parent@example.ru"]
    assert mail.message["To"] == "parent@example.ru"
    assert "07.09.2026" in mail.message["Subject"]
    text = mail.text
    assert "Орлов Максим Андреевич, 5 «А» — МБОУ СОШ № 1" in text
    assert "07.09.2026  Математика: 5 (Контрольная работа)" in text
    assert "Орлова Анна Андреевна, 5 «Б»" in text
    assert "3. Русский язык, 4. Русский язык" in text
    assert "б — болезнь" in text
    assert "2 пропуска уроков" in text
    assert "№ 145, 146" in text and "к 09.09.2026" in text
    assert "https://ej.example.ru/diary/" in text
    assert f"Дневник: https://ej.example.ru/diary/{world.student.pk}/" in text
    assert f'href="https://ej.example.ru/diary/{world.sibling.pk}/"' in mail.html
    assert "Математика" in mail.html and "<b>5</b>" in mail.html


def test_a_digest_never_carries_another_familys_data(world, smtp):
    _subscription, data = _setup(world)
    other = guardian_actor(world, world.foreign_guardian_user, [world.foreign_student])
    with at(MON, 10):
        subscribe(world, actor=other, email="zaitseva@example.ru")
    with at(MON, 13):
        mark_set(
            lesson=data["foreign_lesson"], student=world.foreign_student, value=5,
            work_type=work_types_ensure(world.other_school)["test"], actor=foreign_teacher(world),
        )  # fmt: skip
    with at(MON, 19):
        digests_send_due()
    by_rcpt = {m.rcpt_tos[0]: m.text for m in smtp.received}
    assert set(by_rcpt) == {"parent@example.ru", "zaitseva@example.ru"}
    ours, theirs = by_rcpt["parent@example.ru"], by_rcpt["zaitseva@example.ru"]
    assert "Белова" not in ours and "Зайцев" not in ours and ": 4 " not in ours and ": 3 " not in ours
    assert "Зайцев Кирилл Олегович, 5 «А» — МБОУ гимназия № 2" in theirs
    assert "Орлов" not in theirs and "Русский язык" not in theirs and "№ 145" not in theirs


def test_opted_out_absences_have_no_section(world, smtp):
    _setup(world, absences=False)
    with at(MON, 19):
        digests_send_due()
    [mail] = smtp.received
    assert "пропуск" not in mail.text.lower() and "болезнь" not in mail.text
    assert "Математика: 5" in mail.text
    assert DigestLog.objects.get().absences_count == 0


def test_only_homework_wanted_and_none_given_means_no_email(world, smtp):
    with at(MON, 10):
        subscribe(world, marks=False, absences=False, homework=True)
    with at(MON, 19):
        report = digests_send_due()
    assert smtp.received == [] and report.empty == 1
    assert DigestLog.objects.get().status == DigestLog.Status.EMPTY


def test_nothing_new_means_no_email_but_a_record(world, smtp):
    with at(MON, 10):
        subscribe(world)
    with at(MON, 19):
        report = digests_send_due()
    assert smtp.received == []
    assert (report.sent, report.empty) == (0, 1)
    log = DigestLog.objects.get()
    assert (log.status, log.marks_count, log.absences_count, log.homework_count) == ("empty", 0, 0, 0)


def test_before_the_send_time_nothing_goes(world, smtp):
    _setup(world)
    with at(MON, 18):
        assert digests_send_due().sent == 0
    assert smtp.received == []


def test_quiet_hours_hold_the_digest_until_they_end(world, smtp):
    _setup(world, send_at=dt.time(22, 30))
    with at(MON, 23):
        assert digests_send_due().sent == 0
    assert smtp.received == []
    with at(TUE, 6):
        assert digests_send_due().sent == 0
    with at(TUE, 7):
        assert digests_send_due().sent == 1
    [mail] = smtp.received
    assert "Математика: 5" in mail.text
    assert DigestLog.objects.get().slot == dt.datetime(2026, 9, 7, 19, 30, tzinfo=dt.UTC)  # 22:30 Moscow


def test_a_late_run_inside_quiet_hours_waits(world, smtp):
    _setup(world, send_at=dt.time(21, 30))
    with at(MON, 23):  # the worker was down from 21:30 until 23:00
        assert digests_send_due().sent == 0
    with at(TUE, 7):
        assert digests_send_due().sent == 1


def test_a_second_run_sends_nothing_twice_and_the_next_day_only_news(world, smtp):
    _subscription, data = _setup(world)
    with at(MON, 19):
        digests_send_due()
    with at(MON, 20):
        assert digests_send_due().sent == 0
    assert len(smtp.received) == 1
    m1 = data["lessons"][0]
    with at(TUE, 11):
        mark_set(lesson=m1, student=world.student, value=4, work_type=work_types_ensure(world.school)["test"],
                 actor=teacher(world))  # fmt: skip
    with at(TUE, 19):
        assert digests_send_due().sent == 1
    second = smtp.received[1].text
    assert "07.09.2026  Математика: 4 (Контрольная работа)" in second
    assert "Математика: 5" not in second and "болезнь" not in second and "№ 145" not in second
    assert DigestLog.objects.filter(status="sent").count() == 2


def test_a_refused_send_is_retried_and_sent_once(world, smtp):
    _setup(world)
    smtp.refuse.add("parent@example.ru")
    with at(MON, 19):
        assert digests_send_due().failed == 1
    log = DigestLog.objects.get()
    assert log.status == "failed" and "Mailbox unavailable" in log.error
    smtp.refuse.clear()
    with at(MON, 19) as clock:
        clock.shift(dt.timedelta(minutes=5))
        assert digests_send_due().sent == 1
        assert digests_send_due().sent == 0
    assert len(smtp.received) == 1 and "Математика: 5" in smtp.received[0].text
    log.refresh_from_db()
    assert (log.status, log.attempts) == ("sent", 2)


def test_a_crash_after_the_claim_sends_nothing_twice(world, smtp):
    subscription, _data = _setup(world)
    with at(MON, 19):
        _claim(subscription.pk, dt.datetime(2026, 9, 7, 16, 0, tzinfo=dt.UTC))  # the run died before SMTP answered
        report = digests_send_due()
    assert smtp.received == [] and report.sent == 0
    assert DigestLog.objects.get().status == "sending"


def test_unsubscribe_link_and_header_turn_digests_off(world, smtp, client):
    subscription, data = _setup(world)
    with at(MON, 19):
        digests_send_due()
    [mail] = smtp.received
    header = str(mail.message["List-Unsubscribe"]).strip()
    assert mail.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = re.fullmatch(r"<(https://ej\.example\.ru(/notifications/unsubscribe/[^>]+/))>", header)
    assert url and url.group(1) in mail.text and url.group(1) in mail.html
    path = url.group(2)
    page = client.get(path)
    assert page.status_code == 200 and "Отписаться" in page.content.decode()
    subscription.refresh_from_db()
    assert subscription.enabled  # a GET (a link scanner) changes nothing
    assert client.post(path).status_code == 200
    subscription.refresh_from_db()
    assert not subscription.enabled
    with at(TUE, 11):
        mark_set(lesson=data["lessons"][0], student=world.student, value=3,
                 work_type=work_types_ensure(world.school)["test"], actor=teacher(world))  # fmt: skip
    with at(TUE, 19):
        assert digests_send_due().sent == 0
    assert len(smtp.received) == 1


def test_a_forged_unsubscribe_token_changes_nothing(world, client):
    with at(MON, 10):
        subscription = subscribe(world)
    for token in ("forged", "eyJzIjoxfQ:bad:sig", str(subscription.pk)):
        response = client.post(f"/notifications/unsubscribe/{token}/")
        assert response.status_code == 400
        assert "Ссылка недействительна" in response.content.decode()
    subscription.refresh_from_db()
    assert subscription.enabled


def test_the_command_for_cron_sends_the_same_digests(world, smtp, capsys):
    _setup(world)
    with at(MON, 19):
        call_command("notifications_send_due")
    assert "отправлено 1" in capsys.readouterr().out
    assert [m.rcpt_tos for m in smtp.received] == [["parent@example.ru"]]


def test_the_celery_task_runs_the_same_service(world, smtp):
    _setup(world)
    with at(MON, 19):
        assert send_due_digests() == {"sent": 1, "empty": 0, "failed": 0, "skipped": 0}
    assert len(smtp.received) == 1


def test_the_digest_goes_to_the_chosen_address(world, smtp):
    _setup(world, email="mama@example.ru")
    with at(MON, 19):
        digests_send_due()
    assert [m.rcpt_tos for m in smtp.received] == [["mama@example.ru"]]
    assert DigestSubscription.objects.get().email == "mama@example.ru"
