"""The filling control on the hand-made September with known answers; the dashboard, the lists, the справка."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ejournal.access.roles import Role
from ejournal.journal.models import Attendance, PeriodMark
from ejournal.journal.tests.helpers import at
from ejournal.schools.models import Holiday
from ejournal.testing import make_student
from ejournal.timetable.tests.helpers import assignment, lesson

from ..filling import Kind, school_filling_control
from ..models import NoteJob
from .data import SEP, november_loaded, september

pytestmark = pytest.mark.django_db
AFTER = dt.date(2026, 10, 5)
SEPTEMBER = (dt.date(2026, 9, 1), dt.date(2026, 9, 30))


def _world_with_problems(w):
    d = september(w)
    l1, l2 = d.lessons[0], d.lessons[1]
    Attendance.objects.create(school=w.school, lesson=l1, student=w.student, code="н", created_by=w.teacher)
    Holiday.objects.create(municipality=w.city, year=w.year, name="День города", kind="public",
                           starts_on=l2.date, ends_on=l2.date)  # fmt: skip
    return d


def test_findings_of_the_hand_made_september(world):
    _world_with_problems(world)
    with at(AFTER):
        report = school_filling_control(school=world.school, first=SEPTEMBER[0], last=SEPTEMBER[1])
    assert report.lessons_total == 4
    assert report.totals() == {
        Kind.TOPIC: 2,  # L2 a day late, L4 none
        Kind.HOMEWORK: 2,  # L3 the next day, L4 none
        Kind.ATTENDANCE: 1,  # L2 first kept a day late
        Kind.MARK_LATE: 1,
        Kind.DENSITY: 1,  # the classmate: 1 mark of 3
        Kind.TERM_MARK: 0,  # the quarter is still in progress
        Kind.MARK_ABSENT: 1,  # the student is «н» at L1 and has a 5 there
        Kind.HOLIDAY: 1,
        Kind.HOMEWORK_AFTER: 1,
    }
    (row,) = report.table("teacher")
    assert row["label"] == world.teacher.get_full_name() and row["total"] == 10


def test_lessons_before_their_deadline_are_not_reported(world):
    september(world)
    with at(SEP[3], 18):  # the evening of L4: its day is not over
        report = school_filling_control(school=world.school, first=SEPTEMBER[0], last=SEPTEMBER[1])
    assert [f.lesson_date for f in report.select(kind=Kind.TOPIC)] == [SEP[1]]


def test_missing_term_marks_after_the_end_of_the_term(world):
    d = september(world)
    PeriodMark.objects.create(
        school=world.school, year=world.year, student=world.student, school_class=world.cls, subject=d.a.subject,
        term=d.lessons[0].assignment.school.terms.get(number=1), kind="term", value="4", confirmed_by=world.teacher,
        confirmed_at=dt.datetime(2026, 10, 24, 12, tzinfo=dt.UTC),
    )  # fmt: skip
    with at(dt.date(2026, 10, 27)):
        report = school_filling_control(school=world.school, first=dt.date(2026, 10, 1), last=dt.date(2026, 10, 31))
    missing = report.select(kind=Kind.TERM_MARK)
    assert [f.student_id for f in missing] == [world.classmate.pk]
    assert not report.select(kind=Kind.DENSITY)  # no term in progress on 27.10 (the break)


def test_deputy_head_sees_the_dashboard_with_links_to_the_journal(world, login_as):
    d = _world_with_problems(world)
    client = login_as(world.deputy_head, Role.DEPUTY_HEAD)
    with at(AFTER):
        page = client.get(reverse("control:dashboard"), {"month": "2026-09"})
        assert page.status_code == 200
        assert world.teacher.get_full_name() in page.content.decode()
        lst = client.get(
            reverse("control:findings"), {"month": "2026-09", "teacher": world.teacher.pk, "kind": "topic"}
        )
    grid = reverse("journal:grid", kwargs={"assignment_id": d.a.pk, "term_id": world.school.terms.get(number=1).pk})
    assert f"{grid}#lh-{d.lessons[3].pk}" in lst.content.decode()


def test_the_findings_list_comes_a_page_at_a_time(world, login_as, settings):
    settings.CONTROL_FINDINGS_PAGE_SIZE = 1
    _world_with_problems(world)
    client = login_as(world.deputy_head, Role.DEPUTY_HEAD)
    query = {"month": "2026-09", "teacher": world.teacher.pk}
    with at(AFTER):
        first = client.get(reverse("control:findings"), query).content.decode()
        second = client.get(reverse("control:findings"), {**query, "page": 2}).content.decode()
    assert first.count("открыть</a>") == 1 and second.count("открыть</a>") == 1
    assert "Нарушения 1–1 из " in first and "Страница 1 из " in first
    assert f"?month=2026-09&amp;teacher={world.teacher.pk}&amp;page=2" in first  # the filter is kept
    assert "Нарушения 2–2 из " in second


def test_director_reads_the_note_with_a_signature_block(world, login_as):
    _world_with_problems(world)
    with at(AFTER):
        page = login_as(world.director, Role.DIRECTOR).get(reverse("control:note"), {"month": "2026-09"})
    text = page.content.decode()
    assert page.status_code == 200
    assert "Справка о проверке электронного журнала" in text and "Заместитель директора" in text


def test_pdf_of_the_note_is_a_pdf_or_a_clear_refusal(world, login_as):
    with at(AFTER):
        response = login_as(world.deputy_head, Role.DEPUTY_HEAD).get(reverse("control:note_pdf"), {"month": "2026-09"})
    assert response.status_code in (200, 503)
    if response.status_code == 200:
        assert response.content.startswith(b"%PDF")


@pytest.mark.parametrize("role", [Role.JOURNAL_COORDINATOR, Role.TEACHER, Role.MUNICIPAL_OFFICER, Role.GUARDIAN])
def test_others_cannot_open_the_control(world, login_as, role):
    client = login_as(world.personas[role], role)
    for name in ("control:dashboard", "control:findings", "control:note", "control:note_pdf"):
        assert client.get(reverse(name)).status_code == 403, name


def test_bad_period_answers_in_russian_without_an_error_page(world, login_as):
    client = login_as(world.deputy_head, Role.DEPUTY_HEAD)
    response = client.get(reverse("control:dashboard"), {"date_from": "2026-10-01", "date_to": "2026-09-01"})
    assert response.status_code == 400
    assert "Начало периода позже его конца." in response.content.decode()
    assert client.get(reverse("control:findings"), {"month": "2026-13", "teacher": "x"}).status_code == 400


def _queries(client, url, params):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, params).status_code == 200
    return len(ctx.captured_queries)


def test_pages_answer_in_constant_queries(world, login_as):
    september(world)
    client = login_as(world.deputy_head, Role.DEPUTY_HEAD)
    params = {"month": "2026-09"}
    urls = [reverse(n) for n in ("control:dashboard", "control:findings", "control:note")]
    with at(AFTER):
        client.get(urls[0], params)
        small = [_queries(client, url, params) for url in urls]
        for n in range(3):
            make_student(world.other_cls, "Новиков", f"Ученик{n}", record=f"N-{n}")
        other = assignment(world, cls=world.other_cls, teacher=world.other_teacher, name="История", hours="3")
        for day in SEP:
            lesson(world, other, day)
        assert [_queries(client, url, params) for url in urls] == small


def test_the_attendance_finding_reads_the_attendance_rows_as_the_monthly_figure_does(world):
    d = november_loaded(world)
    with at(dt.date(2026, 12, 5)):
        report = school_filling_control(school=world.school, first=dt.date(2026, 11, 1), last=dt.date(2026, 11, 30))
    flagged = {f.lesson_id for f in report.select(kind=Kind.ATTENDANCE)}
    l0, _l1, _l2, l3, l4, m1, _m2 = d.lessons
    assert flagged == {l0.pk, l3.pk, l4.pk, m1.pk}  # L1, L2 and M2 have attendance rows


def test_the_note_is_a_summary_first_and_the_findings_per_teacher_a_second_part(world, login_as):
    """225 pages (a table row per finding, in 88 s) was no document to read: a summary, then details on request."""
    d = _world_with_problems(world)
    client = login_as(world.deputy_head, Role.DEPUTY_HEAD)
    with at(AFTER):
        summary = client.get(reverse("control:note"), {"month": "2026-09"}).content.decode()
        details = client.get(reverse("control:note"), {"month": "2026-09", "part": "details",
                                                         "teacher": world.teacher.pk}).content.decode()  # fmt: skip
        nobody = client.get(reverse("control:note"), {"month": "2026-09", "part": "details",
                                                        "teacher": world.director.pk}).content.decode()  # fmt: skip
    assert "Попова Елена Сергеевна" in summary and "Вторая часть справки" in summary
    assert "07.09.2026" not in summary  # no row per finding in the summary
    assert f"part=details&amp;teacher={world.teacher.pk}" in summary
    assert "Приложение к справке" in details and "Попова Елена Сергеевна" in details
    assert "Тема урока не записана в срок" in details
    assert f"5 «А», {d.a.subject.name}:</b> 08.09 ур. 1; 10.09 ур. 1." in details  # one line, not a row each
    assert "Нарушений не найдено." in nobody


def test_one_teachers_details_are_a_pdf_and_the_whole_schools_a_background_job(world, login_as, settings):
    """A school's whole second part ran to hundreds of pages in the request: it is a job with progress."""
    settings.TASK_RUNNER = "sync"
    _world_with_problems(world)
    client = login_as(world.deputy_head, Role.DEPUTY_HEAD)
    with at(AFTER):
        one = client.get(
            reverse("control:note_pdf"), {"month": "2026-09", "part": "details", "teacher": world.teacher.pk}
        )
        whole = client.get(reverse("control:note_pdf"), {"month": "2026-09", "part": "details"})
        started = client.post(f"{reverse('control:note_job_start')}?month=2026-09")
    assert one.status_code in (200, 503)
    if one.status_code == 503:
        return  # no WeasyPrint libraries here: the refusal is the answer
    assert one.content.startswith(b"%PDF") and "uchitelya" in one["Content-Disposition"]
    assert whole.status_code == 302 and "part=details" in whole["Location"]  # never rendered in the request
    job = NoteJob.objects.get()
    assert started["Location"] == reverse("control:note_job", args=[job.pk])
    assert (job.status, job.done, job.total, job.first, job.last) == ("done", 1, 1, SEP[0].replace(day=1),
                                                                     dt.date(2026, 9, 30))  # fmt: skip
    page = client.get(started["Location"]).content.decode()
    assert "PDF готов." in page and reverse("control:note_job_pdf", args=[job.pk]) in page
    pdf = client.get(reverse("control:note_job_pdf", args=[job.pk]))
    assert pdf.content.startswith(b"%PDF") and pdf["Content-Type"] == "application/pdf"
    other = login_as(world.foreign_teacher, Role.TEACHER)
    assert other.get(reverse("control:note_job_pdf", args=[job.pk])).status_code == 403
