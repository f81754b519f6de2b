"""Attendance: the teacher marks absences and lateness; the class teacher adds reasons later."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ejournal.access import policy
from ejournal.access.policy import Actor
from ejournal.people.models import Student
from ejournal.timetable.models import Lesson

from ..models import Attendance, AttendanceCode, CorrectionKind, CorrectionRequest
from ..rules import rules_for
from .common import (
    Admission,
    ConflictError,
    admit,
    is_closed,
    mark_lesson_has_records,
    record_changes,
    require_enrolled,
    require_keeper,
    require_lesson_held,
    term_of,
)
from .corrections import attendance_proposal

MAX_LATE_MINUTES = 90
NOTE_MAX = 255
REASON_CODES = (AttendanceCode.ILL, AttendanceCode.EXCUSED)


def _admit(
    lesson: Lesson, student: Student, proposal: dict[str, Any], correction: CorrectionRequest | None, actor: Actor
) -> Admission:
    rules = rules_for(lesson.school)
    return admit(
        actor=actor, kind=CorrectionKind.ATTENDANCE, term=term_of(lesson), school_class_id=lesson.school_class_id,
        deadline=lesson.date + dt.timedelta(days=rules.same_day_grace_days), proposal=proposal,
        correction=correction, lesson=lesson, student=student,
    )  # fmt: skip


def _locked_cell(lesson: Lesson, student: Student, expected_version: int) -> Attendance | None:
    current = Attendance.objects.select_for_update().filter(lesson=lesson, student=student).first()
    if (current.version if current else 0) != expected_version:
        raise ConflictError()
    return current


def attendance_set(
    *,
    lesson: Lesson,
    student: Student,
    code: str,
    late_minutes: int | None = None,
    expected_version: int = 0,
    correction: CorrectionRequest | None = None,
    actor: Actor,
) -> Attendance:
    """Mark a student absent («н», «б», «уп») or late («оп», with minutes) at a lesson.

    `expected_version` is the version of the cell the caller saw (0: no
    record); a different current state raises `ConflictError`. Deadline: the
    lesson day; later or in a closed term only with an approved correction.
    """
    if code not in AttendanceCode.values:
        raise ValidationError(_("Отметка посещаемости: «н», «б», «уп» или «оп»."), code="code")
    if code == AttendanceCode.LATE:
        if not isinstance(late_minutes, int) or not 1 <= late_minutes <= MAX_LATE_MINUTES:
            raise ValidationError(
                _("Укажите опоздание в минутах: от 1 до %(max)s.") % {"max": MAX_LATE_MINUTES}, code="minutes"
            )
    else:
        late_minutes = None
    require_keeper(actor, lesson)
    require_lesson_held(lesson, rules_for(lesson.school), attendance=True)
    require_enrolled(student, lesson)
    with transaction.atomic():
        current = _locked_cell(lesson, student, expected_version)
        admission = _admit(
            lesson, student, attendance_proposal(code=code, late_minutes=late_minutes), correction, actor
        )
        old = (current.code, current.late_minutes) if current else (None, None)
        if current is None:
            current = Attendance(
                school_id=lesson.school_id, lesson=lesson, student=student, created_by_id=actor.user_id_required
            )
        else:
            current.version += 1
        current.code, current.late_minutes = code, late_minutes
        current.save()
        changes: dict[str, tuple[Any, Any]] = {"attendance": (old[0], code)}
        if old[1] != late_minutes:
            changes["late_minutes"] = (old[1], late_minutes)
        record_changes(
            actor=actor, school_id=lesson.school_id, entity="attendance", entity_id=current.pk,
            action="create" if old[0] is None else "update", changes=changes, admission=admission,
            lesson_id=lesson.pk, student_id=student.pk,
        )  # fmt: skip
        mark_lesson_has_records(lesson)
    return current


def attendance_clear(
    *,
    lesson: Lesson,
    student: Student,
    expected_version: int,
    correction: CorrectionRequest | None = None,
    actor: Actor,
) -> None:
    """Remove an absence or lateness (the student was present); the change log keeps what it was."""
    require_keeper(actor, lesson)
    with transaction.atomic():
        current = _locked_cell(lesson, student, expected_version)
        if current is None:
            return
        admission = _admit(lesson, student, attendance_proposal(), correction, actor)
        record_changes(
            actor=actor, school_id=lesson.school_id, entity="attendance", entity_id=current.pk, action="delete",
            changes={"attendance": (current.code, None)}, admission=admission, lesson_id=lesson.pk,
            student_id=student.pk,
        )  # fmt: skip
        current.delete()


def attendance_reasons_set(
    *,
    students: Sequence[Student],
    date_from: dt.date,
    date_to: dt.date,
    code: str,
    note: str,
    actor: Actor,
) -> int:
    """Class teacher: turn the absences («н») of these students between two dates into «б» or «уп».

    `note` names the document (справка, заявление). Lateness is left alone;
    absences in a closed term are refused. Returns the number of lessons changed.
    """
    note = note.strip()
    if code not in REASON_CODES:
        raise ValidationError(_("Причина пропуска: «б» (болезнь) или «уп» (уважительная причина)."), code="code")
    if not note:
        raise ValidationError(_("Укажите документ, подтверждающий причину пропуска."), code="note")
    if date_to < date_from:
        raise ValidationError(_("Дата окончания раньше даты начала."), code="dates")
    for student in students:
        if not policy.check(actor, "can_manage_class", student.school_class):
            raise ValidationError(_("Причины пропусков указывает классный руководитель класса ученика."))
    cells = list(
        Attendance.objects.select_related("lesson__school_class")
        .filter(student__in=students, lesson__date__gte=date_from, lesson__date__lte=date_to)
        .exclude(code=AttendanceCode.LATE)
    )
    return _apply_reasons(cells, code, note[:NOTE_MAX], actor)


def _apply_reasons(cells: list[Attendance], code: str, note: str, actor: Actor) -> int:
    changed = 0
    on_time = Admission(late=False)
    with transaction.atomic():
        for cell in cells:
            term = term_of(cell.lesson)
            if is_closed(term, cell.lesson.school_class_id):
                raise ValidationError(
                    _("Период «%(term)s» закрыт: причины пропусков в нём не меняются.") % {"term": term}
                )
            if (cell.code, cell.reason_note) == (code, note):
                continue
            changes = {"attendance": (cell.code, code), "reason_note": (cell.reason_note, note)}
            cell.code, cell.reason_note = code, note
            cell.reason_set_by_id, cell.reason_set_at = actor.user_id, timezone.now()
            cell.version += 1
            cell.save()
            record_changes(
                actor=actor, school_id=cell.school_id, entity="attendance", entity_id=cell.pk, action="update",
                changes=changes, admission=on_time, lesson_id=cell.lesson_id, student_id=cell.student_id,
                reason=note,
            )  # fmt: skip
            changed += 1
    return changed
