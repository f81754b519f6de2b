"""Marks by term and year, the calendar feed, the printable extract."""

import datetime as dt
import re

from django.urls import reverse

from ejournal.access.roles import Role
from ejournal.core.models import AuditEvent
from ejournal.journal.tests.helpers import at
from ejournal.timetable.tests.helpers import subject

from ..feed import feed_token
from ..models import FeedKey
from .helpers import WED, term_mark, week_of_lessons


def _marks(student, term=""):
    return reverse("diary:marks", kwargs={"student_id": student.pk}) + (f"?term={term}" if term else "")


def test_marks_of_the_term_by_subject_with_weighted_average_term_mark_and_absences(world, login_as):
    week_of_lessons(world, per_day=2)
    term = world.school.terms.get(number=1)
    term_mark(world, world.student, subject("Русский язык"), term, "5")
    with at(WED):
        html = login_as(world.guardian_user, Role.GUARDIAN).get(_marks(world.student)).content.decode()
    # Russian: 5 (test, ×2) every day → 5.00; maths: 4 (answer) every day → 4.00.
    assert "Отметки за 1 четверть" in html and "5,00" in html and "4,00" in html
    assert 'class="diary-period">5<' in html
    assert "б — болезнь</th><td>1</td>" in html and "<strong>1</strong>" in html


def test_the_year_view_shows_term_and_final_marks(world, login_as):
    term_mark(world, world.student, subject("Математика"), world.school.terms.get(number=1), "4")
    term_mark(world, world.student, subject("Математика"), None, "5")
    with at(WED):
        html = login_as(world.student_user, Role.STUDENT).get(_marks(world.student, "year")).content.decode()
    assert "Отметки за периоды и итоговые отметки за год" in html
    assert ">Математика</th>" in html and html.count('class="diary-period">4<') == 1
    assert html.count('class="diary-period">5<') == 1


def _year_kinds(world, student, name, year, exam, final):
    from ejournal.journal.models import PeriodMark

    for kind, value in (("year", year), ("exam", exam), ("final", final)):
        PeriodMark.objects.create(
            school=student.school, year=world.year, student=student, school_class=student.school_class,
            subject=subject(name), kind=kind, value=value, confirmed_by=world.teacher,
            confirmed_at=dt.datetime(2027, 6, 20, 12, tzinfo=dt.UTC),
        )  # fmt: skip


def test_the_year_view_shows_year_exam_and_final_marks_in_their_columns_to_the_family_only(world, login_as):
    term_mark(world, world.student, subject("Математика"), world.school.terms.get(number=4), "4")
    _year_kinds(world, world.student, "Математика", "4", "5", "5")
    _year_kinds(world, world.sibling, "Математика", "3", "3", "3")  # another child of the guardian, another class
    with at(WED):
        html = login_as(world.guardian_user, Role.GUARDIAN).get(_marks(world.student, "year")).content.decode()
        foreign = login_as(world.foreign_guardian_user, Role.GUARDIAN).get(_marks(world.student, "year"))
    row = re.search(r">Математика</th>(.*?)</tr>", html, re.S).group(1)
    cells = re.findall(r'class="diary-period">([^<]*)<', row)
    assert cells == ["—", "—", "—", "4", "4", "5", "5"]  # 4 terms, then год, экзамен, итог
    assert "3" not in cells
    assert foreign.status_code == 404


def test_a_foreign_or_bad_term_is_refused(world, login_as):
    client = login_as(world.guardian_user, Role.GUARDIAN)
    foreign = world.other_school.terms.get(number=1)
    assert client.get(_marks(world.student, foreign.pk)).status_code == 404
    bad = client.get(_marks(world.student, "abc"))
    assert bad.status_code == 400 and "Учебный период указан неверно" in bad.content.decode()
    assert client.get(_marks(world.foreign_student)).status_code == 404


# The marks pages' query counts (hit and miss, whatever the subjects and marks): test_marks_cache.py.


def _feed(client):
    client.post(reverse("diary:feed_reset"))
    return reverse("diary:feed", kwargs={"token": feed_token(FeedKey.objects.get())})


