"""A cell of the journal page as the teacher types it: «5», «5/4», «н», «оп10 4», «зач»; one or many in one transaction.

The page sends what the teacher typed together with the versions it showed;
`journal_cells_set` turns each cell into the mark and attendance writes of
`marks.py` and `attendance.py` (their checks, deadlines and change records
apply), all or nothing. A cell already holding what was typed is left alone,
so a retried request changes nothing; a cell changed by someone else since
the page showed it raises `ConflictError` naming its current value.

A save is one batch (`batch.py`): what every cell would check again (the
school's kinds of work and scale, the lesson's term and closure, deadlines,
the keeper's right, enrolments, approved corrections, client tokens) is read
once, and the new marks with their change records are inserted together at
the end; the number of queries does not grow with the cells.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ejournal.access.policy import Actor
from ejournal.curriculum.models import TeachingAssignment
from ejournal.people.models import Student
from ejournal.schools.models import Term
from ejournal.timetable.models import Lesson

from .. import sql
from ..batch import batch, batch_cache
from ..models import MARK_FAIL, MARK_PASS, Attendance, AttendanceCode, CorrectionRequest, Mark, WorkType
from ..rules import rules_for
from . import answer
from .attendance import attendance_clear, attendance_set
from .common import ConflictError, is_closed, related_or_none, ru_date, today
from .corrections import attendance_proposal, correction_request_file, mark_proposal
from .marks import cell_taken, mark_delete, mark_set, marks_defer, marks_flush
from .setup import work_types_ensure

if TYPE_CHECKING:
    from ..selectors.grid import AttendanceCell, MarkCell

MAX_CELLS = 1000
LATE = re.compile(r"^оп(\d*)$")
SPLIT = re.compile(r"[\s/,;]+")


@dataclass(frozen=True)
class CellEdit:
    """What the page sends for one cell: the typed text and the versions the teacher saw."""

    student_id: int
    lesson_id: int
    text: str
    attendance_version: int = 0
    mark_versions: tuple[tuple[int, int], ...] = ()
    token: str = ""


@dataclass(frozen=True)
class CellValue:
    """A parsed cell: attendance code (with minutes for «оп») and marks in order."""

    code: str = ""
    late_minutes: int | None = None
    marks: tuple[tuple[int | None, str], ...] = ()  # (value, symbol)


def cell_parse(text: str) -> CellValue:
    """Read «5», «5/4», «н», «оп10», «оп10 5», «зач»; refuse anything else with a Russian hint."""
    code, minutes = "", None
    marks: list[tuple[int | None, str]] = []
    for token in SPLIT.split(text.strip().lower().replace("ё", "е")):
        if not token:
            continue
        late = LATE.match(token)
        if token in (AttendanceCode.ABSENT, AttendanceCode.ILL, AttendanceCode.EXCUSED) or late:
            if code:
                raise ValidationError(_("В клетке может быть только одна отметка посещаемости."), code="parse")
            code = AttendanceCode.LATE if late else token
            if late:
                if not late.group(1):
                    raise ValidationError(_("Опоздание: введите «оп» и минуты без пробела, например «оп10»."),
                                          code="parse")  # fmt: skip
                minutes = int(late.group(1))
        elif token.isdigit() and len(token) == 1:
            marks.append((int(token), ""))
        elif token in (MARK_PASS, MARK_FAIL):
            marks.append((None, token))
        else:
            raise ValidationError(
                _("Не понимаю «%(text)s»: введите отметку (5, 4, 3, 2), «зач»/«незач», «н», «б», «уп» "
                  "или опоздание «оп10».") % {"text": token},
                code="parse",
            )  # fmt: skip
    return CellValue(code=code, late_minutes=minutes, marks=tuple(marks))


def cell_text(attendance: Attendance | AttendanceCell | None, marks: Sequence[Mark] | Sequence[MarkCell]) -> str:
    """The text the page shows in a cell, which `cell_parse` reads back to the same value."""
    parts = []
    if attendance is not None:
        late = attendance.late_minutes if attendance.code == AttendanceCode.LATE else ""
        parts.append(f"{attendance.code}{late or ''}")
    if marks:
        parts.append("/".join(m.display for m in marks))
    return " ".join(parts)


@dataclass
class _Cell:
    lesson: Lesson
    student: Student
    attendance: Attendance | None
    marks: list[Mark]


def journal_cells_set(
    *, assignment: TeachingAssignment, term: Term, edits: Sequence[CellEdit], actor: Actor
) -> list[tuple[int, int]]:
    """Apply the typed cells of one journal page, all or nothing; return the (student, lesson) keys written.

    Refusals carry the service's code («late» for a late write or a closed
    term: the page offers a correction request). With several cells the
    message names the student and the date.
    """
    if not edits:
        raise ValidationError(_("Нет отметок для сохранения."), code="empty")
    if len(edits) > MAX_CELLS:
        raise ValidationError(_("За один раз можно сохранить не больше %(n)s клеток.") % {"n": MAX_CELLS})
    with batch() as memo:
        try:
            with transaction.atomic():
                return _cells_set(assignment, term, edits, actor)
        except IntegrityError:
            # A concurrent request inserted marks first (`marks_flush`): a retry with the same tokens, or another
            # writer who added to the same cells (their slots are taken). Everything read in the rolled-back
            # transaction is dropped, and the batch runs once more: it finds the retry's marks by their tokens,
            # or sees the other writer's marks and answers with a conflict (`_check_versions`).
            memo.clear()
        try:
            with transaction.atomic():
                return _cells_set(assignment, term, edits, actor)
        except IntegrityError:
            raise ConflictError(cell_taken()) from None  # lost a race again: nothing is written


def _cells_set(
    assignment: TeachingAssignment, term: Term, edits: Sequence[CellEdit], actor: Actor
) -> list[tuple[int, int]]:
    cells, rows = _load(assignment, term, edits)
    lessons = {cell.lesson.pk: cell.lesson for cell in cells.values()}
    _term_known(assignment, term, lessons.values())
    approved: defaultdict[tuple[int | None, int | None], list[CorrectionRequest]] = defaultdict(
        list
    )  # the actor's approved corrections for these cells, read once (if they may apply)
    if _may_need_correction(assignment, term, lessons.values()):
        for request in CorrectionRequest.objects.filter(
            status=CorrectionRequest.Status.APPROVED, filed_by_id=actor.user_id,
            lesson_id__in={e.lesson_id for e in edits}, student_id__in={e.student_id for e in edits},
        ):  # fmt: skip
            approved[(request.student_id, request.lesson_id)].append(request)
    marks_defer()
    written: list[tuple[int, int]] = []
    after: dict[tuple[int, int], list[Any]] = {}  # (student, lesson) → [attendance, marks] as the writes leave the cell
    for edit in edits:
        cell = cells[(edit.student_id, edit.lesson_id)]
        try:
            if _apply(cell, edit, actor, approved[(edit.student_id, edit.lesson_id)], after):
                written.append((edit.student_id, edit.lesson_id))
        except ValidationError as exc:
            if len(edits) == 1:
                raise
            raise ValidationError(
                _("%(student)s, %(date)s: %(error)s")
                % {
                    "student": cell.student.full_name,
                    "date": ru_date(cell.lesson.date),
                    "error": " ".join(exc.messages),
                },
                code=getattr(exc, "code", None),
            ) from exc
    marks_flush()
    answer.keep(assignment.pk, term.pk, rows, after)
    return written


def _term_known(assignment: TeachingAssignment, term: Term, lessons: Iterable[Lesson]) -> None:
    """The batch knows the journal's term for its lessons (they lie in it), and its closure when the page read it."""
    cache = batch_cache()
    assert cache is not None  # a save runs in its batch
    for lesson in lessons:
        cache[("term_of", lesson.pk)] = term
    if hasattr(term, "is_closed"):  # `class_terms` read it with the terms
        cache[("closed", term.pk, assignment.school_class_id)] = term.is_closed


