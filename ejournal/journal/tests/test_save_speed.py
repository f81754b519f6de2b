"""Saving cells takes a small number of queries, the same for one cell and a pasted column of 30."""

import datetime as dt
import json

from django.db import connection
from django.urls import reverse

from ejournal.access.roles import Role
from ejournal.testing import make_student

from ..models import ChangeRecord, Mark
from ..school_cache import school_constants
from .helpers import MON, at, journal, view_queries

CELLS = 30


def _setup(world, login_as, students=CELLS, lessons=1):
    for n in range(students - 2):
        make_student(world.cls, f"Ученик{n:02d}", "Тест")
    a, days = journal(world, days=[MON + dt.timedelta(days=7 * (n // 5) + n % 5) for n in range(lessons)])
    day = days[0] if lessons == 1 else days
    term = world.school.terms.get(number=1)
    pupils = list(world.cls.students.order_by("pk"))
    client = login_as(world.teacher, Role.CLASS_TEACHER)
    url = reverse("journal:cells", kwargs={"assignment_id": a.pk, "term_id": term.pk})
    return client, url, day, pupils


def _post(client, url, cells):
    return client.post(url, {"cells": json.dumps(cells)}, HTTP_HX_REQUEST="true")


def _cells(pupils, day, text, token):
    return [{"student": s.pk, "lesson": day.pk, "text": text, "att": 0, "marks": "", "token": f"{token}{s.pk}"}
            for s in pupils]  # fmt: skip


def test_saving_one_cell_and_a_column_take_few_and_the_same_queries(world, login_as):
    client, url, day, pupils = _setup(world, login_as)
    with at(MON):
        _post(client, url, _cells(pupils[:1], day, "5", "warm"))  # warm the session and the work types
        school_constants(world.school.pk)  # cached once the work types' creation is committed
        with view_queries() as one_queries:
            one = _post(client, url, _cells(pupils[1:2], day, "5", "one"))
        with view_queries() as column_queries:
            column = _post(client, url, _cells(pupils[2:], day, "4", "col"))
    # SQLite binds at most 999 parameters: the column's 54 change records of 20 columns go in two inserts there.
    split = 1 if connection.vendor == "sqlite" else 0
    assert (one_queries.count, column_queries.count) == (SAVE_QUERIES, SAVE_QUERIES + split)
    assert (one.status_code, column.status_code) == (200, 200)
    assert Mark.objects.count() == CELLS
    assert ChangeRecord.objects.filter(entity="mark", field="value").count() == CELLS


def test_a_batch_keeps_the_one_mark_rule_and_a_retried_column_writes_nothing(world, login_as, settings):
    client, url, day, pupils = _setup(world, login_as, students=4)
    with at(MON):
        settings.EJ_JOURNAL_RULES = {"schools": {"s1": {"allow_several_marks_per_lesson": False}}}
        refused = _post(client, url, _cells(pupils[:1], day, "5/4", "one"))
        assert refused.status_code == 400 and "не более одной отметки" in refused.content.decode()
        assert not Mark.objects.exists()
        settings.EJ_JOURNAL_RULES = {}
        first = _post(client, url, _cells(pupils, day, "5/4", "col"))
        again = _post(client, url, _cells(pupils, day, "5/4", "col"))
    assert (first.status_code, again.status_code) == (200, 200)
    assert Mark.objects.count() == 8 and ChangeRecord.objects.filter(entity="mark", field="value").count() == 8
    tokens = set(Mark.objects.values_list("client_token", flat=True))
    assert {f"col{s.pk}:{n}" for s in pupils for n in (0, 1)} == tokens


def test_a_cell_sent_twice_in_a_batch_with_one_token_makes_one_mark(world, login_as):
    client, url, day, pupils = _setup(world, login_as, students=2)
    with at(MON):
        response = _post(client, url, _cells(pupils[:1], day, "5", "same") * 2)
    assert response.status_code == 200 and Mark.objects.count() == 1
    assert ChangeRecord.objects.filter(entity="mark", field="value").count() == 1


# From the view's first read on (the request's own queries belong to the portal's middleware and its caches): the
# journal and its terms (2), the batch (the journal's lessons, the class's enrolments with their students, the marks of
# the cells' students in the journal with the marks a retry already made, attendance: 4; the transaction: 2; the marks
# and their change records: 2, without a savepoint: a lost token race reruns the batch), the answer (period marks: 1;
# its students, lessons, marks and attendance are those the batch read, as its writes left them). The term and its
# closure come with the page's terms; the work types, scales and rule values with the school's cached constants;
# corrections are read only for late cells or a closed term.
# The change records' hash chain (decision 0012): 2 (the school's chain end locked and read, then moved).
# Before: 11, 13, 15, 17, 19, 26 (29 for one cell and 407 for a column of 28 before that).
SAVE_QUERIES = 13


def test_a_column_losing_the_token_race_is_run_again_and_keeps_the_winners_marks(world, login_as, monkeypatch):
    from .. import batch
    from ..services import cells

    client, url, day, pupils = _setup(world, login_as, students=3)
    real, calls = cells._load, []

    def blind_first(assignment, term, edits):  # the first read ran before the winner committed
        loaded, rows = real(assignment, term, edits)
        calls.append(sum(len(cell.marks) for cell in loaded.values()))
        if len(calls) == 1:
            for cell in loaded.values():
                cell.marks.clear()
            batch.batch_cache()[("tokens", assignment.school_id)] = (cells._tokens(edits), {})
        return loaded, rows

    with at(MON):
        assert _post(client, url, _cells(pupils[:2], day, "5", "race")).status_code == 200
        monkeypatch.setattr(cells, "_load", blind_first)
        response = _post(client, url, _cells(pupils, day, "5", "race"))
    assert response.status_code == 200 and calls == [2, 2]
    assert Mark.objects.filter(client_token__startswith="race").count() == 3
    assert ChangeRecord.objects.filter(entity="mark", field="value").count() == 3
