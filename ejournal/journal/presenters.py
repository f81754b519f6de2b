"""Display rows for the journal's pages, prepared from the selectors' results (no queries here).

Templates only print what these rows hold: the text of a cell, its versions,
its CSS classes, the averages and the suggestion of a student.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from .averages import Suggestion
from .models import AttendanceCode, CorrectionRequest, Mark, PeriodMark, WorkType
from .selectors import ClassOverview, GridStudent, JournalGrid
from .services import allowed_period_values, cell_text
from .services.setup import DEFAULT_WORK_TYPE


@dataclass(frozen=True)
class CellView:
    student_id: int
    lesson_id: int
    text: str
    attendance_version: int
    marks: str  # "id.version,id.version": what the teacher saw (optimistic concurrency)
    css: str
    title: str
    active: bool
    label: str
    row: int
    col: int
    value: str = ""  # what the input shows: the saved text, or what was typed when the save failed
    state: str = ""  # saved, failed, conflict
    token: str = ""

    @property
    def dom_id(self) -> str:
        return f"c-{self.student_id}-{self.lesson_id}"


@dataclass(frozen=True)
class SummaryView:
    student_id: int
    average: Decimal | None
    plain: Decimal | None
    count: int
    required: int
    warning: str
    suggestion: str
    period_value: str
    period_version: int
    period_differs: bool

    @property
    def density_css(self) -> str:
        return "j-ok" if self.count >= self.required else "j-warn"


@dataclass(frozen=True)
class LessonView:
    id: int
    date: dt.date
    number: int
    topic: str
    homework: str
    files: int
    control: bool
    today: bool
    work: str = ""  # the kind of work typed marks take in this column
    weight: str = ""  # its weight as the teacher reads it: «1,5»


@dataclass
class RowView:
    number: int
    student: GridStudent
    cells: list[CellView] = field(default_factory=list)
    summary: SummaryView | None = None


def _mark_title(marks: Iterable[Mark], work_types: dict) -> str:
    parts = []
    for m in marks:
        kind = work_types.get(m.work_type_id)
        parts.append(_("%(mark)s — %(kind)s, вес %(weight)s") % {"mark": m.display, "kind": kind, "weight": m.weight})
    return "; ".join(parts)


def cell_view(grid: JournalGrid, row: GridStudent, lesson, r: int = 0, c: int = 0) -> CellView:
    key = (row.student.pk, lesson.pk)
    marks = grid.marks.get(key, [])
    attendance = grid.attendance.get(key)
    css = ["jc"]
    if attendance is not None:
        css.append("jc-late" if attendance.code == AttendanceCode.LATE else "jc-absent")
    active = row.active_on(lesson.date)
    if not active:
        css.append("jc-out")
    text = cell_text(attendance, marks)
    return CellView(
        student_id=row.student.pk, lesson_id=lesson.pk, text=text, value=text, row=r, col=c,
        label=f"{row.student.full_name}, {lesson.date:%d.%m}",
        attendance_version=attendance.version if attendance else 0,
        marks=",".join(f"{m.pk}.{m.version}" for m in marks), css=" ".join(css),
        title=_mark_title(marks, grid.work_types), active=active,
    )  # fmt: skip


def summary_view(suggestion: Suggestion, period: PeriodMark | None, student_id: int) -> SummaryView:
    value = period.value if period else ""
    return SummaryView(
        student_id=student_id, average=suggestion.average, plain=suggestion.plain_average, count=suggestion.count,
        required=suggestion.required, warning=suggestion.warning, suggestion=suggestion.value, period_value=value,
        period_version=period.version if period else 0,
        period_differs=bool(value and suggestion.value and value != suggestion.value),
    )  # fmt: skip


def _default_kind(note, kinds: list[WorkType]) -> WorkType | None:
    code = "test" if note is not None and note.is_control_work else DEFAULT_WORK_TYPE
    return next((w for w in kinds if w.code == code), None)


def column_work_type(*, note, work_types: Iterable[WorkType]) -> WorkType | None:
    """The kind of work marks typed into a lesson's column take (as `services.cells.default_mark_work_type`)."""
    kinds = list(work_types)
    if note is not None and note.work_type_id is not None:
        chosen = next((w for w in kinds if w.pk == note.work_type_id), None)
        if chosen is not None and chosen.is_active:
            return chosen
    return _default_kind(note, kinds)


def weight_text(kind: WorkType | None) -> str:
    return number_format(kind.weight.normalize()) if kind is not None else ""


def default_work_label(note, work_types: Iterable[WorkType]) -> str:
    """«по умолчанию: …»: what an unchosen column takes, for the kind-of-work menu."""
    default = _default_kind(note, list(work_types))
    return _("по умолчанию: %(name)s") % {"name": default.name} if default else _("по умолчанию")


