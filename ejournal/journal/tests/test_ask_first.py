"""Actions on many ask first: closing a term, confirming all term marks, deleting a КТП topic.

A POST without `confirmed=yes` changes nothing and answers the question page: what will be done and to
how many, «Отмена» first and focused. Closing a term offers one class by default, never the whole
school, and a term that has not ended cannot be closed.
"""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from ejournal.access.roles import Role
from ejournal.core.models import AuditEvent

from ..models import PeriodMark, PlannedTopic, TermClosure
from ..services import term_close
from .helpers import at, deputy, journal
from .test_period_batch import WEEKDAYS, _grid_kwargs, _marks


@pytest.fixture
def term_journal(world):
    """5 h/week maths of the first quarter: Орлов has five marks («4»), Белова two (under the norm)."""
    a, days = journal(world, days=WEEKDAYS)
    _marks(world, days, world.student, [5, 4, 4, 5, 4])
    _marks(world, days, world.classmate, [5, 5])
    return a, days, world.school.terms.get(number=1)


def _asks(html: str) -> bool:
    return 'role="alertdialog"' in html and 'id="confirm-cancel"' in html and 'name="confirmed" value="yes"' in html


# --- closing a term ---------------------------------------------------------------------------------


def test_the_close_form_offers_one_class_by_default_never_the_whole_school(world, login_as):
    term = world.school.terms.get(number=1)
    deputy_client = login_as(world.deputy_head, Role.DEPUTY_HEAD)
    with at(term.ends_on + dt.timedelta(days=1)):
        page = deputy_client.get(reverse("journal:terms"))
    form = next(r["form"] for r in page.context["rows"] if r["term"] == term)
    choices = [value for value, _label in form.fields["school_class"].choices]
    assert form["school_class"].value() == choices[0] == world.cls.pk
    assert choices[-1] == "all"  # the whole school is the last choice, and never the one pre-selected


def test_closing_a_term_without_the_answer_asks_and_changes_nothing(world, login_as):
    term = world.school.terms.get(number=1)
    deputy_client = login_as(world.deputy_head, Role.DEPUTY_HEAD)
    url = reverse("journal:term_close", kwargs={"term_id": term.pk})
    with at(term.ends_on + dt.timedelta(days=1)):
        question = deputy_client.post(url, {"school_class": world.cls.pk})
        assert question.status_code == 200 and _asks(html := question.content.decode())
        assert "5 «А»" in html and "для 1 класса" in html and "25.10.2026" in html
        assert not TermClosure.objects.exists()
        whole = deputy_client.post(url, {"school_class": "all"}).content.decode()
        assert "вся школа" in whole and "для 2 классов" in whole and not TermClosure.objects.exists()
        assert deputy_client.post(url, {}).status_code == 302 and not TermClosure.objects.exists()
        deputy_client.post(url, {"school_class": world.cls.pk, "confirmed": "yes"})
    assert TermClosure.objects.get().school_class == world.cls


def test_a_term_that_has_not_ended_cannot_be_closed(world, login_as):
    term = world.school.terms.get(number=1)
    with at(term.ends_on), pytest.raises(ValidationError, match=r"ещё не закончился.*25\.10\.2026"):
        term_close(term=term, school_class=world.cls, actor=deputy(world))
    deputy_client = login_as(world.deputy_head, Role.DEPUTY_HEAD)
    url = reverse("journal:term_close", kwargs={"term_id": term.pk})
    with at(term.ends_on):
        response = deputy_client.post(url, {"school_class": world.cls.pk, "confirmed": "yes"}, follow=True)
        assert "ещё не закончился" in response.content.decode()
        assert "закрыть можно с 26.10.2026" in deputy_client.get(reverse("journal:terms")).content.decode()
    assert not TermClosure.objects.exists()
    with at(term.ends_on + dt.timedelta(days=1)):
        term_close(term=term, school_class=world.cls, actor=deputy(world))
    assert TermClosure.objects.count() == 1


# --- «Подтвердить все предложенные» --------------------------------------------------------------------


def test_confirm_all_before_the_term_ends_asks_and_says_when_it_ends(world, login_as, term_journal):
    a, _days, term = term_journal
    client = login_as(world.teacher, Role.CLASS_TEACHER)
    url = reverse("journal:period_confirm_all", kwargs=_grid_kwargs(a, term))
    with at(term.ends_on - dt.timedelta(days=20)):
        question = client.post(url, {"include_sparse": "on"})
        html = question.content.decode()
        assert question.status_code == 200 and _asks(html)
        assert "2 ученикам" in html and "заканчивается 25.10.2026" in html
        assert not PeriodMark.objects.exists()
        client.post(url, {"include_sparse": "on", "confirmed": "yes"})
    assert PeriodMark.objects.count() == 2


def test_confirm_all_on_the_last_day_still_asks_but_without_the_warning(world, login_as, term_journal):
    a, _days, term = term_journal
    client = login_as(world.teacher, Role.CLASS_TEACHER)
    with at(term.ends_on):
        html = client.post(reverse("journal:period_confirm_all", kwargs=_grid_kwargs(a, term))).content.decode()
    assert _asks(html) and "1 ученику" in html and "заканчивается" not in html
    assert not PeriodMark.objects.exists()


# --- a КТП topic ------------------------------------------------------------------------------------------


def test_deleting_a_plan_topic_asks_first(world, login_as):
    a, _days = journal(world)
    client = login_as(world.teacher, Role.CLASS_TEACHER)
    client.post(reverse("journal:plan", kwargs={"assignment_id": a.pk}), {"text": "Натуральные числа; 2\nДроби"})
    topic = PlannedTopic.objects.get(title="Дроби")
    url = reverse("journal:plan_topic_delete", kwargs={"assignment_id": a.pk, "topic_id": topic.pk})
    html = client.post(url).content.decode()
    assert _asks(html) and "Дроби" in html
    assert PlannedTopic.objects.count() == 2 and not AuditEvent.objects.filter(action="planned_topic_deleted").exists()
    client.post(url, {"confirmed": "yes"})
    assert list(PlannedTopic.objects.values_list("title", flat=True)) == ["Натуральные числа"]
