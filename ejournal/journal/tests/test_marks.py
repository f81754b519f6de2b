"""Marks: what is refused (with a Russian message and nothing saved), what is recorded, conflicts, retries."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from ejournal.people.models import SubgroupMembership
from ejournal.testing import make_student
from ejournal.timetable.models import Lesson

from ..models import ChangeRecord, Mark, MarkScale, ScaleKind
from ..services import ConflictError, mark_delete, mark_scale_set, mark_set, term_close, work_types_ensure
from .helpers import MON, at, deputy, journal, lesson, teacher


def nothing_saved():
    return not Mark.objects.exists() and not ChangeRecord.objects.exists()


def test_a_mark_is_saved_with_its_weight_logged_and_the_lesson_flagged(world):
    _a, (day,) = journal(world)
    test = work_types_ensure(world.school)["test"]
    with at(MON):
        mark = mark_set(lesson=day, student=world.student, value=5, work_type=test, actor=teacher(world))
    assert (mark.value, mark.weight, mark.version, mark.created_by_id) == (5, test.weight, 1, world.teacher.pk)
    assert Lesson.objects.get(pk=day.pk).has_records
    log = {r.field: (r.old, r.new) for r in ChangeRecord.objects.filter(entity="mark", entity_id=mark.pk)}
    assert log == {"value": ("", "5"), "work_type": ("", "Контрольная работа")}
    record = ChangeRecord.objects.get(field="value")
    assert (record.actor_id, record.actor_role, record.lesson_id, record.student_id) == (
        world.teacher.pk, "teacher", day.pk, world.student.pk,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("scale", "value", "symbol"),
    [
        (ScaleKind.FIVE, 6, ""),
        (ScaleKind.FIVE, 0, ""),
        (ScaleKind.FIVE, "5", ""),
        (ScaleKind.FIVE, None, "зач"),
        (ScaleKind.FIVE_FROM_TWO, 1, ""),
        (ScaleKind.PASS_FAIL, 5, ""),
    ],
)
def test_a_mark_outside_the_scale_is_refused_and_nothing_is_saved(world, scale, value, symbol):
    a, (day,) = journal(world)
    if scale != ScaleKind.FIVE:
        MarkScale.objects.create(school=world.school, subject=a.subject, kind=scale)
    with at(MON), pytest.raises(ValidationError, match=r"Отметка должна быть|ставится «зач»"):
        mark_set(lesson=day, student=world.student, value=value, symbol=symbol, actor=teacher(world))
    assert nothing_saved()


def test_pass_fail_subject_takes_zach(world):
    a, (day,) = journal(world)
    mark_scale_set(school=world.school, subject=a.subject, kind=ScaleKind.PASS_FAIL, actor=deputy(world))
    with at(MON):
        mark = mark_set(lesson=day, student=world.student, symbol="зач", actor=teacher(world))
    assert (mark.value, mark.symbol) == (None, "зач")


def test_a_mark_on_another_teachers_lesson_is_refused(world):
    _a, (day,) = journal(world)
    with at(MON), pytest.raises(ValidationError, match="Вы не можете вести журнал этого урока"):
        mark_set(lesson=day, student=world.student, value=4, actor=teacher(world, world.other_teacher))
    assert nothing_saved()


def test_the_substitute_may_mark(world):
    _a, (day,) = journal(world)
    Lesson.objects.filter(pk=day.pk).update(substitute=world.other_teacher)
    day.refresh_from_db()
    with at(MON):
        mark_set(lesson=day, student=world.student, value=4, actor=teacher(world, world.other_teacher))
    assert Mark.objects.count() == 1


def test_a_mark_in_a_closed_term_is_refused(world):
    _a, (day,) = journal(world)
    term = world.school.terms.get(number=1)
    term_close(term=term, actor=deputy(world))
    with at(MON), pytest.raises(ValidationError, match="закрыт"):
        mark_set(lesson=day, student=world.student, value=4, actor=teacher(world))
    assert nothing_saved()


def test_a_mark_on_a_date_outside_every_term_is_refused(world):
    _a, (day,) = journal(world, days=[dt.date(2026, 10, 28)])  # autumn holidays
    with at(day.date), pytest.raises(ValidationError, match="не входит ни в один учебный период"):
        mark_set(lesson=day, student=world.student, value=4, actor=teacher(world))
    assert nothing_saved()


def test_a_student_not_enrolled_that_day_is_refused(world):
    _a, (day,) = journal(world)
    late_comer = make_student(world.cls, "Новиков", "Пётр")
    late_comer.enrolments.update(starts_on=MON + dt.timedelta(days=1))
    for student in (late_comer, world.sibling, world.foreign_student):
        with at(MON), pytest.raises(ValidationError, match=r"не числится в классе 5 «А» на 07.09.2026"):
            mark_set(lesson=day, student=student, value=4, actor=teacher(world))
    assert nothing_saved()


def test_a_subgroup_lesson_takes_only_members(world):
    _a, (day,) = journal(world, subgroup=world.subgroup, name="Иностранный язык (английский)")
    SubgroupMembership.objects.create(school=world.school, subgroup=world.subgroup, student=world.student,
                                      starts_on=world.year.starts_on)  # fmt: skip
    with at(MON):
        mark_set(lesson=day, student=world.student, value=5, actor=teacher(world))
        with pytest.raises(ValidationError, match="не входит в подгруппу"):
            mark_set(lesson=day, student=world.classmate, value=5, actor=teacher(world))
    assert Mark.objects.count() == 1


def test_a_second_writer_with_a_stale_version_gets_a_conflict_and_nothing_is_lost(world):
    _a, (day,) = journal(world)
    with at(MON):
        mark = mark_set(lesson=day, student=world.student, value=3, actor=teacher(world))
        first = mark_set(
            lesson=day, student=world.student, value=4, mark=mark, expected_version=1, actor=teacher(world)
        )
        with pytest.raises(ConflictError, match="уже изменил другой пользователь"):
            mark_set(lesson=day, student=world.student, value=5, mark=mark, expected_version=1, actor=teacher(world))
    current = Mark.objects.get()
    assert (current.value, current.version) == (4, 2) == (first.value, first.version)
    assert list(ChangeRecord.objects.filter(field="value").values_list("old", "new")) == [("", "3"), ("3", "4")]


def test_a_retried_request_with_the_same_token_creates_one_mark(world):
    _a, (day,) = journal(world)
    with at(MON):
        one = mark_set(lesson=day, student=world.student, value=5, client_token="abc-1", actor=teacher(world))
        two = mark_set(lesson=day, student=world.student, value=5, client_token="abc-1", actor=teacher(world))
        with pytest.raises(ValidationError, match="не совпадает"):
            mark_set(lesson=day, student=world.classmate, value=5, client_token="abc-1", actor=teacher(world))
    assert one.pk == two.pk
    assert Mark.objects.count() == 1
    assert ChangeRecord.objects.filter(field="value").count() == 1


def test_several_marks_per_lesson_only_where_the_school_allows(world, settings):
    _a, (day,) = journal(world)
    with at(MON):
        mark_set(lesson=day, student=world.student, value=5, actor=teacher(world))
        mark_set(lesson=day, student=world.student, value=4, actor=teacher(world))
        settings.EJ_JOURNAL_RULES = {"schools": {"s1": {"allow_several_marks_per_lesson": False}}}
        mark_set(lesson=day, student=world.classmate, value=4, actor=teacher(world))
        with pytest.raises(ValidationError, match="не более одной отметки"):
            mark_set(lesson=day, student=world.classmate, value=3, actor=teacher(world))
    assert Mark.objects.filter(student=world.student).count() == 2
    assert Mark.objects.filter(student=world.classmate).count() == 1


def test_only_the_author_changes_a_mark(world):
    _a, (day,) = journal(world)
    Lesson.objects.filter(pk=day.pk).update(substitute=world.other_teacher)
    day.refresh_from_db()
    with at(MON):
        mark = mark_set(lesson=day, student=world.student, value=3, actor=teacher(world, world.other_teacher))
        with pytest.raises(ValidationError, match="только учитель, который её поставил"):
            mark_set(lesson=day, student=world.student, value=5, mark=mark, expected_version=1, actor=teacher(world))
    assert Mark.objects.get().value == 3


def test_an_oral_mark_is_due_on_the_lesson_day_a_written_one_within_the_school_days(world):
    _a, (day,) = journal(world)
    kinds = work_types_ensure(world.school)
    with (
        at(MON + dt.timedelta(days=1)),
        pytest.raises(ValidationError, match=r"Срок внесения этой записи истёк 07.09.2026"),
    ):
        mark_set(lesson=day, student=world.student, value=4, work_type=kinds["answer"], actor=teacher(world))
    # Grade 5: seven study days for written work; 07.09 (Mon) + 7 study days = 16.09 (Wed).
    with at(dt.date(2026, 9, 16)):
        mark_set(lesson=day, student=world.student, value=4, work_type=kinds["test"], actor=teacher(world))
    with at(dt.date(2026, 9, 17)), pytest.raises(ValidationError, match=r"истёк 16.09.2026"):
        mark_set(lesson=day, student=world.classmate, value=4, work_type=kinds["test"], actor=teacher(world))
    assert Mark.objects.count() == 1


def test_deleting_a_mark_keeps_its_value_in_the_log(world):
    _a, (day,) = journal(world)
    with at(MON):
        mark = mark_set(lesson=day, student=world.student, value=2, actor=teacher(world))
        mark_delete(mark=mark, expected_version=1, reason="ошибка ввода", actor=teacher(world))
    assert not Mark.objects.exists()
    record = ChangeRecord.objects.get(action="delete")
    assert (record.old, record.new, record.reason) == ("2", "", "ошибка ввода")


def test_an_extra_lesson_of_the_same_journal_can_be_marked(world):
    a, (_day,) = journal(world)
    extra = lesson(world, a, MON, 2, status=Lesson.Status.EXTRA)
    with at(MON):
        mark_set(lesson=extra, student=world.student, value=5, actor=teacher(world))
    assert Mark.objects.get().lesson_id == extra.pk