def lesson_view(lesson, today: dt.date, work_types: Iterable[WorkType] = ()) -> LessonView:
    homework = lesson.homework_or_none
    note = lesson.note_or_none
    kind = column_work_type(note=note, work_types=work_types)
    return LessonView(
        id=lesson.pk, date=lesson.date, number=lesson.lesson_number, topic=lesson.topic,
        homework=homework.text if homework else "", files=lesson.attachment_count,
        control=bool(note and note.is_control_work), today=lesson.date == today,
        work=kind.name if kind else "", weight=weight_text(kind),
    )  # fmt: skip


def grid_rows(grid: JournalGrid, only: set[int] | None = None) -> list[RowView]:
    """One row per student (or only these students): the cells in lesson order and the summary."""
    rows = []
    for n, row in enumerate(grid.students, start=1):
        if only is not None and row.student.pk not in only:
            continue
        view = RowView(number=n, student=row)
        view.cells = [cell_view(grid, row, lesson, n - 1, c) for c, lesson in enumerate(grid.lessons)]
        view.summary = summary_view(
            grid.summaries[row.student.pk], grid.period_marks.get(row.student.pk), row.student.pk
        )
        rows.append(view)
    return rows


def changed_cells(grid: JournalGrid, edits: Iterable, state: str) -> list[CellView]:
    """The cells to swap into the page after a save (out of band); a failed cell keeps what was typed."""
    by_key = {(e.student_id, e.lesson_id): e for e in edits}
    rows = {r.student.pk: (n, r) for n, r in enumerate(grid.students)}
    views = []
    for c, lesson in enumerate(grid.lessons):
        for sid, (n, row) in rows.items():
            edit = by_key.get((sid, lesson.pk))
            if edit is None:
                continue
            view = replace(cell_view(grid, row, lesson, n, c), state=state)
            if state == "failed":
                view = replace(view, value=edit.text, token=edit.token)
            views.append(view)
    return views


def period_choices(grid: JournalGrid) -> tuple[str, ...]:
    return allowed_period_values(grid.scale)


@dataclass(frozen=True)
class OverviewRow:
    number: int
    student: GridStudent
    cells: list
    absences: dict[str, int]
    missed: int


def overview_rows(overview: ClassOverview) -> list[OverviewRow]:
    """The class teacher's table: per subject the average, the number of marks, the term mark; absences by code."""
    rows = []
    codes = [c.value for c in AttendanceCode]
    for n, row in enumerate(overview.students, start=1):
        sid = row.student.pk
        cells = [overview.cells.get((sid, subject.pk)) for subject in overview.subjects]
        absences = overview.absences.get(sid, {})
        by_code = {code: absences.get(code, 0) for code in codes}
        missed = sum(v for code, v in by_code.items() if code != AttendanceCode.LATE)
        rows.append(OverviewRow(number=n, student=row, cells=cells, absences=by_code, missed=missed))
    return rows


def correction_summary(request: CorrectionRequest) -> str:
    """What a correction request asks, in words, for the queue."""
    proposed = request.proposed or {}
    if proposed.get("delete"):
        return _("удалить отметку")
    if request.kind == "mark":
        value = proposed.get("value") or proposed.get("symbol")
        return _("отметка «%(value)s»") % {"value": value}
    if request.kind == "attendance":
        code = proposed.get("code") or _("присутствовал")
        minutes = proposed.get("late_minutes")
        return f"{code}{minutes or ''}"
    if request.kind in ("topic", "homework"):
        return proposed.get("topic") or proposed.get("text") or ""
    return str(proposed.get("value", ""))


def lesson_header(lesson, homework, note, attachments, kind: WorkType | None = None) -> LessonView:
    """The column header after an edit in the panel (swapped out of band into the grid)."""
    return LessonView(
        id=lesson.pk, date=lesson.date, number=lesson.lesson_number, topic=lesson.topic,
        homework=homework.text if homework else "", files=len(attachments), control=bool(note and note.is_control_work),
        today=lesson.date == timezone.localdate(), work=kind.name if kind else "", weight=weight_text(kind),
    )  # fmt: skip


def edits_json(edits) -> str:
    """The cells as the page sends them (to carry a refused cell into the correction request form)."""
    return json.dumps(
        [
            {"student": e.student_id, "lesson": e.lesson_id, "text": e.text, "att": e.attendance_version,
             "marks": ",".join(f"{pk}.{v}" for pk, v in e.mark_versions), "token": e.token}
            for e in edits
        ],
        ensure_ascii=False,
    )  # fmt: skip
