"""Rows of a timetable file: class, weekday, lesson number, subject, teacher, room, subgroup, week.

The file is the whole weekly timetable of every class it names: from the
start date each such class has exactly the file's lessons. Loading the same
file again changes nothing.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ejournal.access.policy import Actor
from ejournal.core.imports import fields as f
from ejournal.core.imports.base import Importer, Row
from ejournal.curriculum.models import Subject, TeachingAssignment
from ejournal.people.imports.classes import ClassImporter
from ejournal.schools.models import SchoolClass, Subgroup

from ..calendar import MAX_LESSON_NUMBER, SchoolCalendar
from ..models import Room
from ..services import timetable_cells_set
from ..services.entries import Item, entries_at

CLASS = f.Column("class_name", "Класс", required=True)
WEEKDAY = f.Column("weekday", "День недели", ("День",), required=True)
NUMBER = f.Column("number", "Номер урока", ("Урок", "№ урока", "Урок №"), required=True)
SUBJECT = f.Column("subject", "Предмет", required=True)
TEACHER = f.Column("teacher", "Учитель", ("Педагог", "Учитель (логин или ФИО)"), required=True)
ROOM = f.Column("room", "Кабинет", ("Каб.", "Аудитория"))
SUBGROUP = f.Column("subgroup", "Подгруппа", ("Группа",))
WEEK = f.Column("week", "Неделя", ("Чередование",))

WEEKDAY_NAMES = {
    "1": 1, "пн": 1, "понедельник": 1, "2": 2, "вт": 2, "вторник": 2, "3": 3, "ср": 3, "среда": 3,
    "4": 4, "чт": 4, "четверг": 4, "5": 5, "пт": 5, "пятница": 5, "6": 6, "сб": 6, "суббота": 6,
}  # fmt: skip
WEEK_NAMES = {"": 0, "каждая": 0, "все": 0, "0": 0, "нечетная": 1, "нечет": 1, "1": 1, "четная": 2, "чет": 2, "2": 2}


def weekday(value: str) -> int:
    try:
        return WEEKDAY_NAMES[f.header_key(value)]
    except KeyError:
        raise f.CellError(_("День недели — от понедельника до субботы, например «Пн» или «понедельник».")) from None


def lesson_number(value: str) -> int:
    if not value.isdigit() or not 1 <= int(value) <= MAX_LESSON_NUMBER:
        raise f.CellError(_("Номер урока должен быть от 1 до 12"))
    return int(value)


def week(value: str) -> int:
    try:
        return WEEK_NAMES[f.header_key(value)]
    except KeyError:
        raise f.CellError(_("Неделя: «каждая», «нечётная» или «чётная».")) from None


class TimetableImporter(Importer):
    kind = "timetable"
    title = gettext_lazy("Расписание уроков")
    columns = (CLASS, WEEKDAY, NUMBER, SUBJECT, TEACHER, ROOM, SUBGROUP, WEEK)
    examples = (
        {"class_name": "5А", "weekday": "Пн", "number": "1", "subject": "Математика",
         "teacher": "Попова Елена Сергеевна", "room": "101"},
        {"class_name": "5А", "weekday": "Пн", "number": "2", "subject": "Иностранный язык (английский)",
         "teacher": "Волков Игорь Николаевич", "room": "204", "subgroup": "1 группа", "week": "нечётная"},
    )  # fmt: skip

    def __init__(self, ctx):
        super().__init__(ctx)
        self.valid_from = ctx.enrol_from
        self.calendar = SchoolCalendar.load(ctx.school, ctx.year)
        self.teachers = ClassImporter(ctx)
        self.subjects = {s.name.lower(): s for s in Subject.objects.filter(school__isnull=True)}
        self.subjects |= {s.short_name.lower(): s for s in Subject.objects.filter(school__isnull=True)}
        self.subjects |= {s.name.lower(): s for s in Subject.objects.filter(school=ctx.school)}
        self.subgroups = {(g.school_class_id, g.name.lower()): g for g in Subgroup.objects.filter(school=ctx.school)}
        self.rooms = {r.name.lower(): r for r in Room.objects.filter(school=ctx.school)}
        self.new_rooms: dict[str, Room] = {}
        self.assignments = list(
            TeachingAssignment.objects.filter(school=ctx.school, year=ctx.year, starts_on__lte=self.valid_from)
            .exclude(ends_on__lt=self.valid_from)
            .select_related("subject", "teacher")
        )
        self.cells: dict[int, dict[tuple[int, int], list[Item]]] = {}
        self.classes: dict[int, SchoolClass] = {}
        self.seen: dict[tuple, int] = {}

    def check(self, row: Row) -> None:
        name = row.value(CLASS.key, f.class_name, required=True)
        day = row.value(WEEKDAY.key, weekday, required=True)
        number = row.value(NUMBER.key, lesson_number, required=True)
        subject = row.value(SUBJECT.key, self._subject, required=True)
        teacher = row.value(TEACHER.key, self.teachers._teacher, required=True)
        parity = row.value(WEEK.key, week) or 0
        if not row.ok:
            return
        cls = self.ctx.classes.get(name)
        if cls is None:
            row.error(CLASS.key, _("Класса %(grade)s%(letter)s нет в школе.") % {"grade": name[0], "letter": name[1]})
            return
        if day > self.calendar.days_per_week(cls.grade):
            row.error(
                WEEKDAY.key, _("У класса %(class)s в этот день уроков нет (пятидневная неделя).") % {"class": cls}
            )
            return
        subgroup = self._subgroup(row, cls)
        key = (cls.pk, day, number, getattr(subgroup, "pk", None), parity)
        if key in self.seen:
            row.error(NUMBER.key, _("Повтор: этот урок уже есть в строке %(row)s.") % {"row": self.seen[key]})
            return
        assignment = self._assignment(row, cls, subgroup, subject, teacher)
        if assignment is None:
            return
        self.seen[key] = row.number
        self.classes[cls.pk] = cls
        item = Item(assignment, self._room(row.raw(ROOM.key)), parity)
        self.cells.setdefault(cls.pk, {}).setdefault((day, number), []).append(item)
        self.count("lessons", "created")

    def _subject(self, value: str) -> Subject:
        found = self.subjects.get(value.lower())
        if found is None:
            raise f.CellError(_("Предмет «%(value)s» не найден в перечне предметов.") % {"value": value})
        return found

    def _subgroup(self, row: Row, cls) -> Subgroup | None:
        raw = row.raw(SUBGROUP.key)
        if not raw:
            return None
        found = self.subgroups.get((cls.pk, raw.lower()))
        if found is None:
            row.error(SUBGROUP.key, _("У класса %(class)s нет подгруппы «%(value)s».") % {"class": cls, "value": raw})
        return found

    def _assignment(self, row: Row, cls, subgroup, subject, teacher) -> TeachingAssignment | None:
        if not row.ok:
            return None
        for a in self.assignments:
            if (a.school_class_id, a.subgroup_id, a.subject_id, a.teacher_id) == (
                cls.pk, getattr(subgroup, "pk", None), subject.pk, teacher.pk,
            ):  # fmt: skip
                return a
        row.error(
            TEACHER.key,
            _("Нет нагрузки: %(teacher)s не ведёт «%(subject)s» в %(class)s. Сначала внесите педагогическую нагрузку.")
            % {"teacher": teacher.get_short_name(), "subject": subject, "class": cls},
        )
        return None

    def _room(self, name: str) -> Room | None:
        if not name:
            return None
        key = name.lower()
        if key not in self.rooms:
            self.rooms[key] = self.new_rooms[key] = Room(school=self.ctx.school, name=name[:32])
            self.count("rooms", "created")
        return self.rooms[key]

    def save(self, *, actor: Actor) -> None:
        """Replace each named class's timetable from the start date; cells that already match stay as they are."""
        lessons = {"created": 0, "updated": 0, "unchanged": 0}
        Room.objects.bulk_create(self.new_rooms.values())
        for class_id, cells in self.cells.items():
            cls = self.classes[class_id]
            current = entries_at(school_class=cls, day=self.valid_from)
            plan: dict[Any, list[Any]] = {cell: [] for cell in current} | cells
            for cell, items in plan.items():
                same = _same(items, current.get(cell, []))
                lessons["unchanged" if same else ("updated" if cell in current else "created")] += len(items)
            timetable_cells_set(school_class=cls, cells=plan, valid_from=self.valid_from, confirmed=True, actor=actor)
        self.saved_counts = {"lessons": lessons, "rooms": {"created": len(self.new_rooms)}}

    def report_counts(self) -> dict[str, dict[str, int]]:
        return self.saved_counts


def _same(items, entries) -> bool:
    def key(i):
        return (i.assignment.pk, getattr(i.room, "name", None), i.week_parity)

    return sorted(map(key, items)) == sorted(map(key, entries))
