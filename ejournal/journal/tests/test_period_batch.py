"""Term marks in bulk («Подтвердить все предложенные») and correction requests for a refused term mark."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from ejournal.access.roles import Role
from ejournal.testing import make_student

from ..models import ChangeRecord, CorrectionKind, CorrectionRequest, Mark, PeriodMark, TermClosure
from ..rules import rules_for
from ..services import (
    correction_request_approve,
    period_mark_correction_file,
    period_mark_set,
    period_marks_confirm_all,
    work_types_ensure,
)
from .helpers import MON, at, deputy, journal, teacher

WEEKDAYS = [MON + dt.timedelta(days=n) for n in range(5)]


def _marks(world, days, student, values):
    kinds = work_types_ensure(world.school)
    Mark.objects.bulk_create(
        Mark(school=world.school, lesson=day, student=student, value=v, work_type=kinds["answer"], weight=Decimal("1"),
             created_by=world.teacher)
        for day, v in zip(days, values, strict=False)
    )  # fmt: skip


@pytest.fixture
def term_journal(world):
    """5 h/week maths: Орлов has five marks (4.40 → «4»), Белова two (5.00 → «5», under the norm of 5)."""
    a, days = journal(world, days=WEEKDAYS)
    _marks(world, days, world.student, [5, 4, 4, 5, 4])
    _marks(world, days, world.classmate, [5, 5])
    return a, days, world.school.terms.get(number=1)


def test_confirm_all_sets_the_suggested_marks_and_skips_students_with_too_few_marks(world, term_journal):
    a, _days, term = term_journal
    with at(term.ends_on):
        summary = period_marks_confirm_all(assignment=a, term=term, actor=teacher(world))
    mark = PeriodMark.objects.get()
    assert (mark.student, mark.value, mark.suggested, mark.average) == (world.student, "4", "4", Decimal("4.40"))
    assert (summary.confirmed, summary.sparse, summary.already, summary.no_suggestion) == (1, 1, 0, 0)
    assert summary.message() == (
        "Выставлена 1 отметка за период. Пропущен 1 ученик с недостаточной накопляемостью отметок."
    )
    record = ChangeRecord.objects.get(entity="period_mark")
    assert (record.student, record.field, record.old, record.new, record.actor_id) == (
        world.student, "term", "", "4", world.teacher.pk,
    )  # fmt: skip


def test_confirm_all_with_the_box_ticked_includes_them_and_never_overwrites_a_set_mark(world, term_journal):
    a, _days, term = term_journal
    newcomer = make_student(world.cls, "Новиков", "Илья")
    with at(term.ends_on):
        period_mark_set(assignment=a, student=world.student, term=term, value="5", actor=teacher(world))
        summary = period_marks_confirm_all(assignment=a, term=term, include_sparse=True, actor=teacher(world))
    values = dict(PeriodMark.objects.values_list("student_id", "value"))
    assert values == {world.student.pk: "5", world.classmate.pk: "5"}
    assert newcomer.pk not in values  # no marks: nothing to suggest
    assert (summary.confirmed, summary.sparse, summary.already, summary.no_suggestion) == (1, 0, 1, 1)
    assert "У 1 ученика отметка уже стояла" in summary.message()
    assert "Для 1 ученика предложить отметку не из чего" in summary.message()


def test_confirm_all_after_the_deadline_or_in_a_closed_term_writes_nothing(world, term_journal):
    a, _days, term = term_journal
    with at(term.ends_on + dt.timedelta(days=1)), pytest.raises(ValidationError, match="Срок внесения"):
        period_marks_confirm_all(assignment=a, term=term, include_sparse=True, actor=teacher(world))
    TermClosure.objects.create(school=world.school, term=term, school_class=world.cls, closed_by=world.deputy_head)
    with at(term.ends_on), pytest.raises(ValidationError, match="закрыт"):
        period_marks_confirm_all(assignment=a, term=term, include_sparse=True, actor=teacher(world))
    assert not PeriodMark.objects.exists() and not ChangeRecord.objects.filter(entity="period_mark").exists()


def test_only_the_keeper_confirms_all(world, term_journal):
    a, _days, term = term_journal
    with at(term.ends_on), pytest.raises(ValidationError, match="Вы не можете вести журнал"):
        period_marks_confirm_all(assignment=a, term=term, actor=deputy(world))
    assert not PeriodMark.objects.exists()


@pytest.mark.parametrize("extra", [0, 15])
def test_confirm_all_takes_a_constant_number_of_queries(world, django_assert_num_queries, extra):
    a, days = journal(world, days=WEEKDAYS)
    for n in range(extra):
        _marks(world, days, make_student(world.cls, f"Ученик{n:02d}", "Тест"), [5, 4, 5, 4, 5])
    _marks(world, days, world.student, [5, 5, 5, 5, 5])
    term = world.school.terms.get(number=1)
    work_types_ensure(world.school)
    rules_for(world.school)  # the Regulation is cached per school: measure the steady state
    with at(term.ends_on), django_assert_num_queries(CONFIRM_ALL_QUERIES):
        summary = period_marks_confirm_all(assignment=a, term=term, actor=teacher(world))
    assert summary.confirmed == extra + 1


# the term is the class's, enrolments, marks; in the savepoint: the closure, the locked period marks, one insert of
# period marks, one insert of change records and its hash chain's end locked and moved (2; decision 0012) (the scale
# comes with the school's cached constants; before: 9, 10)
CONFIRM_ALL_QUERIES = 11


def _grid_kwargs(a, term):
    return {"assignment_id": a.pk, "term_id": term.pk}


def test_the_button_confirms_all_and_tells_what_it_did(world, login_as, term_journal):
    a, _days, term = term_journal
    client = login_as(world.teacher, Role.CLASS_TEACHER)
    url = reverse("journal:period_confirm_all", kwargs=_grid_kwargs(a, term))
    with at(term.ends_on):
        response = client.post(url, {"include_sparse": "on", "confirmed": "yes"}, follow=True)
    assert response.status_code == 200
    assert "Выставлено 2 отметки за период." in response.content.decode()
    assert PeriodMark.objects.count() == 2
    with at(term.ends_on + dt.timedelta(days=3)):
        late = client.post(url, {}, follow=True).content.decode()
    assert "Срок внесения этой записи истёк" in late


@pytest.mark.parametrize("who", ["deputy_head", "other_teacher"])
def test_readers_and_other_teachers_cannot_confirm_all(world, login_as, term_journal, who):
    a, _days, term = term_journal
    role = Role.DEPUTY_HEAD if who == "deputy_head" else None
    client = login_as(getattr(world, who), role)
    with at(term.ends_on):
        response = client.post(reverse("journal:period_confirm_all", kwargs=_grid_kwargs(a, term)))
    assert response.status_code == 403
    assert not PeriodMark.objects.exists()


def test_a_late_term_mark_offers_a_correction_request_and_goes_through_once_approved(world, login_as, term_journal):
    a, _days, term = term_journal
    client = login_as(world.teacher, Role.CLASS_TEACHER)
    period_url = reverse("journal:period_mark", kwargs=_grid_kwargs(a, term))
    late_day = term.ends_on + dt.timedelta(days=5)
    post = {"student": world.student.pk, "value": "5", "suggested": "4", "version": 0}
    with at(late_day):
        refused = client.post(period_url, post, HTTP_HX_REQUEST="true")
    assert refused.status_code == 400
    html = refused.content.decode()
    assert "Запросить исправление" in html
    form_url = reverse("journal:period_correction_new", kwargs=_grid_kwargs(a, term))
    assert f"{form_url}?student={world.student.pk}&amp;value=5" in html
    panel = client.get(form_url, {"student": world.student.pk, "value": "5"}).content.decode()
    assert "Отметка за период: 5" in panel and 'name="reason"' in panel
    assert client.post(form_url, {"student": world.student.pk, "value": "5", "reason": ""}).status_code == 400
    with at(late_day):
        filed = client.post(form_url, {"student": world.student.pk, "value": "5", "reason": "Пересдача зачтена"})
    assert filed.status_code == 200 and "Отправлен 1 запрос" in filed.content.decode()
    request = CorrectionRequest.objects.get()
    assert (request.kind, request.student, request.term, request.subject_id) == (
        CorrectionKind.PERIOD_MARK, world.student, term, a.subject_id,
    )  # fmt: skip
    correction_request_approve(request=request, actor=deputy(world))
    with at(late_day):
        saved = client.post(period_url, post, HTTP_HX_REQUEST="true")
    assert saved.status_code == 200, saved.content.decode()
    assert PeriodMark.objects.get().value == "5"
    request.refresh_from_db()
    assert request.status == CorrectionRequest.Status.APPLIED
    record = ChangeRecord.objects.get(entity="period_mark")
    assert (record.is_late, record.reason, record.correction_request_id) == (True, "Пересдача зачтена", request.pk)


def test_a_period_correction_needs_a_value_on_the_scale_and_the_keeper(world, term_journal):
    a, _days, term = term_journal
    with pytest.raises(ValidationError, match="одно из значений"):
        period_mark_correction_file(assignment=a, term=term, student=world.student, value="7", reason="ошибка",
                                    actor=teacher(world))  # fmt: skip
    with pytest.raises(ValidationError, match="Вы не можете вести журнал"):
        period_mark_correction_file(assignment=a, term=term, student=world.student, value="5", reason="ошибка",
                                    actor=deputy(world))  # fmt: skip
    assert not CorrectionRequest.objects.exists()


def test_another_teacher_cannot_open_the_period_correction_form(world, login_as, term_journal):
    a, _days, term = term_journal
    url = reverse("journal:period_correction_new", kwargs=_grid_kwargs(a, term))
    assert login_as(world.other_teacher).get(url, {"student": world.student.pk, "value": "5"}).status_code == 403
