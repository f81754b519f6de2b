"""The kind of work of a lesson's column: typed marks take it and its weight; the header shows the weight."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from ejournal.access.roles import Role

from ..models import ChangeRecord, LessonNote, Mark, TermClosure
from ..services import journal_cells_set, lesson_topic_set, lesson_work_type_set, work_types_ensure
from ..services.cells import CellEdit
from .helpers import MON, at, deputy, journal, teacher


@pytest.fixture
def maths(world):
    a, (day,) = journal(world)
    return a, day, world.school.terms.get(number=1), work_types_ensure(world.school)


def test_marks_typed_into_a_column_take_its_kind_of_work_and_weight(world, maths):
    a, day, term, kinds = maths
    with at(MON):
        lesson_work_type_set(lesson=day, work_type=kinds["independent"], actor=teacher(world))
        journal_cells_set(assignment=a, term=term, actor=teacher(world),
                          edits=[CellEdit(student_id=world.student.pk, lesson_id=day.pk, text="5")])  # fmt: skip
    mark = Mark.objects.get()
    assert (mark.work_type, mark.weight) == (kinds["independent"], Decimal("1.5"))
    record = ChangeRecord.objects.get(entity="lesson", field="work_type")
    assert (record.old, record.new) == ("", "Самостоятельная работа")


def test_the_column_kind_wins_over_the_control_work_flag_and_empty_returns_to_the_default(world, maths):
    a, day, term, kinds = maths
    with at(MON):
        lesson_topic_set(lesson=day, topic="Дроби", is_control_work=True, actor=teacher(world))
        lesson_work_type_set(lesson=day, work_type=kinds["dictation"], actor=teacher(world))
        lesson_work_type_set(lesson=day, work_type=None, actor=teacher(world))
        journal_cells_set(assignment=a, term=term, actor=teacher(world),
                          edits=[CellEdit(student_id=world.student.pk, lesson_id=day.pk, text="4")])  # fmt: skip
    assert Mark.objects.get().work_type == kinds["test"]  # the control work's default again
    assert LessonNote.objects.get().work_type is None


def test_the_column_kind_is_refused_to_others_in_a_closed_term_and_from_another_school(world, maths):
    _a, day, term, kinds = maths
    with pytest.raises(ValidationError, match="Вы не можете вести журнал"):
        lesson_work_type_set(lesson=day, work_type=kinds["test"], actor=deputy(world))
    foreign = work_types_ensure(world.other_school)["test"]
    with pytest.raises(ValidationError, match="настроек школы"):
        lesson_work_type_set(lesson=day, work_type=foreign, actor=teacher(world))
    TermClosure.objects.create(school=world.school, term=term, closed_by=world.deputy_head)
    with pytest.raises(ValidationError, match="закрыт"):
        lesson_work_type_set(lesson=day, work_type=kinds["test"], actor=teacher(world))
    assert not LessonNote.objects.filter(work_type__isnull=False).exists()


def test_the_panel_sets_the_kind_and_the_header_shows_its_weight(world, login_as, maths):
    a, day, term, kinds = maths
    client = login_as(world.teacher, Role.CLASS_TEACHER)
    url = reverse("journal:lesson_work_type", kwargs={"lesson_id": day.pk})
    response = client.post(url, {"work_type": kinds["independent"].pk}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and "Вид работы урока сохранён." in html
    assert f'id="lh-{day.pk}"' in html and "Самостоятельная работа, вес 1,5" in html
    assert client.post(url, {"work_type": 999999}).status_code == 400
    grid = client.get(reverse("journal:grid", kwargs={"assignment_id": a.pk, "term_id": term.pk})).content.decode()
    assert "×1,5" in grid
    panel = client.get(reverse("journal:lesson_panel", kwargs={"lesson_id": day.pk})).content.decode()
    assert "по умолчанию: Ответ на уроке" in panel and "Контрольная работа (вес 2)" in panel


@pytest.mark.parametrize("who", ["deputy_head", "other_teacher"])
def test_readers_and_other_teachers_cannot_set_the_kind(world, login_as, maths, who):
    _a, day, _term, kinds = maths
    client = login_as(getattr(world, who), Role.DEPUTY_HEAD if who == "deputy_head" else None)
    url = reverse("journal:lesson_work_type", kwargs={"lesson_id": day.pk})
    assert client.post(url, {"work_type": kinds["test"].pk}).status_code == 403
    assert not LessonNote.objects.exists()
