"""Display rows for the journal's pages, prepared from the selectors' results (no queries here).

Templates only print what these rows hold: the text of a cell, its versions,
its CSS classes, the averages and the suggestion of a student.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from types import SimpleNamespace

from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.formats import get_format, number_format
from django.utils.translation import gettext as _

from ejournal.access.roles import Role

from .averages import Suggestion
from .models import MARK_FAIL, AttendanceCode, CorrectionRequest, PeriodKind, PeriodMark, WorkType
from .selectors import ClassOverview, GridStudent, JournalGrid, MarkCell
from .services import cell_text
from .services.common import ru_date
from .services.setup import DEFAULT_WORK_TYPE


@dataclass(slots=True)
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

    @property
    def invalid(self) -> bool:
        return self.state in ("failed", "conflict")


CENT = Decimal("0.01")


def _two_decimals(value: Decimal | None) -> str:
    """An average as the `floatformat:2` filter shows it («4,50»; «—» for none), without the filter's cost."""
    if value is None:
        return "—"
    return f"{value.quantize(CENT, ROUND_HALF_UP):f}".replace(".", get_format("DECIMAL_SEPARATOR"))


def history_url_pattern() -> str:
    """The cell history's address with «{lesson}» and «{student}» for `str.format` (one `reverse` per page)."""
    return url_pattern("journal:cell_history", "lesson_id", "student_id").format("{lesson}", "{student}")


def url_pattern(name: str, *kwargs: str) -> str:
    """`reverse(name)` with «{}» for each of the integer `kwargs`, for `str.format` (a page has many such links)."""
    return _url_pattern(name, kwargs, get_script_prefix())


@functools.lru_cache(maxsize=64)
def _url_pattern(name: str, kwargs: tuple[str, ...], _prefix: str) -> str:
    markers = {key: 900000001 + n for n, key in enumerate(kwargs)}
    url = reverse(name, kwargs=markers).replace("{", "{{").replace("}", "}}")
    for value in markers.values():
        url = url.replace(str(value), "{}", 1)
    return url


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

    @property
    def average_text(self) -> str:
        return _two_decimals(self.average)

    @property
    def plain_text(self) -> str:
        return _two_decimals(self.plain)


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

    @property
    def option(self) -> str:
        """The lesson in the page's lesson menus: «05.09, 3 урок»."""
        return f"{self.date:%d.%m}, {self.number} {_('урок')}"

    @property
    def panel_url(self) -> str:
        """The lesson panel's address (the column header's button)."""
        return url_pattern("journal:lesson_panel", "lesson_id").format(self.id)


@dataclass
class RowView:
    number: int
    student: GridStudent
    cells: list[CellView] = field(default_factory=list)
    summary: SummaryView | None = None


class _Cells:
    """Builds the grid's cells: what every cell of a row or a column shares is prepared once."""

    def __init__(self, grid: JournalGrid):
        self.grid = grid
        self.kinds = {pk: str(w) for pk, w in grid.work_types.items()}
        self.title_format = _("%(mark)s — %(kind)s, вес %(weight)s")
        self.dates = {lesson.pk: f"{lesson.date:%d.%m}" for lesson in grid.lessons}

    def title(self, marks: Iterable[MarkCell]) -> str:
        return "; ".join(
            self.title_format % {"mark": m.display, "kind": self.kinds.get(m.work_type_id), "weight": m.weight}
            for m in marks
        )

    def __call__(self, row: GridStudent, name: str, lesson, r: int, c: int) -> CellView:
        key = (row.student.pk, lesson.pk)
        marks = self.grid.marks.get(key, ())
        attendance = self.grid.attendance.get(key)
        css = "jc"
        if attendance is not None:
            css += " jc-late" if attendance.code == AttendanceCode.LATE else " jc-absent"
        active = row.active_on(lesson.date)
        # No lesson to write on (cancelled, moved, ahead): an empty cell is read-only; one holding something can be
        # cleared (the services refuse any new value there).
        locked = self.grid.locked.get(lesson.pk, "") if active and not (marks or attendance) else ""
        if not active:
            css += " jc-out"
        elif locked:
            css += " jc-locked"
        text = cell_text(attendance, marks)
        return CellView(
            student_id=key[0], lesson_id=key[1], text=text, value=text, row=r, col=c,
            label=f"{name}, {self.dates[lesson.pk]}", attendance_version=attendance.version if attendance else 0,
            marks=",".join(f"{m.pk}.{m.version}" for m in marks), css=css,
            title=self.title(marks) if marks else locked, active=active and not locked,
        )  # fmt: skip