def test_the_feed_lists_lessons_with_bell_times_and_homework_due_dates(world, login_as):
    week_of_lessons(world)
    with at(WED):
        client = login_as(world.guardian_user, Role.GUARDIAN)
        url = _feed(client)
        assert url.split("/")[-1] in client.get(reverse("diary:feed_settings")).content.decode()
        client.logout()
        response = client.get(url)
    body = response.content.decode()
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    assert "BEGIN:VCALENDAR" in body and "TZID=Europe/Moscow:20260909T082500" in body
    assert "SUMMARY:Русский язык — Максим" in body and "SUMMARY:Д/з: Русский язык — Максим" in body
    assert "DTSTART;VALUE=DATE:20260908" in body and "BEGIN:VTIMEZONE" in body


def test_resetting_the_feed_kills_the_old_url_and_forged_tokens_get_nothing(world, login_as, client):
    with at(WED):
        guardian = login_as(world.guardian_user, Role.GUARDIAN)
        old = _feed(guardian)
        guardian.post(reverse("diary:feed_reset"))
        new = reverse("diary:feed", kwargs={"token": feed_token(FeedKey.objects.get())})
        guardian.logout()
        assert client.get(old).status_code == 404
        assert client.get(new).status_code == 200
        key = FeedKey.objects.get().key
        assert client.get(reverse("diary:feed", kwargs={"token": f"{key}.{'0' * 40}"})).status_code == 404
        assert client.get(reverse("diary:feed", kwargs={"token": "x"})).status_code == 404
    assert AuditEvent.objects.filter(action="diary.feed_key_reset").count() == 1


def test_the_feed_runs_the_same_queries_at_two_sizes(world, client, django_assert_num_queries):
    week_of_lessons(world, per_day=1)
    key = FeedKey.objects.create(user=world.guardian_user, role="guardian", key="k" * 22)
    url = reverse("diary:feed", kwargs={"token": feed_token(key)})
    with at(WED):
        with django_assert_num_queries(FEED_QUERIES):
            client.get(url)
        week_of_lessons(world, per_day=6)
        with django_assert_num_queries(FEED_QUERIES):
            assert client.get(url).status_code == 200


FEED_QUERIES = 13


def _extract(student, **params):
    url = reverse("diary:extract", kwargs={"student_id": student.pk})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def test_guardian_prints_a_pdf_extract_with_russian_text(world, login_as):
    week_of_lessons(world)
    client = login_as(world.guardian_user, Role.GUARDIAN)
    with at(WED):
        form = client.get(_extract(world.student))
        pdf = client.get(_extract(world.student, date_from="01.09.2026", date_to="30.09.2026"))
        page = client.get(_extract(world.student, date_from="2026-09-01", date_to="2026-09-30", output="html"))
    assert form.status_code == 200 and "Сформировать выписку" in form.content.decode()
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    html = page.content.decode()
    assert "Выписка из электронного дневника" in html and "Орлов Максим Андреевич" in html
    assert "Пропущено уроков: 1 (без уважительной причины — 0, по болезни — 1" in html


def test_a_bad_range_is_refused_and_nothing_is_printed(world, login_as):
    client = login_as(world.guardian_user, Role.GUARDIAN)
    backwards = client.get(_extract(world.student, date_from="30.09.2026", date_to="01.09.2026"))
    junk = client.get(_extract(world.student, date_from="вчера", date_to="01.09.2026"))
    assert backwards.status_code == 400 and "Дата «с» позже даты «по»." in backwards.content.decode()
    assert junk.status_code == 400 and backwards["Content-Type"].startswith("text/html")


def test_class_teacher_and_coordinator_print_for_their_school_and_nobody_else_does(world, login_as):
    ok = {"date_from": "01.09.2026", "date_to": "30.09.2026", "output": "html"}
    assert login_as(world.teacher, Role.CLASS_TEACHER).get(_extract(world.student, **ok)).status_code == 200
    assert login_as(world.teacher, Role.CLASS_TEACHER).get(_extract(world.sibling, **ok)).status_code == 404
    assert login_as(world.coordinator).get(_extract(world.sibling, **ok)).status_code == 200
    assert login_as(world.foreign_coordinator).get(_extract(world.student, **ok)).status_code == 404
    assert login_as(world.other_teacher, Role.TEACHER).get(_extract(world.student, **ok)).status_code == 403
    foreign = login_as(world.foreign_guardian_user, Role.GUARDIAN).get(_extract(world.student, **ok))
    assert foreign.status_code == 404 and "Орлов" not in foreign.content.decode()
    listing = login_as(world.teacher, Role.CLASS_TEACHER).get(reverse("diary:extract_students")).content.decode()
    assert "Орлов Максим Андреевич" in listing and "Орлова Анна" not in listing
