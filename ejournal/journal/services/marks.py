"""Marks: set (create or change) and delete, with scale, keeper, enrolment, term, deadline and concurrency checks."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ejournal.access.policy import Actor
from ejournal.access.roles import Role
from ejournal.people.models import Student
from ejournal.timetable.models import Lesson

from ..batch import batch_cache
from ..models import MARK_FAIL, MARK_PASS, CorrectionKind, CorrectionRequest, Mark, ScaleKind, WorkType
from ..rules import JournalRules, rules_for
from .chain import change_records_append
from .common import (
    Admission,
    ConflictError,
    admit,
    mark_deadline,
    mark_lesson_has_records,
    record_changes,
    require_enrolled,
    require_keeper,
    require_lesson_held,
    term_of,
)
from .corrections import mark_proposal
from .setup import default_work_type, scale_of

COMMENT_MAX = 255
TOKEN_MAX = 64


def check_mark_value(scale: str, value: int | None, symbol: str) -> None:
    """Refuse a value that is not on the subject's scale (1–5, 2–5, or «зач»/«незач»)."""
    if scale == ScaleKind.PASS_FAIL:
        if value is not None or symbol not in (MARK_PASS, MARK_FAIL):
            raise ValidationError(_("По этому предмету ставится «зач» или «незач»."), code="scale")
        return
    low = 2 if scale == ScaleKind.FIVE_FROM_TWO else 1
    valid = isinstance(value, int) and not isinstance(value, bool) and low <= value <= 5 and not symbol
    if not valid:
        raise ValidationError(_("Отметка должна быть целым числом от %(low)s до 5.") % {"low": low}, code="scale")


def _by_token(lesson: Lesson, student: Student, client_token: str | None) -> Mark | None:
    if not client_token:
        return None
    known = (batch_cache() or {}).get(("tokens", lesson.school_id))  # a batch read its tokens at once
    waiting = [p.mark for p in pending_marks() or () if p.mark.client_token == client_token]
    found: Mark | None
    if waiting:
        found = waiting[0]
    elif known is not None and client_token in known[0]:
        found = known[1].get(client_token)
    else:
        found = Mark.objects.filter(school_id=lesson.school_id, client_token=client_token).first()
    if found is not None and (found.lesson_id, found.student_id) != (lesson.pk, student.pk):
        raise ValidationError(_("Повторный запрос не совпадает с исходным."), code="token_mismatch")
    return found


def _check_work_type(lesson: Lesson, work_type: WorkType | None) -> WorkType:
    work_type = work_type or default_work_type(lesson.school)
    if work_type.school_id != lesson.school_id or not work_type.is_active:
        raise ValidationError(_("Выберите вид работы из настроек школы."), code="work_type")
    return work_type


def mark_set(
    *,
    lesson: Lesson,
    student: Student,
    value: int | None = None,
    symbol: str = "",
    work_type: WorkType | None = None,
    comment: str = "",
    mark: Mark | None = None,
    expected_version: int | None = None,
    client_token: str | None = None,
    correction: CorrectionRequest | None = None,
    cell: Sequence[Mark] | None = None,
    actor: Actor,
) -> Mark:
    """Give a new mark (`mark` None) or change `mark`; return the saved mark.

    - `value` 1–5 (2–5) or `symbol` «зач»/«незач», on the subject's scale;
      `work_type` defaults to «ответ на уроке».
    - Changing needs `expected_version` (the version the caller saw): a
      different current version raises `ConflictError` and nothing is written.
      Only the author (or the director/deputy head) changes a mark.
    - `client_token`: a retried create with the same token returns the first
      mark and writes nothing.
    - After the deadline or in a closed term: `correction`, the actor's
      approved request for exactly this change, is required.
    - `cell`: the marks of the cell as the caller read them and showed them
      (a save's batch); None reads them now. A new mark takes the slot after
      theirs: a concurrent writer who added to the same cell first makes the
      insert fail (`IntegrityError`), and the batch answers with a conflict.
    """
    existing = _by_token(lesson, student, client_token)
    if existing is not None:
        return existing
    work_type, symbol, rules = _mark_checked(lesson, student, value, symbol, work_type, mark, expected_version,
                                             client_token, actor)  # fmt: skip
    term = term_of(lesson)
    pending = pending_marks()
    slot = _next_slot(lesson, student, cell, pending, rules) if mark is None else None
    deadline = mark_deadline(lesson, work_type, rules)
    if mark is not None:
        deadline = min(deadline, mark_deadline(lesson, mark.work_type, rules))
    admit_args: dict[str, Any] = {
        "actor": actor, "kind": CorrectionKind.MARK, "deadline": deadline, "term": term,
        "school_class_id": lesson.school_class_id, "correction": correction, "lesson": lesson, "student": student,
        "proposal": mark_proposal(mark=mark, value=value, symbol=symbol, work_type=work_type),
    }  # fmt: skip
    if mark is None and pending is not None:
        # A batch: the mark and its change records are inserted with the others at the end (`marks_flush`),
        # inside the batch's transaction (all or nothing).
        admission = admit(**admit_args)
        assert slot is not None  # a new mark always has its slot (`_next_slot` above)
        new = _new_mark(lesson, student, value, symbol, work_type, comment, client_token, actor, slot)
        pending.append(_Pending(new, _create_changes(new, work_type), admission, actor))
        mark_lesson_has_records(lesson)
        return new
    return _mark_write(lesson, student, mark, expected_version, value, symbol, work_type, comment, client_token,
                       slot, admit_args, actor)  # fmt: skip