def cell_view(grid: JournalGrid, row: GridStudent, lesson, r: int = 0, c: int = 0) -> CellView:
    return _Cells(grid)(row, row.student.full_name, lesson, r, c)


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


def grid_rows(grid: JournalGrid) -> list[RowView]:
    """One row per student: the cells in lesson order and the summary (journal/partials/row.html)."""
    make, rows = _Cells(grid), []
    for n, row in enumerate(grid.students, start=1):
        sid = row.student.pk
        view = RowView(number=n, student=row)
        name = row.student.full_name
        view.cells = [make(row, name, lesson, n - 1, c) for c, lesson in enumerate(grid.lessons)]
        view.summary = summary_view(grid.summaries[sid], grid.period_marks.get(sid), sid)
        rows.append(view)
    return rows


def changed_cells(grid: JournalGrid, edits: Iterable, state: str) -> list[CellView]:
    """The cells to swap into the page after a save (out of band); a failed cell keeps what was typed."""
    by_key = {(e.student_id, e.lesson_id): e for e in edits}
    rows = {r.student.pk: (n, r) for n, r in enumerate(grid.students)}
    make, views = _Cells(grid), []
    for c, lesson in enumerate(grid.lessons):
        for sid, (n, row) in rows.items():
            edit = by_key.get((sid, lesson.pk))
            if edit is None:
                continue
            view = make(row, row.student.full_name, lesson, n, c)
            view.state = state
            if state == "failed":
                view.value, view.token = edit.text, edit.token
            views.append(view)
    return views


def saved_views(grid: JournalGrid, edits: Iterable, state: str) -> tuple[list[CellView], list[SummaryView]]:
    """A save's out-of-band part (journal/partials/saved_oob.html): the sent cells (saved, failed or current) and
    their students' summaries."""
    summaries = [
        summary_view(suggestion, grid.period_marks.get(sid), sid) for sid, suggestion in grid.summaries.items()
    ]
    return changed_cells(grid, edits, state), summaries


FAILING_PERIOD_MARKS = frozenset({"2", "1", "н/а", MARK_FAIL})


@dataclass(frozen=True)
class OverviewCellView:
    cell: object  # selectors' OverviewCell, or None: no lessons of the subject for the student
    failing: bool


@dataclass(frozen=True)
class OverviewRow:
    number: int
    student: GridStudent
    cells: list[OverviewCellView]
    absences: dict[str, int]
    missed: int
    failing: int  # subjects with a failing term mark or average


def overview_rows(overview: ClassOverview, pass_average: Decimal | None = None) -> list[OverviewRow]:
    """The class teacher's table: per subject the average, the number of marks, the term mark; absences by code.

    A subject is failing for the student when the term mark is «2», «1», «н/а» or «незач», or, before a term mark,
    when the weighted average is under `pass_average` (the Regulation's lowest threshold for a «3»).
    """
    rows = []
    codes = [c.value for c in AttendanceCode]
    for n, row in enumerate(overview.students, start=1):
        sid = row.student.pk
        cells = []
        for subject in overview.subjects:
            cell = overview.cells.get((sid, subject.pk))
            failing = cell is not None and (
                cell.period_mark in FAILING_PERIOD_MARKS
                or (not cell.period_mark and pass_average is not None and cell.average is not None
                    and cell.average < pass_average)
            )  # fmt: skip
            cells.append(OverviewCellView(cell=cell, failing=failing))
        absences = overview.absences.get(sid, {})
        by_code = {code: absences.get(code, 0) for code in codes}
        missed = sum(v for code, v in by_code.items() if code != AttendanceCode.LATE)
        rows.append(
            OverviewRow(
                number=n,
                student=row,
                cells=cells,
                absences=by_code,
                missed=missed,
                failing=sum(c.failing for c in cells),
            )
        )
    return rows


def correction_new_value(request: CorrectionRequest) -> str:
    """What a correction request would put into the journal, as the page shows it («5», «н», «удалить отметку»)."""
    proposed = request.proposed or {}
    if proposed.get("delete"):
        return _("удалить отметку")
    if request.kind == "mark":
        return str(proposed.get("value") or proposed.get("symbol") or "")
    if request.kind == "attendance":
        code = proposed.get("code")
        if not code:
            return _("присутствовал")
        return f"{code}{proposed.get('late_minutes') or ''}"
    if request.kind in ("topic", "homework"):
        return proposed.get("topic") or proposed.get("text") or ""
    return str(proposed.get("value", ""))


