"""Late corrections: refused without permission; one approved request lets exactly that change through, once."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ejournal.core.models import AuditEvent

from ..models import ChangeRecord, CorrectionKind, CorrectionRequest, Mark
from ..services import (
    correction_request_approve,
    correction_request_file,
    correction_request_reject,
    lesson_topic_set,
    mark_proposal,
    mark_set,
    term_close,
    topic_proposal,
)
from .helpers import MON, at, deputy, director, journal, teacher

NEXT_WEEK = MON + dt.timedelta(days=7)


@pytest.fixture
def late_mark(world):
    """A mark given on the lesson day; the clock then moves a week on."""
    _a, (day,) = journal(world)
    with at(MON):
        mark = mark_set(lesson=day, student=world.student, value=3, actor=teacher(world))
    return day, mark


def file_change(world, day, mark, value=5, reason="ошибка при вводе: в тетради «5»"):
    return correction_request_file(
        kind=CorrectionKind.MARK, lesson=day, student=world.student, reason=reason,
        proposed=mark_proposal(mark=mark, value=value, work_type=mark.work_type), actor=teacher(world),
    )  # fmt: skip


def test_a_late_change_without_permission_is_refused(world, late_mark):
    day, mark = late_mark
    with at(NEXT_WEEK), pytest.raises(ValidationError, match=r"Срок внесения этой записи истёк 07.09.2026"):
        mark_set(lesson=day, student=world.student, value=5, mark=mark, expected_version=1, actor=teacher(world))
    assert Mark.objects.get().value == 3


def test_an_approved_request_lets_exactly_that_change_through_once_with_its_reason(world, late_mark):
    day, mark = late_mark
    with at(NEXT_WEEK):
        request = file_change(world, day, mark)
        with pytest.raises(ValidationError, match="не разрешён"):  # still pending
            mark_set(lesson=day, student=world.student, value=5, mark=mark, expected_version=1,
                     correction=request, actor=teacher(world))  # fmt: skip
        correction_request_approve(request=request, actor=deputy(world))
        with pytest.raises(ValidationError, match="не совпадает"):  # another value than approved
            mark_set(lesson=day, student=world.student, value=4, mark=mark, expected_version=1,
                     correction=request, actor=teacher(world))  # fmt: skip
        changed = mark_set(lesson=day, student=world.student, value=5, mark=mark, expected_version=1,
                           correction=request, actor=teacher(world))  # fmt: skip
        with pytest.raises(ValidationError, match="не разрешён"):  # used up
            mark_set(lesson=day, student=world.student, value=5, mark=mark, expected_version=2,
                     correction=request, actor=teacher(world))  # fmt: skip
    assert changed.value == 5
    record = ChangeRecord.objects.get(action="update")
    assert (record.old, record.new, record.is_late) == ("3", "5", True)
    assert record.reason == "ошибка при вводе: в тетради «5»"
    assert record.correction_request_id == request.pk
    assert CorrectionRequest.objects.get().status == CorrectionRequest.Status.APPLIED


def test_a_request_needs_a_reason_and_only_the_keeper_files_it(world, late_mark):
    day, mark = late_mark
    with pytest.raises(ValidationError, match="причину"):
        file_change(world, day, mark, reason="   ")
    with pytest.raises(ValidationError, match="только учитель"):
        correction_request_file(kind=CorrectionKind.MARK, lesson=day, student=world.student, reason="x",
                                proposed=mark_proposal(mark=mark, value=5), actor=teacher(world, world.other_teacher))  # fmt: skip
    assert not CorrectionRequest.objects.exists()


def test_only_the_deputy_head_or_director_decides(world, late_mark):
    day, mark = late_mark
    request = file_change(world, day, mark)
    with pytest.raises(PermissionDenied):
        correction_request_approve(request=request, actor=teacher(world))
    with pytest.raises(ValidationError, match="причину отказа"):
        correction_request_reject(request=request, note="", actor=director(world))
    rejected = correction_request_reject(request=request, note="нет подтверждения", actor=director(world))
    assert rejected.status == CorrectionRequest.Status.REJECTED
    with pytest.raises(ValidationError, match="уже рассмотрен"):
        correction_request_approve(request=request, actor=deputy(world))
    assert AuditEvent.objects.filter(action="correction_rejected").exists()


def test_a_closed_term_needs_an_approved_request_too(world):
    _a, (day,) = journal(world)
    term_close(term=world.school.terms.get(number=1), school_class=world.cls, actor=deputy(world))
    with at(MON):
        with pytest.raises(ValidationError, match="закрыт"):
            lesson_topic_set(lesson=day, topic="Дроби", actor=teacher(world))
        request = correction_request_file(kind=CorrectionKind.TOPIC, lesson=day, reason="тема не была записана",
                                          proposed=topic_proposal(topic="Дроби"), actor=teacher(world))  # fmt: skip
        correction_request_approve(request=request, actor=deputy(world))
        lesson_topic_set(lesson=day, topic="Дроби", correction=request, actor=teacher(world))
    day.refresh_from_db()
    assert day.topic == "Дроби"
    assert ChangeRecord.objects.get(field="topic").reason == "тема не была записана"
