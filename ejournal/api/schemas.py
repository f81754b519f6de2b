"""What the open API answers: pydantic schemas, the OpenAPI description's components."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from ninja import Field, Schema
from pydantic import AfterValidator

MAX_ID = 2**63 - 1  # a bigint: a larger id cannot exist (and the database would refuse to compare it)
MAX_VERSION = 2**31 - 1


def _no_nul(value: str) -> str:
    """Text with a NUL character is refused (PostgreSQL cannot store it), as Django's forms refuse it."""
    if "\x00" in value:
        raise ValueError("NUL")
    return value


Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Version = Annotated[int, Field(ge=0, le=MAX_VERSION)]
Text = Annotated[str, AfterValidator(_no_nul)]


class Page(Schema):
    count: int = Field(description="Сколько всего записей")
    page: int = Field(description="Номер страницы, с 1")
    per_page: int
    pages: int


# --- families -------------------------------------------------------------------------------------


class ChildOut(Schema):
    id: int
    full_name: str
    class_label: str = Field(description="Класс, например «5 «А»»; пусто без класса")
    school: str


class ChildrenPage(Page):
    items: list[ChildOut]


class WeekMarkOut(Schema):
    display: str = Field(description="Отметка как в дневнике: «5», «зач», «н/а»")
    value: int | None
    work_type: str
    weight: Decimal
    comment: str


class WeekFileOut(Schema):
    id: int
    name: str
    size: int
    url: str = Field(description="Адрес файла в API (тот же токен)")


class WeekLessonOut(Schema):
    number: int
    subject: str
    time: str
    status: str = Field(description="scheduled, cancelled, moved, extra…")
    teacher: str
    substitute: str
    room: str
    change_note: str
    topic: str
    moved_to: dt.date | None
    moved_from: dt.date | None
    homework: str | None
    homework_due: dt.date | None
    files: list[WeekFileOut]
    marks: list[WeekMarkOut]
    attendance: str


class WeekDueOut(Schema):
    subject: str
    text: str


class WeekDayOut(Schema):
    date: dt.date
    lessons: list[WeekLessonOut]
    due: list[WeekDueOut] = Field(description="Домашние задания со сроком в этот день")


class AckOut(Schema):
    who: str
    at: dt.datetime


class WeekOut(Schema):
    student: ChildOut
    week: str = Field(description="Неделя ISO: 2026-W37")
    monday: dt.date
    can_acknowledge: bool
    acknowledged: list[AckOut]
    days: list[WeekDayOut]


class TermOut(Schema):
    id: int
    name: str
    starts_on: dt.date
    ends_on: dt.date


class MarkOut(Schema):
    date: dt.date
    display: str
    value: int | None
    work_type: str
    weight: Decimal


class SubjectMarksOut(Schema):
    subject: str
    marks: list[MarkOut] = Field(description="Отметки периода (пусто в годовом виде)")
    average: Decimal | None
    period_mark: str = Field(description="Отметка за период (в годовом виде — годовая)")
    period_marks: dict[str, str] = Field(description="Годовой вид: отметки за периоды по id периода, year, exam, final")


class AbsencesOut(Schema):
    absent: int
    ill: int
    excused: int
    late: int


class MarksOut(Schema):
    student_id: int
    term: TermOut | None = Field(description="null — годовой вид")
    terms: list[TermOut]
    subjects: list[SubjectMarksOut]
    absences: AbsencesOut | None


class HomeworkOut(Schema):
    date: dt.date
    subject: str
    text: str
    due: dt.date | None
    files: list[WeekFileOut]


class HomeworkList(Schema):
    student_id: int
    week: str
    items: list[HomeworkOut]


class AcknowledgeIn(Schema):
    week: Text = Field(description="Неделя ISO, например 2026-W37", max_length=20)


class AcknowledgeOut(Schema):
    student_id: int
    week: str
    at: dt.datetime


# --- staff --------------------------------------------------------------------------------------------


class TimetableLessonOut(Schema):
    id: int
    date: dt.date
    number: int
    time: str
    class_label: str
    subject: str
    room: str
    status: str
    is_substitution: bool
    assignment_id: int | None


class TimetableOut(Schema):
    first: dt.date
    last: dt.date
    lessons: list[TimetableLessonOut]


class JournalOut(Schema):
    assignment_id: int
    class_label: str
    subgroup: str
    subject: str
    current_term_id: int | None


class JournalsPage(Page):
    items: list[JournalOut]


class GridStudentOut(Schema):
    id: int
    full_name: str
    arrived_on: dt.date | None
    left_on: dt.date | None


class GridLessonOut(Schema):
    id: int
    date: dt.date
    number: int
    status: str
    topic: str
    locked: str = Field(description="Почему в клетки урока нельзя писать; пусто — можно")


class GridMarkOut(Schema):
    id: int
    version: int
    display: str
    work_type_id: int
    weight: Decimal


class GridCellOut(Schema):
    student_id: int
    lesson_id: int
    text: str = Field(description="Клетка как в журнале: «5/4», «н», «оп10 5»")
    attendance_version: int
    marks: list[GridMarkOut]


class JournalGridOut(Schema):
    assignment_id: int
    term: TermOut
    closed: bool
    editable: bool
    students: list[GridStudentOut]
    lessons: list[GridLessonOut]
    cells: list[GridCellOut]


class MarkVersionIn(Schema):
    id: Id
    version: Version


class CellIn(Schema):
    student_id: Id
    lesson_id: Id
    text: Text = Field(max_length=60, description="Что записать: «5», «5/4», «н», «оп10 4», «зач», пусто — очистить")
    attendance_version: Version = Field(0, description="Версия посещаемости, которую видел клиент")
    marks: list[MarkVersionIn] = Field(
        default_factory=list, description="Отметки клетки и их версии, как их видел клиент"
    )
    token: Text = Field("", max_length=60, description="Ключ клиента: повтор с тем же ключом не создаст вторую отметку")


class CellsIn(Schema):
    cells: list[CellIn] = Field(min_length=1, max_length=1000)


class CellsOut(Schema):
    saved: int
    cells: list[GridCellOut]


class CorrectionIn(Schema):
    cell: CellIn
    reason: Text = Field(min_length=1, max_length=2000)


class CorrectionOut(Schema):
    id: int
    status: str


# --- the city exchange -----------------------------------------------------------------------------------


class StageOut(Schema):
    stage: str
    label: str
    planned_on: dt.date | None
    actual_on: dt.date | None


class ScheduleSchoolOut(Schema):
    school_id: int
    school: str
    district: str
    complex: str
    status: str
    stages: list[StageOut]


class SchedulePage(Page):
    items: list[ScheduleSchoolOut]


class FiguresIn(Schema):
    values: dict[Annotated[str, Field(max_length=60)], Text | int | float | None] = Field(
        description="Показатели по ключам полей отчёта (как столбцы файла выгрузки); строки — как в файле"
    )


class SchoolFiguresOut(Schema):
    school_id: int
    year: int
    month: int
    report_status: str = Field(description="draft, submitted, returned, accepted")
    values: dict[str, str | int | None]


class DistrictFiguresOut(Schema):
    district_id: int
    district: str
    report_status: str | None
    totals: dict[str, str | int | None]


class CityFiguresOut(Schema):
    year: int
    month: int
    districts: list[DistrictFiguresOut]
    totals: dict[str, str | int | None]
