"""The diary's week as plain values: what `week` reads and caches, `week_html` renders and the API serves."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from ejournal.timetable.models import Lesson

_CANCELLED, _MOVED = Lesson.Status.CANCELLED.value, Lesson.Status.MOVED.value  # plain str: compared per lesson


@dataclass(slots=True)
class WeekMark:
    display: str
    value: int | None
    name: str  # of the kind of work
    weight: Decimal
    comment: str

    @property
    def work_type(self) -> WeekMark:
        """`mark.work_type.name`, as a `Mark` reads."""
        return self


@dataclass(slots=True)
class WeekFile:
    pk: int
    name: str
    size: int


@dataclass(slots=True)
class WeekLesson:
    number: int
    subject: str
    time: str  # «08:25–09:05», empty without a bell
    status: str
    teacher: str
    substitute: str  # the substitute's full name, empty without a substitution
    teacher_short: str
    room: str
    change_note: str
    topic: str
    moved_to: tuple[dt.date, int] | None
    moved_from: dt.date | None
    homework_text: str | None = None
    homework_due: dt.date | None = None
    files: list[WeekFile] = field(default_factory=list)
    marks: list[WeekMark] = field(default_factory=list)
    attendance: str = ""

    @property
    def is_cancelled(self) -> bool:
        return self.status == _CANCELLED

    @property
    def is_moved(self) -> bool:
        return self.status == _MOVED


@dataclass(slots=True)
class WeekDue:
    subject: str
    text: str


@dataclass(slots=True)
class WeekDay:
    date: dt.date
    lessons: list[WeekLesson]
    due: list[WeekDue]

    @property
    def anchor(self) -> str:
        return f"day-{self.date:%Y%m%d}"


@dataclass(frozen=True, slots=True)
class WeekChild:
    id: int
    school_id: int
    full_name: str
    first_name: str
    class_label: str  # «5 «А»», empty without a class
    school: str  # the school's short name


@dataclass(frozen=True, slots=True)
class WeekAck:
    guardian_user_id: int
    at: dt.datetime
    who: str  # the guardian's short name


@dataclass(frozen=True, slots=True)
class WeekContent:
    student: WeekChild
    children: list[WeekChild]
    monday: dt.date
    today: dt.date
    acks: list[WeekAck]
    can_acknowledge: bool
    me: int  # the acting user