@dataclass(slots=True)
class CorrectionRow:
    """A correction request as the deputy head and the teacher read it: where, whom, was → would be, the decision."""

    request: CorrectionRequest
    kind: str
    where: str
    student: str
    old: str
    new: str
    status: str
    unseen: bool


def correction_rows(requests: Iterable[CorrectionRequest]) -> list[CorrectionRow]:
    rows = []
    for r in requests:
        if r.lesson:
            lesson = r.lesson
            where = f"{ru_date(lesson.date)}, {lesson.subject}, {lesson.school_class}"
        else:
            period_kind = (r.proposed or {}).get("kind", PeriodKind.TERM)
            period = r.term if period_kind == PeriodKind.TERM else PeriodKind(period_kind).label
            where = ", ".join(str(x) for x in (r.subject, period) if x)
        rows.append(
            CorrectionRow(
                request=r,
                kind=r.get_kind_display(),
                where=where,
                student=r.student.full_name if r.student else "",
                old=r.current,
                new=correction_new_value(r),
                status=r.get_status_display(),
                unseen=r.decided_at is not None and r.decision_seen_at is None,
            )
        )
    return rows


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


@dataclass(slots=True)
class HistoryRow:
    """One change of a cell or lesson as a person reads it: what, old → new, who in which role, when, why."""

    at: dt.datetime
    what: str
    old: str
    new: str
    who: str
    role: str
    reason: str
    late: bool
    correction_id: int | None


def _history_labels() -> dict[str, str]:
    return {
        "value": _("Отметка"),
        "symbol": _("Отметка"),
        "work_type": _("Вид работы"),
        "comment": _("Комментарий к отметке"),
        "attendance": _("Посещаемость"),
        "late_minutes": _("Опоздание, минут"),
        "reason_note": _("Причина пропуска"),
        "topic": _("Тема урока"),
        "is_control_work": _("Контрольная работа"),
        "planned_topic": _("Тема по КТП"),
        "text": _("Домашнее задание"),
        "due_date": _("Выполнить к дате"),
        "term": _("Отметка за период"),
        "year": _("Годовая отметка"),
        "exam": _("Экзаменационная отметка"),
        "final": _("Итоговая отметка"),
    }


def _history_value(field: str, value: str) -> str:
    if field == "attendance":
        if not value:
            return _("присутствовал")
        return str(AttendanceCode(value).label) if value in AttendanceCode.values else value
    return value


def history_rows(records: Iterable) -> list[HistoryRow]:
    """Change records with Russian labels and values instead of field names and codes (the history panel)."""
    labels, roles = _history_labels(), dict(Role.choices)
    rows = []
    for r in records:
        what = _("Файл к заданию") if r.field.startswith("file:") else labels.get(r.field, r.field)
        actor = r.actor
        rows.append(
            HistoryRow(
                at=r.at,
                what=what,
                old=_history_value(r.field, r.old),
                new=_history_value(r.field, r.new),
                who=actor.get_full_name() if actor else "",
                role=str(roles.get(r.actor_role, "")),
                reason=r.reason,
                late=r.is_late,
                correction_id=r.correction_request_id,
            )
        )
    return rows


@dataclass(slots=True)
class CorrectionCell:
    """The cell a correction request is filed for: whose, which lesson, what it holds, what was typed."""

    student: str
    date: dt.date
    current: str
    typed: str


def correction_cell(grid: JournalGrid, edit) -> CorrectionCell | None:
    row = next((r for r in grid.students if r.student.pk == edit.student_id), None)
    lesson = next((x for x in grid.lessons if x.pk == edit.lesson_id), None)
    if row is None or lesson is None:
        return None
    view = cell_view(grid, row, lesson)
    return CorrectionCell(student=row.student.full_name, date=lesson.date, current=view.text, typed=edit.text)


@dataclass(slots=True)
class YearOverviewCell:
    year: str
    exam: str
    final: str
    has_exam: bool

    @property
    def failing(self) -> bool:
        return (self.final or self.year) in FAILING_PERIOD_MARKS


def class_year_rows(view) -> list[SimpleNamespace]:
    """The class teacher's year table: per student, per subject the year, exam and final marks; failing counted."""
    rows = []
    for s in view.students:
        cells = []
        for subject in view.subjects:
            marks = view.marks.get((s.student.pk, subject.pk), {})
            cells.append(YearOverviewCell(marks.get("year", ""), marks.get("exam", ""), marks.get("final", ""),
                                          subject.pk in view.exams))  # fmt: skip
        rows.append(SimpleNamespace(student=s.student, cells=cells, failing=sum(c.failing for c in cells)))
    return rows