def _may_need_correction(assignment: TeachingAssignment, term: Term, lessons: Iterable[Lesson]) -> bool:
    """Whether some write may be late or in a closed term (only then is an approved correction used).

    Every deadline (marks, attendance) falls on the lesson's day or later, grace days aside.
    """
    grace = min(0, rules_for(assignment.school).same_day_grace_days)
    first = min(lesson.date for lesson in lessons) + dt.timedelta(days=grace)
    return today() > first or is_closed(term, assignment.school_class_id)


def _tokens_read(school_id: int, edits: Sequence[CellEdit], found: dict[str, Mark]) -> None:
    """Tell `mark_set` which of the tokens a retried batch sends already made marks (read with the cells)."""
    cache = batch_cache()
    if cache is not None:
        cache[("tokens", school_id)] = (_tokens(edits), found)


def _tokens(edits: Sequence[CellEdit]) -> set[str]:
    return {f"{e.token}:{n}" for e in edits if e.token for n in range(len(SPLIT.split(e.text.strip())))}


def _with_journal(lesson: Lesson, assignment: TeachingAssignment) -> Lesson:
    """The lesson with its school, class (its year and school) and subgroup: the journal's, read with it."""
    cls = assignment.school_class
    if cls.year_id == assignment.year_id:
        cls.year = assignment.year
    if cls.school_id == assignment.school_id:
        cls.school = assignment.school
    if (lesson.school_id, lesson.school_class_id) == (assignment.school_id, cls.pk):
        lesson.school, lesson.school_class = assignment.school, cls
    if lesson.subgroup_id is not None and lesson.subgroup_id == assignment.subgroup_id:
        lesson.subgroup = assignment.subgroup
    return lesson


