"""Year, exam and final marks: the suggestion rules, the window and deadlines, the lock, the batch, the pages.

The world's year: quarters end 25.10, 28.12, 21.03 and 26.05.2027. By the exemplary Regulation the window
opens 14 days before the last day (12.05), year marks are due by 26.05 and exam and final marks by
10.07 (45 days after).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from ejournal.access.roles import Role
from ejournal.curriculum.models import CurriculumLine
from ejournal.people.models import Enrolment, SubgroupMembership
from ejournal.schools.models import Term
from ejournal.testing import make_student
from ejournal.timetable.tests.helpers import subject

from ..models import ChangeRecord, CorrectionRequest, PeriodKind, PeriodMark, TermClosure
from ..rules import JournalRules
from ..selectors import class_year, year_sheet
from ..services import (
    ConflictError,
    correction_request_approve,
    period_mark_correction_file,
    period_mark_set,
    year_marks_confirm_all,
    year_marks_confirm_all_preview,
)
from ..year_suggest import final_suggest, year_suggest
from .helpers import assignment, at, deputy, teacher

pytestmark = pytest.mark.django_db
RULES = JournalRules()
D = Decimal
OPEN = dt.date(2027, 5, 20)  # inside the window, before the last day
LAST_DAY = dt.date(2027, 5, 26)
AFTER = dt.date(2027, 5, 27)  # year marks late; exam and final on time
EXAM_DAY = dt.date(2027, 6, 20)
Y, E, F = PeriodKind.YEAR, PeriodKind.EXAM, PeriodKind.FINAL


def _terms(*values):
    return [(f"{n} четверть", v) for n, v in enumerate(values, start=1)]


# --- the rules, hand-counted ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("marks", "value", "average"),
    [
        (("5", "4", "5", "4"), "4", "4.50"),  # 4.50 < 4.65: «4», as for term marks
        (("5", "5", "5", "4"), "5", "4.75"),
        (("3", "3", "4", "3"), "3", "3.25"),
        (("4", "4", "4", "3"), "4", "3.75"),
        (("3", "2", "3", "2"), "2", "2.50"),
        (("5", "осв", "5", "4"), "5", "4.67"),  # «осв» left out: 14/3
    ],
)
def test_year_mark_is_the_average_of_the_term_marks_by_the_term_thresholds(marks, value, average):
    got = year_suggest(_terms(*marks), RULES)
    assert (got.value, got.average, got.warning) == (value, D(average), "")


def test_arithmetic_rounding_is_a_setting_of_the_regulation():
    rules = JournalRules(year_mark_math_rounding=True)
    assert year_suggest(_terms("5", "4", "5", "4"), rules).value == "5"  # 4.50 → 5
    assert year_suggest(_terms("3", "2", "3", "2"), rules).value == "3"  # 2.50 → 3
    assert year_suggest(_terms("4", "4", "4", "3"), rules).value == "4"  # 3.75 → 4
    assert year_suggest(_terms("3", "3", "4", "3"), rules).value == "3"  # 3.25 → 3


def test_exempt_and_not_attested_terms():
    assert year_suggest(_terms("осв", "осв", "осв", "осв"), RULES).value == "осв"
    assert year_suggest(_terms("н/а", "н/а", "осв", "н/а"), RULES).value == "н/а"
    mixed = year_suggest(_terms("4", "н/а", "4", "5"), RULES)  # 13/3 = 4.33 from the attested terms
    assert (mixed.value, mixed.average) == ("4", D("4.33"))
    assert "н/а" in mixed.warning


def test_a_term_without_a_mark_gives_the_average_of_the_others_with_a_warning():
    got = year_suggest([("1 четверть", "5"), ("2 четверть", None), ("3 четверть", "5")], RULES)
    assert (got.value, got.warning) == ("5", "Нет отметки за: 2 четверть.")
    assert year_suggest([("1 четверть", None)], RULES).value == ""


def test_pass_fail_subjects():
    assert year_suggest(_terms("зач", "зач", "осв", "зач"), RULES).value == "зач"
    assert year_suggest(_terms("зач", "незач", "зач", "зач"), RULES).value == "незач"


@pytest.mark.parametrize(
    ("year", "exam", "has_exam", "value"),
    [
        ("4", "5", True, "5"),  # (4 + 5) / 2 = 4.5 → 5
        ("4", "3", True, "4"),  # 3.5 → 4
        ("3", "2", True, "3"),  # 2.5 → 3
        ("5", "3", True, "4"),
        ("4", "", False, "4"),  # no exam: the year mark
        ("4", "5", False, "4"),
        ("н/а", "4", True, "н/а"),
    ],
)
def test_final_mark_from_the_year_and_exam_marks(year, exam, has_exam, value):
    got = final_suggest(year=year, exam=exam, has_exam=has_exam)
    assert (got.value, got.warning) == (value, "")


def test_final_mark_waits_for_the_exam_and_the_year_mark():
    assert final_suggest(year="4", exam="", has_exam=True).warning.startswith("Нет экзаменационной отметки")
    assert final_suggest(year="", exam="5", has_exam=True).value == ""
    assert final_suggest(year="4", exam="н/а", has_exam=True).value == ""


# --- the journal's year sheet -----------------------------------------------------------------


def _term_marks(w, student, values, name="Математика", cls=None):
    for number, value in enumerate(values, start=1):
        if value:
            PeriodMark.objects.create(
                school=w.school, year=w.year, student=student, school_class=cls or w.cls, subject=subject(name),
                term=Term.objects.get(school=w.school, number=number), kind=PeriodKind.TERM, value=value,
                confirmed_by=w.teacher, confirmed_at=timezone.now(),
            )  # fmt: skip


@pytest.fixture
def year_class(world):
    """5 «А» maths: Орлов 5 4 5 4, Белова 4 н/а 4 5, Новиков from the 3rd term 5 5, Сидоров left in December."""
    w = world
    w.a = assignment(w)
    _term_marks(w, w.student, ["5", "4", "5", "4"])
    _term_marks(w, w.classmate, ["4", "н/а", "4", "5"])
    w.newcomer = make_student(w.cls, "Новиков", "Пётр")
    Enrolment.objects.filter(student=w.newcomer).update(starts_on=dt.date(2027, 1, 12))
    _term_marks(w, w.newcomer, [None, None, "5", "5"])
    w.leaver = make_student(w.cls, "Сидоров", "Глеб")
    Enrolment.objects.filter(student=w.leaver).update(ends_on=dt.date(2026, 12, 20))
    _term_marks(w, w.leaver, ["3", None, None, None])
    return w


def test_the_sheet_suggests_from_hand_counted_term_marks(year_class):
    w = year_class
    sheet = year_sheet(actor=teacher(w), assignment=w.a)
    rows = {r.student.student.pk: r for r in sheet.rows}
    assert set(rows) == {w.student.pk, w.classmate.pk, w.newcomer.pk}  # the leaver is marked at the new school
    assert (rows[w.student.pk].year.value, rows[w.student.pk].year.average) == ("4", D("4.50"))
    assert (rows[w.classmate.pk].year.value, rows[w.classmate.pk].year.average) == ("4", D("4.33"))
    assert rows[w.classmate.pk].year.warning
    assert rows[w.newcomer.pk].term_marks == ["·", "·", "5", "5"]  # not in the class in the 1st and 2nd terms
    assert (rows[w.newcomer.pk].year.value, rows[w.newcomer.pk].year.warning) == ("5", "")
    assert sheet.kinds == (Y, F)  # no exam in the 5th grade's maths


def test_a_subgroup_journal_lists_its_members_only(year_class):
    w = year_class
    SubgroupMembership.objects.create(school=w.school, subgroup=w.subgroup, student=w.student,
                                      starts_on=w.year.starts_on)  # fmt: skip
    group = assignment(w, subgroup=w.subgroup, name="Иностранный язык (английский)")
    _term_marks(w, w.student, ["5", "5", "4", "5"], name="Иностранный язык (английский)")
    rows = year_sheet(actor=teacher(w), assignment=group).rows
    assert [(r.student.student.pk, r.year.value, r.year.average) for r in rows] == [(w.student.pk, "5", D("4.75"))]


# --- one mark: the window, the deadlines, the lock, concurrency, the audit ----------------------


def test_year_marks_open_fourteen_days_before_the_last_day(year_class):
    w = year_class
    with at(dt.date(2027, 5, 11)), pytest.raises(ValidationError) as refused:
        period_mark_set(assignment=w.a, student=w.student, value="4", kind=Y, actor=teacher(w))
    assert refused.value.code == "early" and "12.05.2027" in refused.value.messages[0]
    with at(dt.date(2027, 5, 12)):
        period_mark_set(assignment=w.a, student=w.student, value="4", kind=Y, actor=teacher(w))


def test_a_confirmed_year_mark_keeps_the_suggestion_and_is_logged(year_class):
    w = year_class
    with at(OPEN):
        mark = period_mark_set(assignment=w.a, student=w.student, value="5", kind=Y, actor=teacher(w))
    assert (mark.value, mark.suggested, mark.average, mark.term_id, mark.version) == ("5", "4", D("4.50"), None, 1)
    record = ChangeRecord.objects.get(entity="period_mark", entity_id=mark.pk)
    assert (record.field, record.old, record.new, record.is_late) == ("year", "", "5", False)


def test_two_tabs_the_second_save_is_a_conflict_and_an_unchanged_save_writes_nothing(year_class):
    w = year_class
    with at(OPEN):
        period_mark_set(assignment=w.a, student=w.student, value="4", kind=Y, expected_version=0, actor=teacher(w))
        with pytest.raises(ConflictError):
            period_mark_set(assignment=w.a, student=w.student, value="5", kind=Y, expected_version=0,
                            actor=teacher(w))  # fmt: skip
        again = period_mark_set(assignment=w.a, student=w.student, value="4", kind=Y, expected_version=1,
                                actor=teacher(w))  # fmt: skip
    assert again.version == 1 and ChangeRecord.objects.filter(entity="period_mark").count() == 1


def test_year_marks_are_late_after_the_last_day_and_need_a_correction(year_class):
    w = year_class
    with at(LAST_DAY):
        period_mark_set(assignment=w.a, student=w.student, value="4", kind=Y, actor=teacher(w))
    with at(AFTER), pytest.raises(ValidationError) as refused:
        period_mark_set(assignment=w.a, student=w.newcomer, value="5", kind=Y, actor=teacher(w))
    assert refused.value.code == "late" and "26.05.2027" in refused.value.messages[0]
    with at(AFTER):
        request = period_mark_correction_file(assignment=w.a, term=None, student=w.newcomer, value="5", kind=Y,
                                              reason="болел в мае", actor=teacher(w))  # fmt: skip
        assert request.proposed == {"kind": "year", "value": "5", "subject": w.a.subject_id, "term": None}
        correction_request_approve(request=request, actor=deputy(w))
        mark = period_mark_set(assignment=w.a, student=w.newcomer, value="5", kind=Y, actor=teacher(w))
    record = ChangeRecord.objects.get(entity="period_mark", entity_id=mark.pk)
    assert record.is_late and record.reason == "болел в мае"
    request.refresh_from_db()
    assert request.status == CorrectionRequest.Status.APPLIED


def test_closing_the_last_term_locks_year_marks_but_not_exam_and_final_marks(year_class):
    w = year_class
    CurriculumLine.objects.create(school=w.school, year=w.year, grade=5, subject=w.a.subject, hours_per_week=5,
                                  has_exam=True)  # fmt: skip
    TermClosure.objects.create(school=w.school, term=Term.objects.get(school=w.school, number=4),
                               closed_by=w.deputy_head)  # fmt: skip
    with at(OPEN), pytest.raises(ValidationError) as refused:
        period_mark_set(assignment=w.a, student=w.student, value="4", kind=Y, actor=teacher(w))
    assert refused.value.code == "late" and "закрыт" in refused.value.messages[0]
    with at(EXAM_DAY):
        period_mark_set(assignment=w.a, student=w.student, value="5", kind=E, actor=teacher(w))
        period_mark_set(assignment=w.a, student=w.student, value="5", kind=F, actor=teacher(w))
    with at(dt.date(2027, 7, 11)), pytest.raises(ValidationError) as late:
        period_mark_set(assignment=w.a, student=w.classmate, value="4", kind=E, actor=teacher(w))
    assert late.value.code == "late" and "10.07.2027" in late.value.messages[0]


def test_the_regulation_sets_the_window_and_the_deadlines(year_class, settings):
    w = year_class
    settings.EJ_JOURNAL_RULES = {"year_marks_open_days": 0, "year_mark_grace_days": 3, "exam_mark_days": 10}
    with at(OPEN), pytest.raises(ValidationError) as early:
        period_mark_set(assignment=w.a, student=w.student, value="4", kind=Y, actor=teacher(w))
    assert "26.05.2027" in early.value.messages[0]
    with at(dt.date(2027, 5, 29)):
        period_mark_set(assignment=w.a, student=w.student, value="4", kind=Y, actor=teacher(w))
    with at(dt.date(2027, 5, 30)), pytest.raises(ValidationError) as late:
        period_mark_set(assignment=w.a, student=w.classmate, value="4", kind=Y, actor=teacher(w))
    assert late.value.code == "late"


def test_an_exam_mark_needs_an_exam_in_the_curriculum(year_class):
    w = year_class
    with at(EXAM_DAY), pytest.raises(ValidationError) as refused:
        period_mark_set(assignment=w.a, student=w.student, value="5", kind=E, actor=teacher(w))
    assert refused.value.code == "no_exam"


def test_a_student_who_left_mid_year_gets_no_year_mark_here(year_class):
    w = year_class
    with at(OPEN), pytest.raises(ValidationError) as refused:
        period_mark_set(assignment=w.a, student=w.leaver, value="3", kind=Y, actor=teacher(w))
    assert refused.value.code == "not_enrolled"


@pytest.mark.parametrize("who", ["other_teacher", "deputy_head", "director"])
def test_only_the_keeper_sets_year_marks(year_class, who):
    w = year_class
    from ejournal.access.policy import Actor

    role = {"other_teacher": Role.TEACHER, "deputy_head": Role.DEPUTY_HEAD, "director": Role.DIRECTOR}[who]
    actor = Actor(user_id=getattr(w, who).pk, role=role, school_id=w.school.pk)
    with at(OPEN), pytest.raises(ValidationError) as refused:
        period_mark_set(assignment=w.a, student=w.student, value="4", kind=Y, actor=actor)
    assert refused.value.code == "forbidden"
    assert not PeriodMark.objects.filter(kind=Y).exists()


# --- «принять предложенные» -------------------------------------------------------------------


def test_accept_the_suggested_year_marks_skips_the_doubtful_and_the_set(year_class):
    w = year_class
    with at(OPEN):
        preview = year_marks_confirm_all_preview(assignment=w.a, kind=Y, actor=teacher(w))
        assert (preview.confirmed, preview.doubtful, preview.already) == (2, 1, 0)
        assert not PeriodMark.objects.filter(kind=Y).exists()  # the preview writes nothing
        summary = year_marks_confirm_all(assignment=w.a, kind=Y, actor=teacher(w))
        again = year_marks_confirm_all_preview(assignment=w.a, kind=Y, actor=teacher(w))
    assert (summary.confirmed, summary.doubtful) == (2, 1)
    assert (again.confirmed, again.already, again.doubtful) == (0, 2, 1)
    marks = dict(PeriodMark.objects.filter(kind=Y).values_list("student_id", "value"))
    assert marks == {w.student.pk: "4", w.newcomer.pk: "5"}  # Белова (н/а in a term) is the teacher's to decide
    assert ChangeRecord.objects.filter(entity="period_mark", field="year").count() == 2


def test_accept_the_suggested_final_marks_follows_the_year_marks(year_class):
    w = year_class
    with at(OPEN):
        year_marks_confirm_all(assignment=w.a, kind=Y, actor=teacher(w))
    with at(EXAM_DAY):
        summary = year_marks_confirm_all(assignment=w.a, kind=F, actor=teacher(w))
    assert (summary.confirmed, summary.no_suggestion) == (2, 1)  # Белова has no year mark yet
    assert dict(PeriodMark.objects.filter(kind=F).values_list("student_id", "value")) == {
        w.student.pk: "4", w.newcomer.pk: "5"}  # fmt: skip


def test_accepting_late_is_refused_whole(year_class):
    w = year_class
    with at(AFTER), pytest.raises(ValidationError) as refused:
        year_marks_confirm_all(assignment=w.a, kind=Y, actor=teacher(w))
    assert refused.value.code == "late" and not PeriodMark.objects.filter(kind=Y).exists()


def _more_students(w, n):
    for i in range(n):
        s = make_student(w.cls, f"Ученик{i:02d}", "Тест")
        _term_marks(w, s, ["4", "4", "5", "4"])


def test_accepting_takes_the_same_queries_for_any_class_size(year_class):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    w = year_class
    counts = []
    for extra in (0, 0, 6):  # the first run fills the caches (the Regulation, the school's constants)
        _more_students(w, extra)
        PeriodMark.objects.filter(kind=Y).delete()
        with at(OPEN), CaptureQueriesContext(connection) as queries:
            year_marks_confirm_all(assignment=w.a, kind=Y, actor=teacher(w))
        counts.append(len(queries))
    assert counts[1] == counts[2]


# --- the pages ---------------------------------------------------------------------------------


def _keeper(w, login_as):
    return login_as(w.teacher, Role.CLASS_TEACHER)


def test_the_teacher_sets_a_year_mark_on_the_year_page(year_class, login_as):
    w = year_class
    url = reverse("journal:year", kwargs={"assignment_id": w.a.pk})
    with at(OPEN):
        client = _keeper(w, login_as)
        page = client.get(url).content.decode()
        assert "предложено: 4 (4,50)" in page or "предложено: 4 (4.50)" in page
        response = client.post(reverse("journal:year_mark", kwargs={"assignment_id": w.a.pk}),
                               {"student": w.student.pk, "kind": "year", "value": "4", "version": 0})  # fmt: skip
        assert response.status_code == 302
        shown = client.get(url).content.decode()
    assert "отметка «4» сохранена" in shown
    assert PeriodMark.objects.get(kind=Y, student=w.student).value == "4"


def test_a_second_tab_gets_409_and_a_clear_message(year_class, login_as):
    w = year_class
    post = reverse("journal:year_mark", kwargs={"assignment_id": w.a.pk})
    data = {"student": w.student.pk, "kind": "year", "value": "4", "version": 0}
    with at(OPEN):
        client = _keeper(w, login_as)
        assert client.post(post, data).status_code == 302
        second = client.post(post, {**data, "value": "5"})
    assert second.status_code == 409
    assert "Запись уже изменил другой пользователь" in second.content.decode()
    assert PeriodMark.objects.get(kind=Y, student=w.student).value == "4"


def test_a_late_mark_offers_a_correction_request_which_files_it(year_class, login_as):
    w = year_class
    with at(AFTER):
        client = _keeper(w, login_as)
        refused = client.post(reverse("journal:year_mark", kwargs={"assignment_id": w.a.pk}),
                              {"student": w.student.pk, "kind": "year", "value": "4", "version": 0})  # fmt: skip
        assert refused.status_code == 400
        page = refused.content.decode()
        assert "Срок внесения этой записи истёк 26.05.2027" in page
        url = reverse("journal:year_correction_new", kwargs={"assignment_id": w.a.pk})
        assert url in page
        form = client.get(f"{url}?student={w.student.pk}&kind=year&value=4")
        assert form.status_code == 200 and "Годовая отметка: 4" in form.content.decode()
        empty = client.post(url, {"student": w.student.pk, "kind": "year", "value": "4", "reason": ""})
        assert empty.status_code == 400 and not CorrectionRequest.objects.exists()
        filed = client.post(url, {"student": w.student.pk, "kind": "year", "value": "4", "reason": "забыла"})
    assert filed.status_code == 200 and "Запрос отправлен" in filed.content.decode()
    assert CorrectionRequest.objects.get().proposed["kind"] == "year"


def test_accept_all_asks_first_then_sets(year_class, login_as):
    w = year_class
    url = reverse("journal:year_confirm_all", kwargs={"assignment_id": w.a.pk})
    with at(OPEN):
        client = _keeper(w, login_as)
        question = client.post(url, {"kind": "year"})
        assert question.status_code == 200 and "будет выставлена 2 ученикам" in question.content.decode()
        assert not PeriodMark.objects.filter(kind=Y).exists()
        done = client.post(url, {"kind": "year", "confirmed": "yes"})
    assert done.status_code == 302 and PeriodMark.objects.filter(kind=Y).count() == 2


def test_readers_see_the_year_page_without_forms_and_others_are_refused(year_class, login_as):
    w = year_class
    url = reverse("journal:year", kwargs={"assignment_id": w.a.pk})
    with at(OPEN):
        deputy_page = login_as(w.deputy_head, Role.DEPUTY_HEAD).get(url)
        assert deputy_page.status_code == 200 and 'name="value"' not in deputy_page.content.decode()
        post = login_as(w.deputy_head, Role.DEPUTY_HEAD).post(
            reverse("journal:year_mark", kwargs={"assignment_id": w.a.pk}),
            {"student": w.student.pk, "kind": "year", "value": "4", "version": 0},
        )
        assert post.status_code == 403
        assert login_as(w.other_teacher, Role.TEACHER).get(url).status_code == 403
        assert login_as(w.student_user, Role.STUDENT).get(url).status_code == 403
    assert not PeriodMark.objects.filter(kind=Y).exists()


def test_the_year_page_before_the_window_shows_suggestions_and_no_forms(year_class, login_as):
    w = year_class
    with at(dt.date(2026, 12, 7)):
        page = _keeper(w, login_as).get(reverse("journal:year", kwargs={"assignment_id": w.a.pk})).content.decode()
    assert "можно выставлять с 12.05.2027" in page and 'name="value"' not in page


def _page_queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_year_pages_take_the_same_queries_for_any_class_size(year_class, login_as):
    w = year_class
    sheet = reverse("journal:year", kwargs={"assignment_id": w.a.pk})
    overview = reverse("journal:class_year", kwargs={"class_id": w.cls.pk})
    with at(OPEN):
        client = _keeper(w, login_as)
        year_marks_confirm_all(assignment=w.a, kind=Y, actor=teacher(w))
        _page_queries(client, sheet)  # warm the caches of the session and the school
        small = (_page_queries(client, sheet), _page_queries(client, overview))
        _more_students(w, 8)
        year_marks_confirm_all(assignment=w.a, kind=Y, actor=teacher(w))
        assert (_page_queries(client, sheet), _page_queries(client, overview)) == small


def test_the_class_teacher_sees_year_exam_and_final_marks_of_every_subject(year_class):
    w = year_class
    CurriculumLine.objects.create(school=w.school, year=w.year, grade=5, subject=w.a.subject, hours_per_week=5,
                                  has_exam=True)  # fmt: skip
    assignment(w, name="История", teacher=w.other_teacher)
    with at(OPEN):
        period_mark_set(assignment=w.a, student=w.student, value="4", kind=Y, actor=teacher(w))
    with at(EXAM_DAY):
        period_mark_set(assignment=w.a, student=w.student, value="5", kind=E, actor=teacher(w))
        period_mark_set(assignment=w.a, student=w.student, value="5", kind=F, actor=teacher(w))
        view = class_year(actor=teacher(w, role=Role.CLASS_TEACHER), school_class=w.cls)
    assert [s.name for s in view.subjects] == ["Математика", "История"]
    assert view.exams == {w.a.subject_id}
    assert view.marks[(w.student.pk, w.a.subject_id)] == {"year": "4", "exam": "5", "final": "5"}
    assert w.leaver.pk not in {s.student.pk for s in view.students}


# --- two first writes at once, real connections ------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_tabs_setting_the_first_year_mark_at_once_give_one_mark_and_one_conflict():
    """Both tabs saw no mark (version 0): the unique index decides; the loser gets 409, never a 500."""
    import threading

    from django.db import connection
    from django.test import Client

    from ejournal.testing import build_world, login

    w = build_world()
    a = assignment(w)
    _term_marks(w, w.student, ["5", "4", "5", "4"])
    students = [make_student(w.cls, f"Гонкин{n:02d}", "Тест") for n in range(8)]
    url = reverse("journal:year_mark", kwargs={"assignment_id": a.pk})
    with at(OPEN):
        clients = [login(Client(), w.teacher, Role.CLASS_TEACHER) for _n in range(2)]
        barrier = threading.Barrier(2, timeout=60)
        answers = [[None, None] for _s in students]
        errors = []

        def writer(n):
            try:
                for i, student in enumerate(students):
                    barrier.wait()
                    data = {"student": student.pk, "kind": "year", "value": ("5", "4")[n], "version": 0}
                    answers[i][n] = clients[n].post(url, data).status_code
                    barrier.wait()
            except BaseException as exc:  # a failed writer must not leave the other waiting
                errors.append(exc)
                barrier.abort()
            finally:
                connection.close()

        threads = [threading.Thread(target=writer, args=(n,)) for n in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert not errors
    assert all(sorted(pair) == [302, 409] for pair in answers), answers
    for student, pair in zip(students, answers, strict=True):
        winner = ("5", "4")[pair.index(302)]
        assert list(PeriodMark.objects.filter(kind=Y, student=student).values_list("value", flat=True)) == [winner]
    assert ChangeRecord.objects.filter(entity="period_mark", field="year").count() == len(students)