def _mark_checked(
    lesson: Lesson,
    student: Student,
    value: int | None,
    symbol: str,
    work_type: WorkType | None,
    mark: Mark | None,
    expected_version: int | None,
    client_token: str | None,
    actor: Actor,
) -> tuple[WorkType, str, JournalRules]:
    """Refuse what `mark_set` cannot write; return the kind of work, the trimmed symbol and the school's rules."""
    if client_token and len(client_token) > TOKEN_MAX:
        raise ValidationError(_("Слишком длинный идентификатор запроса."))
    require_keeper(actor, lesson)
    work_type = _check_work_type(lesson, work_type)
    symbol = (symbol or "").strip()
    check_mark_value(scale_of(lesson.school, lesson.subject_id), value, symbol)
    if mark is not None and (mark.lesson_id, mark.student_id) != (lesson.pk, student.pk):
        raise ValidationError(_("Отметка относится к другому уроку или ученику."))
    if mark is not None and expected_version is None:
        raise ValueError("changing a mark needs expected_version")
    rules = rules_for(lesson.school)
    require_lesson_held(lesson, rules, attendance=False)
    require_enrolled(student, lesson)
    return work_type, symbol, rules


def _next_slot(
    lesson: Lesson, student: Student, cell: Sequence[Mark] | None, pending: list[_Pending] | None, rules: JournalRules
) -> int:
    """The slot of a new mark: after the cell's marks; refused when the school allows one mark per lesson."""
    known = _cell_marks(lesson, student, cell, pending)
    if known and not rules.allow_several_marks_per_lesson:
        raise ValidationError(_("В этой школе за урок ставится не более одной отметки."), code="one_mark")
    return max((m.slot for m in known), default=-1) + 1


def _mark_write(lesson: Lesson, student: Student, mark: Mark | None, expected_version: int | None, value: int | None,
                symbol: str, work_type: WorkType, comment: str, client_token: str | None, slot: int | None,
                admit_args: dict[str, Any], actor: Actor) -> Mark:  # fmt: skip
    """The write of `mark_set` outside a batch, in one transaction: the admission, the row, its change record."""
    try:
        with transaction.atomic():
            admission = admit(**admit_args)
            if mark is None:
                assert slot is not None  # a new mark always has its slot (`mark_set`'s `_next_slot`)
                saved = _create(lesson, student, value, symbol, work_type, comment, client_token, admission, actor,
                                slot)  # fmt: skip
            else:
                saved = _change(mark, expected_version, value, symbol, work_type, comment, admission, actor)
            mark_lesson_has_records(lesson)
    except IntegrityError:
        # A concurrent retry with the same token won the race: answer with its mark. Otherwise another writer
        # added to the cell first (its slot is taken): nothing was written.
        existing = _by_token(lesson, student, client_token)
        if existing is None:
            raise ConflictError(cell_taken()) from None
        return existing
    return saved


def cell_taken() -> str:
    """The refusal of a new mark whose place in the cell another writer took first (a unique slot)."""
    return _("В эту клетку только что записал другой пользователь. Обновите страницу и повторите.")


def _cell_marks(
    lesson: Lesson, student: Student, cell: Sequence[Mark] | None, pending: list[_Pending] | None
) -> list[Mark]:
    """The cell's marks: as the caller read them (else read now), and the batch's new ones in it."""
    known = list(cell) if cell is not None else list(Mark.objects.filter(lesson=lesson, student=student).only("slot"))
    known += [p.mark for p in pending or () if (p.mark.lesson_id, p.mark.student_id) == (lesson.pk, student.pk)]
    return known


def _new_mark(
    lesson: Lesson,
    student: Student,
    value: int | None,
    symbol: str,
    work_type: WorkType,
    comment: str,
    client_token: str | None,
    actor: Actor,
    slot: int,
) -> Mark:
    return Mark(
        school_id=lesson.school_id, lesson=lesson, student=student, value=value, symbol=symbol,
        work_type=work_type, weight=work_type.weight, comment=comment.strip()[:COMMENT_MAX],
        created_by_id=actor.user_id_required, client_token=client_token or None, slot=slot,
    )  # fmt: skip


def _create_changes(mark: Mark, work_type: WorkType) -> dict:
    changes: dict[str, tuple[Any, Any]] = {"value": (None, mark.display), "work_type": (None, work_type.name)}
    if mark.comment:
        changes["comment"] = ("", mark.comment)
    return changes