def _students(assignment: TeachingAssignment, student_ids: set[int]) -> dict[int, Student]:
    """The cells' students, read with the class's enrolments (which the batch's enrolment checks then use).

    The class's rows stay in the batch: the save's answer lists the journal's students from them
    (`selectors.journal_students`). A student never enrolled in the class is read on their own (the
    enrolment check refuses them by name).
    """
    spans: dict[int, list] = defaultdict(list)
    students: dict[int, Student] = {}
    rows = []
    for sid, starts, ends, student in sql.class_enrolments(assignment.school_class_id):
        spans[sid].append((starts, ends))
        students.setdefault(sid, student)
        rows.append((sid, starts, ends, student))
    cache = batch_cache()
    if cache is not None:
        cache[("enrolments", assignment.school_class_id)] = dict(spans)
        cache[("class_enrolments", assignment.school_class_id)] = rows
    students = {pk: s for pk, s in students.items() if pk in student_ids and s.school_id == assignment.school_id}
    missing = student_ids - students.keys()
    if missing:
        students.update((s.pk, s) for s in Student.objects.filter(pk__in=missing, school_id=assignment.school_id))
    return students


def _lessons(assignment: TeachingAssignment, term: Term, lesson_ids: set[int]) -> tuple[dict[int, Lesson], list[int]]:
    """The cells' lessons, and the ids of all of the journal's lessons of the term (kept in the batch for the answer).

    One prepared read of plain rows (each lesson with its note); instances are made only for the cells' lessons.
    """
    from ..selectors import LessonRef

    kinds = {kind.pk: kind for kind in work_types_ensure(assignment.school).values()}
    rows = sql.journal_lessons(assignment, term)
    keys = [sql.lesson_key(row) for row in rows]
    cache = batch_cache()
    if cache is not None:
        cache[("journal_lessons", assignment.pk, term.pk)] = [LessonRef(*key) for key in keys]
    needed = {}
    for row, (pk, _date, _status) in zip(rows, keys, strict=True):
        if pk not in lesson_ids:
            continue
        lesson, note = sql.lesson_of(row)
        if note is not None:
            if note.work_type_id in kinds:
                note.work_type = kinds[note.work_type_id]  # the school's cached kinds of work, not a join
            note.lesson = lesson
        lesson._state.fields_cache["journal_note"] = note  # read with it: no query for a lesson without a note
        needed[lesson.pk] = _with_journal(lesson, assignment)
    return needed, [pk for pk, _date, _status in keys]


