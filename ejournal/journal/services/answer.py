"""What a save leaves in its students' rows, kept in the batch for the save's answer (`selectors.journal_cells`).

`journal_cells_set` reads the marks of the cells' students across the
journal's lessons once: the cells' marks as model instances (the version
checks and the writes use them), all of them as tuples (the answer's
averages). Each write is followed cell by cell (`follow`); after the new
marks are inserted (their ids known) `keep` leaves the rows as the database
now holds them, so the answer reads only the period marks. Nothing is kept
when the save fails: the answer then reads the rows again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..batch import batch_cache
from ..models import Attendance, Mark

if TYPE_CHECKING:
    from ..selectors.grid import AttendanceCell, MarkCell


@dataclass
class Rows:
    """What the save read before its writes: the students' marks in the journal's lessons, the cells' attendance."""

    students: frozenset[int]
    lessons: frozenset[int]  # the cells' lessons
    marks: dict[tuple[int, int], list]  # (student, lesson) → `MarkCell`s, in the order given
    attendance: dict[tuple[int, int], Attendance]  # of the students × the cells' lessons


@dataclass(frozen=True)
class Answer:
    """The rows after the writes: marks (`MarkCell`s) and the cells' attendance (`AttendanceCell`s)."""

    students: frozenset[int]
    lessons: frozenset[int]
    marks: dict[tuple[int, int], list[MarkCell]]
    attendance: dict[tuple[int, int], AttendanceCell]


def key(assignment_id: int, term_id: int) -> tuple:
    return ("answer", assignment_id, term_id)


def mark_cell(mark: Mark) -> MarkCell:
    """The mark as the grid shows it."""
    from ..selectors.grid import MarkCell

    return MarkCell(mark.pk, mark.version, mark.value, mark.symbol, mark.work_type_id, mark.weight)


def follow(
    after: dict[tuple[int, int], list[Any]],
    cell_key: tuple[int, int],
    cell: Any,
    action: str,
    old: Mark | None,
    result: Any,
) -> None:
    """Note in `after` what one write (`action` on the mark `old`, giving `result`) left in the cell."""
    state = after.setdefault(cell_key, [cell.attendance, list(cell.marks)])
    marks = state[1]
    if action == "attendance_clear":
        state[0] = None
    elif action == "attendance_set":
        state[0] = result
    elif action == "mark_delete":
        state[1] = [m for m in marks if m is not old]
    elif old is not None:
        state[1] = [result if m is old else m for m in marks]
    elif not any(m is result or (m.pk is not None and m.pk == result.pk) for m in marks):
        marks.append(result)  # a new mark (a retried token gives the one it made)


def keep(assignment_id: int, term_id: int, rows: Rows, after: dict) -> None:
    """Leave the rows as the writes made them for the answer (call once the new marks are inserted)."""
    from ..selectors.grid import AttendanceCell

    cache = batch_cache()
    if cache is None:
        return
    marks = dict(rows.marks)
    attendance: dict[tuple[int, int], Attendance | None] = dict(rows.attendance)
    for cell_key, (now, cell_marks) in after.items():
        marks[cell_key] = [mark_cell(m) for m in cell_marks]
        attendance[cell_key] = now
    cache[key(assignment_id, term_id)] = Answer(
        students=rows.students, lessons=rows.lessons, marks={k: v for k, v in marks.items() if v},
        attendance={k: AttendanceCell(a.code, a.late_minutes, a.version) for k, a in attendance.items() if a},
    )  # fmt: skip
