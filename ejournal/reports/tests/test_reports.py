"""The school reports against the hand-counted class of `data.py`: figures, lists, teachers, dynamics, access."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from ejournal.access.roles import Role
from ejournal.reports import selectors
from ejournal.reports.periods import school_periods
from ejournal.testing import login, make_student

from .data import period_mark, quarter_class

MSK = ZoneInfo("Europe/Moscow")
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _november():
    with time_machine.travel(dt.datetime(2026, 11, 20, 12, tzinfo=MSK), tick=False):
        yield


@pytest.fixture
def d(world):
    return quarter_class(world)


def _period(world, term):
    return next(p for p in school_periods(world.school) if p.term == term)


def _row(f):
    r = f.row()
    return (r["n"], r["n5"], r["n4"], r["n3"], r["n2"], r["nna"], r["pass_rate"], r["quality"], r["sou"], r["average"])


def test_class_figures_count_students_without_exempt_left_or_unmarked(world, d):
    a = selectors.school_achievement(school=world.school, period=_period(world, d.q1))
    cls = next(c for c in a.classes if c.id == world.cls.pk)
    # 8 counted: Иванов only «осв», Киров left on 10.10, Орлов and Белова have no marks.
    assert _row(cls.figures) == (8, 2, 2, 2, 1, 1, Decimal("75.0"), Decimal("50.0"), Decimal("52.9"), Decimal("4.18"))
    assert _row(a.school) == _row(cls.figures)
    assert [(g, _row(f)) for g, f in a.by_grade()] == [(5, _row(cls.figures))]


def test_subject_figures_count_units_and_exempt_units_are_left_out(world, d):
    a = selectors.school_achievement(school=world.school, period=_period(world, d.q1))
    maths, _russian, english = d.subjects
    # Математика: 5 5 4 5 3 2 н/а 5 → n5 4, n4 1, n3 1, n2 1, н/а 1; average 29 / 7.
    assert _row(a.by_subject[maths.pk]) == (8, 4, 1, 1, 1, 1, Decimal("75.0"), Decimal("62.5"), Decimal("65.4"),
                                            Decimal("4.14"))  # fmt: skip
    # English: Зуева and Иванов exempt → 7: 5 4 5 3 4 5 4.
    assert _row(english_f := a.by_subject[english.pk])[:6] == (7, 3, 3, 1, 0, 0)
    assert (english_f.quality, english_f.sou) == (Decimal("85.7"), Decimal("75.4"))  # 6/7; 528/7


def test_teacher_figures_follow_the_subgroups(world, d):
    a = selectors.school_achievement(school=world.school, period=_period(world, d.q1))
    # Попова: Математика (8 units) + English group 1 (5 4 5 3) = 12 units: n5 6, n4 2, n3 2, n2 1, н/а 1;
    # СОУ (600 + 128 + 72 + 16 + 7) / 12 = 68.58.
    assert _row(a.by_teacher[world.teacher.pk])[:9] == (12, 6, 2, 2, 1, 1, Decimal("83.3"), Decimal("66.7"),
                                                        Decimal("68.6"))  # fmt: skip
    # Волков: Русский язык (8: 5 5 4 4 3 4 3 5) + English group 2 (4 5 4; Зуева and Иванов exempt) = 11.
    assert _row(a.by_teacher[world.other_teacher.pk])[:6] == (11, 4, 5, 2, 0, 0)


def test_lists_of_the_class(world, d):
    lists = selectors.school_achievement(school=world.school, period=_period(world, d.q1)).lists()
    names = {k: [s.name.split()[0] for s in v] for k, v in lists.items()}
    assert names == {"5": ["Аксенова", "Зуева"], "4": ["Борисов", "Васильев"], "one4": ["Борисов"],
                     "one3": ["Галкина"], "2": ["Егоров"], "na": ["Жукова"]}  # fmt: skip


def test_dynamics_against_the_previous_term(world, d):
    for value, last in (("5", "Аксенова"), ("3", "Егоров")):
        for subject in d.subjects:
            period_mark(world, d.students[last], subject, value, term=d.q2)
    period = _period(world, d.q2)
    assert period.previous == d.q1
    now = selectors.school_achievement(school=world.school, period=period)
    before = selectors.previous_achievement(school=world.school, period=period)
    assert (now.school.pass_rate, now.school.quality) == (Decimal("100.0"), Decimal("50.0"))
    assert (before.school.pass_rate, before.school.quality) == (Decimal("75.0"), Decimal("50.0"))


def test_year_report_reads_year_marks(world, d):
    from ejournal.journal.models import PeriodKind

    period_mark(world, d.students["Аксенова"], d.subjects[0], "5", kind=PeriodKind.YEAR)
    period_mark(world, d.students["Борисов"], d.subjects[0], "2", kind=PeriodKind.YEAR)
    year = next(p for p in school_periods(world.school) if p.is_year)
    a = selectors.school_achievement(school=world.school, period=year)
    assert _row(a.school)[:6] == (2, 1, 0, 0, 1, 0)


def test_query_count_does_not_grow_with_classes_and_students(world, d):
    period = _period(world, d.q1)
    with CaptureQueriesContext(connection) as one:
        selectors.school_achievement(school=world.school, period=period)
        selectors.school_attendance(school=world.school, period=period)
        selectors.school_delivery(school=world.school, period=period)
        selectors.school_density(school=world.school, period=period)
    for n in range(6):
        s = make_student(world.other_cls, f"Новиков{n}", "Имя")
        for subject in d.subjects:
            period_mark(world, s, subject, "4", term=d.q1, cls=world.other_cls)
    with CaptureQueriesContext(connection) as more:
        a = selectors.school_achievement(school=world.school, period=period)
        selectors.school_attendance(school=world.school, period=period)
        selectors.school_delivery(school=world.school, period=period)
        selectors.school_density(school=world.school, period=period)
    assert len(a.classes) == 2
    assert len(more) == len(one)


def test_city_term_figures_match_the_school_report(world, d):
    figures = selectors.city_term_figures(school_ids=[world.school.pk, world.other_school.pk], kind="quarter", number=1)
    assert figures[world.school.pk].counts == {"5": 2, "4": 2, "3": 2, "2": 1, "na": 1}
    assert world.other_school.pk not in figures


# --- pages, files, access ---------------------------------------------------------------


def test_deputy_head_downloads_the_school_report_as_xlsx(world, d, client):
    login(client, world.deputy_head, Role.DEPUTY_HEAD)
    response = client.get(reverse("reports:school_xlsx"), {"period": f"t{d.q1.pk}", "by": "class"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    row = next(r for r in rows if r[0] == "5 «А»")
    assert list(row[1:11]) == [8, 2, 2, 2, 1, 1, 75.0, 50.0, 52.9, 4.18]


def test_school_page_shows_a_chart_and_the_figures(world, d, client):
    login(client, world.director, Role.DIRECTOR)
    html = client.get(reverse("reports:school"), {"period": f"t{d.q1.pk}"}).content.decode()
    assert 'src="data:image/svg+xml;base64,' in html and "52,9" in html


def test_class_report_pdf_has_the_figures(world, d, client):
    login(client, world.teacher, Role.CLASS_TEACHER)
    response = client.get(reverse("reports:class_pdf", args=[world.cls.pk]), {"period": f"t{d.q1.pk}"})
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_class_teacher_of_another_class_is_refused(world, d, client):
    login(client, world.other_teacher, Role.CLASS_TEACHER)
    assert client.get(reverse("reports:class", args=[world.cls.pk])).status_code == 403
    assert client.get(reverse("reports:class", args=[world.other_cls.pk])).status_code == 200
    assert client.get(reverse("reports:school")).status_code == 403


def test_teacher_of_the_class_is_refused(world, d, client):
    login(client, world.teacher, Role.TEACHER)  # teaches 5 «А», but not as its class teacher
    assert client.get(reverse("reports:class", args=[world.cls.pk])).status_code == 403


def test_summary_sheet_lists_every_subject_and_period(world, d, client):
    from ejournal.journal.models import PeriodKind

    period_mark(world, d.students["Аксенова"], d.subjects[0], "5", kind=PeriodKind.YEAR)
    period_mark(world, d.students["Аксенова"], d.subjects[0], "4", kind=PeriodKind.EXAM)
    period_mark(world, d.students["Аксенова"], d.subjects[0], "5", kind=PeriodKind.FINAL)
    data = selectors.summary_sheet(school_class=world.cls)
    assert [label for _k, label in data["columns"]] == ["1", "2", "3", "4", "год", "экз", "итог"]
    row = next(s for s in data["students"] if s["name"].startswith("Аксенова"))
    maths = [sub["id"] for sub in data["subjects"]].index(d.subjects[0].pk)
    assert row["subjects"][maths] == ["5", "", "", "", "5", "4", "5"]
    left = next(s for s in data["students"] if s["name"].startswith("Киров"))
    assert left["left"] == dt.date(2026, 10, 10)
    assert [p["title"] for p in data["periods"]] == ["1 четверть", "Годовые отметки", "Экзаменационные отметки",
                                                     "Итоговые отметки"]  # fmt: skip
    login(client, world.deputy_head, Role.DEPUTY_HEAD)
    html = client.get(reverse("reports:sheet", args=[world.cls.pk])).content.decode()
    assert "Экзаменационные отметки" in html and "выбыл 10.10.2026" in html
    assert client.get(reverse("reports:sheet_pdf", args=[world.cls.pk])).content.startswith(b"%PDF")


def test_letter_names_the_failed_subjects(world, d, client):
    login(client, world.teacher, Role.CLASS_TEACHER)
    period = _period(world, d.q1)
    subjects = selectors.at_risk_subjects(school_class=world.cls, student=d.students["Жукова"], period=period)
    assert subjects == [("Математика", "н/а")]
    response = client.get(reverse("reports:letter", args=[world.cls.pk, d.students["Егоров"].pk]),
                          {"period": period.key})  # fmt: skip
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_the_whole_report_page_costs_the_same_queries_for_more_classes(world, d, client):
    login(client, world.deputy_head, Role.DEPUTY_HEAD)
    url, params = reverse("reports:school"), {"period": f"t{d.q1.pk}", "section": "all"}
    client.get(url, params)  # the session and the access cache settle
    with CaptureQueriesContext(connection) as one:
        assert client.get(url, params).status_code == 200
    for n in range(4):
        s = make_student(world.other_cls, f"Новиков{n}", "Имя")
        for subject in d.subjects:
            period_mark(world, s, subject, "5", term=d.q1, cls=world.other_cls)  # listed among the отличники
    with CaptureQueriesContext(connection) as more:
        response = client.get(url, params)
    assert "Новиков0" in response.content.decode()
    assert len(more) == len(one)