def _load(
    assignment: TeachingAssignment, term: Term, edits: Sequence[CellEdit]
) -> tuple[dict[tuple[int, int], _Cell], answer.Rows]:
    """The cells, and the rows of their students as read (for the answer: `answer.keep`)."""
    lesson_ids = {e.lesson_id for e in edits}
    student_ids = {e.student_id for e in edits}
    lessons, journal_ids = _lessons(assignment, term, lesson_ids)
    students = _students(assignment, student_ids)
    if lessons.keys() != lesson_ids or students.keys() != student_ids:
        raise ValidationError(_("Урок или ученик не из этого журнала. Обновите страницу."), code="unknown")
    marks, rows = _marks(assignment, edits, lesson_ids, student_ids, journal_ids)
    attendance = {
        (a.student_id, a.lesson_id): a
        for a in sql.cell_attendance(lesson_ids=sorted(lesson_ids), student_ids=sorted(student_ids))
    }
    cells = {
        (e.student_id, e.lesson_id): _Cell(
            lessons[e.lesson_id], students[e.student_id], attendance.get((e.student_id, e.lesson_id)),
            marks.get((e.student_id, e.lesson_id), []),
        )
        for e in edits
    }  # fmt: skip
    return cells, answer.Rows(frozenset(student_ids), frozenset(lesson_ids), rows, attendance)


def _marks(
    assignment: TeachingAssignment,
    edits: Sequence[CellEdit],
    lesson_ids: set[int],
    student_ids: set[int],
    journal_ids: list[int],
) -> tuple[dict[tuple[int, int], list[Mark]], dict[tuple[int, int], list[MarkCell]]]:
    """The cells' marks (instances) and their students' marks in the journal (`MarkCell`s), read at once.

    With them, the marks a retried save already made (by token): `mark_set` finds them there.
    """
    from ..selectors.grid import MarkCell

    tokens, found = _tokens(edits), {}
    marks: defaultdict[tuple[int, int], list[Mark]] = defaultdict(list)
    rows: defaultdict[tuple[int, int], list[MarkCell]] = defaultdict(list)
    kinds = {kind.pk: kind for kind in work_types_ensure(assignment.school).values()}
    journal = set(journal_ids)
    for mark in sql.cell_marks(lesson_ids=list(journal_ids), student_ids=sorted(student_ids),
                               school_id=assignment.school_id, tokens=sorted(tokens)):  # fmt: skip
        sid, lid, token = mark.student_id, mark.lesson_id, mark.client_token
        if sid in student_ids and lid in journal:
            rows[(sid, lid)].append(MarkCell(mark.pk, mark.version, mark.value, mark.symbol,
                                             mark.work_type_id, mark.weight))  # fmt: skip
        if not ((lid in lesson_ids and sid in student_ids) or token in tokens):
            continue
        if mark.work_type_id in kinds:
            mark.work_type = kinds[mark.work_type_id]  # the school's cached kinds of work, not a join
        if token in tokens:
            found[token] = mark
        if lid in lesson_ids and sid in student_ids:
            marks[(sid, lid)].append(mark)
    _tokens_read(assignment.school_id, edits, found)
    return marks, rows


def _code_of(attendance: Attendance | None) -> tuple[str, int | None]:
    return (attendance.code, attendance.late_minutes) if attendance else ("", None)


def _same(cell: _Cell, value: CellValue) -> bool:
    marks = [(m.value, m.symbol) for m in cell.marks]
    return _code_of(cell.attendance) == (value.code, value.late_minutes) and marks == list(value.marks)


@dataclass(frozen=True)
class _Op:
    """One write a cell needs: its correction kind and proposal, and how to make it."""

    kind: str
    proposal: dict
    action: str  # attendance_set, attendance_clear, mark_set, mark_delete
    mark: Mark | None = None
    new: tuple[int | None, str] | None = None
    index: int = 0


def _plan(cell: _Cell, value: CellValue) -> list[_Op]:
    ops = []
    if _code_of(cell.attendance) != (value.code, value.late_minutes):
        if value.code:
            proposal = attendance_proposal(code=value.code, late_minutes=value.late_minutes)
            ops.append(_Op("attendance", proposal, "attendance_set"))
        else:
            ops.append(_Op("attendance", attendance_proposal(), "attendance_clear"))
    wanted = list(value.marks)
    for n in range(max(len(wanted), len(cell.marks))):
        mark = cell.marks[n] if n < len(cell.marks) else None
        new = wanted[n] if n < len(wanted) else None
        if new is None:
            ops.append(_Op("mark", mark_proposal(mark=mark, delete=True), "mark_delete", mark=mark))
        elif mark is None or (mark.value, mark.symbol) != new:
            work_type = mark.work_type if mark is not None else default_mark_work_type(cell.lesson)
            proposal = mark_proposal(mark=mark, value=new[0], symbol=new[1], work_type=work_type)
            ops.append(_Op("mark", proposal, "mark_set", mark=mark, new=new, index=n))
    return ops