def _create(lesson: Lesson, student: Student, value: int | None, symbol: str, work_type: WorkType, comment: str,
            client_token: str | None, admission: Admission, actor: Actor, slot: int) -> Mark:  # fmt: skip
    mark = _new_mark(lesson, student, value, symbol, work_type, comment, client_token, actor, slot)
    mark.save(force_insert=True)
    _record_create(mark, _create_changes(mark, work_type), admission, actor)
    return mark


def _record_create(mark: Mark, changes: dict, admission: Admission, actor: Actor, *, save: bool = True) -> list:
    return record_changes(
        actor=actor, school_id=mark.school_id, entity="mark", entity_id=mark.pk, action="create",
        changes=changes, admission=admission, lesson_id=mark.lesson_id, student_id=mark.student_id, save=save,
    )  # fmt: skip


@dataclass
class _Pending:
    mark: Mark
    changes: dict
    admission: Admission
    actor: Actor


def pending_marks() -> list[_Pending] | None:
    """The new marks of the open batch waiting for `marks_flush` (None outside a batch that defers)."""
    cache = batch_cache()
    return None if cache is None else cache.get("pending_marks")


def marks_defer() -> None:
    """In the open batch, collect new marks for one bulk insert (`marks_flush`) instead of inserting each."""
    cache = batch_cache()
    if cache is not None:
        cache.setdefault("pending_marks", [])


def marks_flush() -> None:
    """Insert the batch's new marks and their change records: two queries, no savepoint.

    A concurrent retry with the same token that won the race makes the insert
    fail; `journal_cells_set` then rolls the whole batch back and runs it once
    more, when it finds that mark by its token.
    """
    pending = pending_marks()
    if not pending:
        return
    Mark.objects.bulk_create([p.mark for p in pending])
    records = [r for p in pending for r in _record_create(p.mark, p.changes, p.admission, p.actor, save=False)]
    change_records_append(records)
    pending.clear()


def _lock_for_change(mark: Mark, expected_version: int | None, actor: Actor) -> Mark:
    try:
        current = Mark.objects.select_for_update().select_related("work_type").get(pk=mark.pk)
    except Mark.DoesNotExist:
        raise ConflictError(_("Отметку уже удалил другой пользователь. Обновите страницу.")) from None
    if current.version != expected_version:
        raise ConflictError(
            _("Отметку уже изменил другой пользователь (сейчас: %(value)s). Обновите страницу и повторите.")
            % {"value": current.display}
        )
    if current.created_by_id != actor.user_id and actor.role not in (Role.DIRECTOR, Role.DEPUTY_HEAD):
        raise ValidationError(
            _("Исправить отметку может только учитель, который её поставил, или администрация школы."),
            code="not_author",
        )
    return current


def _change(
    mark: Mark,
    expected_version: int | None,
    value: int | None,
    symbol: str,
    work_type: WorkType,
    comment: str,
    admission: Admission,
    actor: Actor,
) -> Mark:
    current = _lock_for_change(mark, expected_version, actor)
    old = {"value": current.display, "work_type": current.work_type.name, "comment": current.comment}
    if work_type.pk != current.work_type_id:
        current.weight = work_type.weight  # a new kind of work takes its current weight
    current.value, current.symbol, current.work_type = value, symbol, work_type
    current.comment = comment.strip()[:COMMENT_MAX]
    new = {"value": current.display, "work_type": work_type.name, "comment": current.comment}
    changes = {k: (old[k], new[k]) for k in old if old[k] != new[k]}
    if not changes:
        return current
    current.version += 1
    current.save()
    record_changes(
        actor=actor, school_id=current.school_id, entity="mark", entity_id=current.pk, action="update",
        changes=changes, admission=admission, lesson_id=current.lesson_id, student_id=current.student_id,
    )  # fmt: skip
    return current


def mark_delete(
    *,
    mark: Mark,
    expected_version: int,
    correction: CorrectionRequest | None = None,
    reason: str = "",
    actor: Actor,
) -> None:
    """Delete a mark (author or administration); the change log keeps its value for ever.

    `reason` is kept with the record; after the deadline or in a closed term
    an approved correction request for this deletion is required.
    """
    lesson = mark.lesson
    require_keeper(actor, lesson)
    term = term_of(lesson)
    rules = rules_for(lesson.school)
    deadline = mark_deadline(lesson, mark.work_type, rules)
    with transaction.atomic():
        current = _lock_for_change(mark, expected_version, actor)
        admission = admit(
            actor=actor, kind=CorrectionKind.MARK, deadline=deadline, term=term,
            school_class_id=lesson.school_class_id, proposal=mark_proposal(mark=current, delete=True),
            correction=correction, lesson=lesson, student=current.student,
        )  # fmt: skip
        record_changes(
            actor=actor, school_id=current.school_id, entity="mark", entity_id=current.pk, action="delete",
            changes={"value": (current.display, None)}, admission=admission, lesson_id=lesson.pk,
            student_id=current.student_id, reason=reason,
        )  # fmt: skip
        current.delete()
