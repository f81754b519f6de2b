"""The school's cached constants (kinds of work, scales, the Regulation's rules): an edit is seen by the next save."""

import datetime as dt
from decimal import Decimal

from ejournal.access.policy import Actor
from ejournal.access.roles import Role
from ejournal.regulation.models import Regulation
from ejournal.regulation.services import school_regulation_adopt

from ..models import Mark, ScaleKind, WorkType
from ..services import mark_scale_set, work_type_update
from .helpers import MON, at, director
from .test_save_speed import _cells, _post, _setup


def test_a_changed_weight_of_a_kind_of_work_is_taken_by_the_next_saved_mark(world, login_as):
    client, url, day, pupils = _setup(world, login_as, students=3)
    with at(MON):
        assert _post(client, url, _cells(pupils[:1], day, "5", "a")).status_code == 200
        answer = WorkType.objects.get(school=world.school, code="answer")
        work_type_update(work_type=answer, name="Устный ответ", weight="3", is_written=False, actor=director(world))
        assert _post(client, url, _cells(pupils[1:2], day, "4", "b")).status_code == 200
    weights = dict(Mark.objects.values_list("student_id", "weight"))
    assert (weights[pupils[0].pk], weights[pupils[1].pk]) == (Decimal("1"), Decimal("3"))


def test_a_changed_scale_of_the_subject_is_checked_by_the_next_save(world, login_as):
    client, url, day, pupils = _setup(world, login_as, students=3)
    with at(MON):
        assert _post(client, url, _cells(pupils[:1], day, "5", "a")).status_code == 200
        mark_scale_set(school=world.school, subject=day.subject, kind=ScaleKind.PASS_FAIL, actor=director(world))
        refused = _post(client, url, _cells(pupils[1:2], day, "5", "b"))
        passed = _post(client, url, _cells(pupils[1:2], day, "зач", "c"))
    assert refused.status_code == 400 and "«зач» или «незач»" in refused.content.decode()
    assert passed.status_code == 200 and Mark.objects.count() == 2


def test_a_newly_adopted_regulation_is_applied_by_the_next_save(world, login_as):
    client, url, day, pupils = _setup(world, login_as, students=3)
    with at(MON + dt.timedelta(days=1)):
        late = _post(client, url, _cells(pupils[:1], day, "5", "a"))  # an oral mark is due on the lesson day
        actor = Actor(user_id=world.director.pk, role=Role.DIRECTOR, school_id=world.school.pk)
        school_regulation_adopt(
            school=world.school, values={**Regulation().norms(), "same_day_grace_days": 1},
            adopted_on=dt.date(2026, 8, 30), order_number="15-о", actor=actor,
        )  # fmt: skip
        on_time = _post(client, url, _cells(pupils[:1], day, "5", "b"))
    assert late.status_code == 400 and "Срок внесения" in late.content.decode()
    assert on_time.status_code == 200 and Mark.objects.count() == 1