def _check_versions(cell: _Cell, edit: CellEdit) -> None:
    seen = tuple(sorted(edit.mark_versions))
    now = tuple(sorted((m.pk, m.version) for m in cell.marks))
    if seen != now or edit.attendance_version != (cell.attendance.version if cell.attendance else 0):
        raise ConflictError(
            _("Отметку уже изменил другой пользователь (сейчас: %(value)s).")
            % {"value": cell_text(cell.attendance, cell.marks) or _("пусто")}
        )


def _apply(cell: _Cell, edit: CellEdit, actor: Actor, approved: list[CorrectionRequest], after: dict) -> bool:
    value = cell_parse(edit.text)
    if _same(cell, value):
        return False  # already so: a retry, or the same change made elsewhere
    _check_versions(cell, edit)
    for op in _plan(cell, value):
        correction = next((r for r in approved if r.kind == op.kind and r.proposed == op.proposal), None)
        result = _run(cell, value, op, edit.token, correction, actor)
        answer.follow(after, (edit.student_id, edit.lesson_id), cell, op.action, op.mark, result)
    return True


def _run(
    cell: _Cell, value: CellValue, op: _Op, token: str, correction: CorrectionRequest | None, actor: Actor
) -> Attendance | Mark | None:
    """Make one write; return what it leaves (the attendance or the mark; None for a removal)."""
    lesson, student, current = cell.lesson, cell.student, cell.attendance
    if op.action == "attendance_clear":
        assert current is not None  # `_plan` clears only what is there
        attendance_clear(lesson=lesson, student=student, expected_version=current.version, correction=correction,
                         actor=actor)  # fmt: skip
        return None
    if op.action == "attendance_set":
        return attendance_set(
            lesson=lesson, student=student, code=value.code, late_minutes=value.late_minutes,
            expected_version=current.version if current else 0, correction=correction, actor=actor,
        )  # fmt: skip
    if op.action == "mark_delete":
        assert op.mark is not None  # `_plan` deletes a mark it names
        mark_delete(mark=op.mark, expected_version=op.mark.version, correction=correction, actor=actor)
        return None
    mark = op.mark
    assert op.new is not None  # `_plan` sets a value it names
    return mark_set(
        lesson=lesson, student=student, value=op.new[0], symbol=op.new[1],
        work_type=mark.work_type if mark else default_mark_work_type(lesson), mark=mark,
        expected_version=mark.version if mark else None,
        client_token=f"{token}:{op.index}" if token and mark is None else None, correction=correction,
        cell=cell.marks, actor=actor,
    )  # fmt: skip


def default_mark_work_type(lesson: Lesson) -> WorkType:
    """The kind of work a typed mark takes: the column's chosen kind, else a control work's, else a lesson answer."""
    note = related_or_none(lesson, "journal_note")
    if note is not None and note.work_type_id is not None and note.work_type.is_active:
        return note.work_type
    kinds = work_types_ensure(lesson.school)
    return kinds["test"] if note is not None and note.is_control_work and "test" in kinds else kinds["answer"]


def cell_correction_file(
    *, assignment: TeachingAssignment, term: Term, edit: CellEdit, reason: str, actor: Actor
) -> list[CorrectionRequest]:
    """File the correction requests a refused cell needs (one per write), with one reason, in one transaction."""
    cell = _load(assignment, term, [edit])[0][(edit.student_id, edit.lesson_id)]
    value = cell_parse(edit.text)
    ops = _plan(cell, value)
    if not ops:
        raise ValidationError(_("В клетке уже записано это значение: исправлять нечего."), code="same")
    current = cell_text(cell.attendance, cell.marks)
    with transaction.atomic():
        return [
            correction_request_file(
                kind=op.kind,
                proposed=op.proposal,
                reason=reason,
                lesson=cell.lesson,
                student=cell.student,
                current=current,
                actor=actor,
            )
            for op in ops
        ]
