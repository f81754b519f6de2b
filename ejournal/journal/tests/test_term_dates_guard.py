"""A term's dates or grades cannot change under the journal: no mark, absence or lesson record left outside every term,
no change to a closed term; the refusal lists what blocks it and changes nothing."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from ejournal.access.roles import Role
from ejournal.core.models import AuditEvent
from ejournal.schools import services as schools
from ejournal.schools.guards import term_guards
from ejournal.schools.models import Term

from ..services import attendance_set, homework_set, lesson_topic_set, mark_set, period_mark_set, term_close
from .helpers import MON, at, deputy, journal, teacher

# The world's second quarter: 05.11.2026 – 28.12.2026, grades 1–11.
LATE_DEC = dt.date(2026, 12, 21)  # Monday of the last week
LATE_DEC2 = dt.date(2026, 12, 23)


def _first_quarter(world) -> Term:
    return Term.objects.get(school=world.school, number=1)


def _second_quarter(world) -> Term:
    return Term.objects.get(school=world.school, number=2)


def _values(term: Term, **changes) -> dict:
    fields = ("kind", "number", "starts_on", "ends_on", "min_grade", "max_grade")
    return {**{f: getattr(term, f) for f in fields}, **changes}


def _saved(term: Term) -> tuple:
    term.refresh_from_db()
    return term.starts_on, term.ends_on, term.min_grade, term.max_grade


@pytest.fixture
def marked(world):
    """Maths of 5 «А» with marks and an absence in the last week of the second quarter."""
    _a, (mon, wed) = journal(world, days=[LATE_DEC, LATE_DEC2])
    with at(LATE_DEC, 15):
        mark_set(lesson=mon, student=world.student, value=5, actor=teacher(world))
        mark_set(lesson=mon, student=world.classmate, value=4, actor=teacher(world))
    with at(LATE_DEC2, 15):
        mark_set(lesson=wed, student=world.student, value=3, actor=teacher(world))
        attendance_set(lesson=wed, student=world.classmate, code="н", actor=teacher(world))
    return world


def test_shortening_a_term_under_its_marks_is_refused_with_what_blocks_it(marked):
    world, term = marked, _second_quarter(marked)
    before, events = _saved(term), AuditEvent.objects.count()
    with at(dt.date(2027, 1, 15)), pytest.raises(ValidationError) as refused:
        schools.term_update(term=term, **_values(term, ends_on=dt.date(2026, 12, 20)), actor=deputy(world))
    text = " ".join(refused.value.messages)
    assert "3 отметки" in text and "1 отметка о посещаемости" in text
    assert "5 «А»" in text and "Математика" in text
    assert "21.12.2026" in text and "23.12.2026" in text
    assert _saved(term) == before
    assert AuditEvent.objects.count() == events


def test_moving_a_terms_start_past_its_first_marks_is_refused(marked):
    world = marked
    term = _second_quarter(world)
    with at(dt.date(2027, 1, 15)), pytest.raises(ValidationError, match="отметк"):
        schools.term_update(term=term, **_values(term, starts_on=dt.date(2026, 12, 22)), actor=deputy(world))


def test_taking_the_grade_of_a_class_with_marks_out_of_the_term_is_refused(world):
    _a, (day,) = journal(world, days=[MON])
    with at(MON, 15):
        mark_set(lesson=day, student=world.student, value=5, actor=teacher(world))
    term = _first_quarter(world)  # the only term of its band once its grades change: numbering stays valid
    with at(dt.date(2026, 10, 1)), pytest.raises(ValidationError, match="5 «А»"):
        schools.term_update(term=term, **_values(term, min_grade=6), actor=deputy(world))
    assert _saved(term)[2] == 1


def test_a_change_that_leaves_every_record_in_the_term_is_allowed(marked):
    world = marked
    term = _second_quarter(world)
    with at(dt.date(2027, 1, 15)):
        schools.term_update(term=term, **_values(term, ends_on=dt.date(2026, 12, 25)), actor=deputy(world))
        schools.term_update(term=term, **_values(term, starts_on=dt.date(2026, 11, 9)), actor=deputy(world))
    assert _saved(term)[:2] == (dt.date(2026, 11, 9), dt.date(2026, 12, 25))


def test_lessons_with_a_topic_or_homework_count_as_records(world):
    _a, (mon, _wed) = journal(world, days=[LATE_DEC, LATE_DEC2])
    with at(LATE_DEC, 15):
        lesson_topic_set(lesson=mon, topic="Дроби", planned_topic=None, is_control_work=False, actor=teacher(world))
        homework_set(lesson=mon, text="№ 5", actor=teacher(world))
    term = _second_quarter(world)
    with at(dt.date(2027, 1, 15)), pytest.raises(ValidationError, match="1 урок с темой или заданием"):
        schools.term_update(term=term, **_values(term, ends_on=dt.date(2026, 12, 20)), actor=deputy(world))


def test_a_closed_term_cannot_change_even_where_it_has_no_marks(world):
    term = _second_quarter(world)
    with at(dt.date(2026, 12, 29)):
        term_close(term=term, actor=deputy(world))
    before = _saved(term)
    with at(dt.date(2027, 1, 15)), pytest.raises(ValidationError, match="закрыт"):
        schools.term_update(term=term, **_values(term, ends_on=dt.date(2026, 12, 25)), actor=deputy(world))
    assert _saved(term) == before


def test_a_term_closed_for_one_class_names_the_class(world):
    term = _second_quarter(world)
    with at(dt.date(2026, 12, 29)):
        term_close(term=term, school_class=world.other_cls, actor=deputy(world))
    with at(dt.date(2027, 1, 15)), pytest.raises(ValidationError, match="5 «Б»"):
        schools.term_update(term=term, **_values(term, starts_on=dt.date(2026, 11, 6)), actor=deputy(world))


def test_deleting_the_last_term_with_marks_is_refused_with_what_blocks_it(world):
    _a, (day,) = journal(world, days=[dt.date(2027, 5, 20)])
    with at(dt.date(2027, 5, 20), 15):
        mark_set(lesson=day, student=world.student, value=5, actor=teacher(world))
    term = Term.objects.get(school=world.school, number=4)
    with at(dt.date(2027, 5, 21)), pytest.raises(ValidationError, match="1 отметка"):
        schools.term_delete(term=term, actor=deputy(world))
    assert Term.objects.filter(pk=term.pk).exists()


def test_period_marks_of_a_class_leaving_the_term_block_the_change(world):
    a, (day,) = journal(world, days=[MON])
    term = _first_quarter(world)
    with at(MON, 15):
        mark_set(lesson=day, student=world.student, value=5, actor=teacher(world))
    with at(dt.date(2026, 10, 20)):
        period_mark_set(assignment=a, student=world.student, value="5", term=term, actor=teacher(world))
    with at(dt.date(2026, 10, 21)), pytest.raises(ValidationError, match="1 отметка за период"):
        schools.term_update(term=term, **_values(term, min_grade=6), actor=deputy(world))


def test_the_journal_registers_its_guard_with_the_school_year():
    assert any(guard.__module__.startswith("ejournal.journal.") for guard in term_guards())


def test_the_term_page_shows_the_refusal_and_changes_nothing(marked, login_as):
    world = marked
    term = _second_quarter(world)
    data = {**_values(term, ends_on=dt.date(2026, 12, 20))}
    data = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in data.items()}
    with at(dt.date(2027, 1, 15)):
        client = login_as(world.deputy_head, Role.DEPUTY_HEAD)
        response = client.post(reverse("schools:term_edit", args=[term.pk]), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "3 отметки" in page and "Изменения сохранены" not in page
    assert _saved(term)[1] == dt.date(2026, 12, 28)
