"""Students with their class and personal-file number; new ones are enrolled."""

from __future__ import annotations

import datetime as dt
from functools import cached_property

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ejournal.core.imports import fields as f
from ejournal.core.imports.base import Importer, Row, assign
from ejournal.core.imports.fields import person_key
from ejournal.people.models import Enrolment, Student
from ejournal.schools.models import SchoolClass

from . import fields as pf

LAST = f.Column("last_name", "Фамилия", required=True)
FIRST = f.Column("first_name", "Имя", required=True)
MIDDLE = f.Column("middle_name", "Отчество")
BIRTH = f.Column("birth_date", "Дата рождения", ("ДР", "Д.Р.", "Дата рожд.", "Рождение"), required=True)
GENDER = f.Column("gender", "Пол")
CLASS = f.Column("class_name", "Класс", ("Класс (например, 5А)",), required=True)
RECORD = f.Column(
    "record_number", "Номер личного дела", ("№ личного дела", "Личное дело", "№ л/д", "Номер л/д"), required=False
)
STUDENT_COLUMNS = (LAST, FIRST, MIDDLE, BIRTH, GENDER, CLASS, RECORD)

StudentKey = tuple[str, str, str, dt.date]


class StudentImporter(Importer):
    kind = "students"
    title = gettext_lazy("Обучающиеся")
    columns = STUDENT_COLUMNS
    examples = (
        {"last_name": "Иванов", "first_name": "Пётр", "middle_name": "Сергеевич", "birth_date": "14.03.2015",
         "gender": "м", "class_name": "5А", "record_number": "2020-015"},
        {"last_name": "Смирнова", "first_name": "Анна", "middle_name": "", "birth_date": "02.11.2014",
         "gender": "ж", "class_name": "5 Б", "record_number": "2020-016"},
    )  # fmt: skip

    def __init__(self, ctx):
        super().__init__(ctx)
        self.new: list[tuple[Student, SchoolClass]] = []
        self.changed: dict[int, Student] = {}
        self.moves: list[tuple[Student, SchoolClass]] = []
        self.by_record: dict[str, tuple[Student, int]] = {}
        self.by_person: dict[StudentKey, tuple[Student, int]] = {}

    @cached_property
    def db_by_record(self) -> dict[str, Student]:
        return {s.record_number: s for s in self.ctx.students if s.record_number}

    @cached_property
    def db_by_person(self) -> dict[StudentKey, Student]:
        return {_key(s): s for s in self.ctx.students}

    def check(self, row: Row) -> None:
        self.student_of(row)

    def student_of(self, row: Row) -> Student | None:
        """Validate the student cells of `row`; return the (new or existing) student, or None on errors.

        A student repeated on the combined sheet (one row per guardian) is the same student when all
        their cells agree.
        """
        values = {
            "last_name": row.value(LAST.key, required=True),
            "first_name": row.value(FIRST.key, required=True),
            "middle_name": row.value(MIDDLE.key) or "",
            "birth_date": row.value(BIRTH.key, f.birth_date, required=True),
        }
        if row.raw(GENDER.key):
            values["gender"] = row.value(GENDER.key, pf.gender)
        name = row.value(CLASS.key, f.class_name, required=True)
        record = row.value(RECORD.key, lambda v: f.text(v, 32)) or ""
        if not row.ok:
            return None
        school_class = self.ctx.classes.get(name)
        if school_class is None:
            row.error(
                CLASS.key,
                _("Класс %(grade)s%(letter)s не найден в текущем учебном году: сначала загрузите классы.")
                % {"grade": name[0], "letter": name[1]},
            )
            return None
        key = _key_of(values)
        seen = (self.by_record.get(record) if record else None) or self.by_person.get(key)
        if seen is not None:
            return self._repeat(row, seen, key, record, school_class)
        student = self._match(row, key, record)
        if not row.ok:
            return None
        if record:
            values["record_number"] = record
        if student is None:
            student = Student(school=self.ctx.school, school_class=school_class, **values)
            self.new.append((student, school_class))
            self.count("students", "created")
        else:
            self._update(student, values, school_class)
        self.by_person[key] = (student, row.number)
        if record:
            self.by_record[record] = (student, row.number)
        return student

    def _repeat(self, row, seen, key, record, school_class) -> Student | None:
        student, first_row = seen
        same_cells = _key(student) == key and student.record_number == record
        if self.allow_repeats and same_cells and student.school_class_id == school_class.pk:
            return student
        row.error(
            RECORD.key if record else LAST.key,
            _("Повтор: этот обучающийся уже есть в строке %(row)s.") % {"row": first_row},
        )
        return None

    allow_repeats = False

    def _match(self, row: Row, key: StudentKey, record: str) -> Student | None:
        """Find the student in the database by personal-file number, else by name and birth date."""
        student = self.db_by_record.get(record) if record else None
        if student is not None:
            if _key(student)[:3] != key[:3] and student.birth_date != key[3]:
                row.error(
                    RECORD.key,
                    _("Номер личного дела %(number)s уже принадлежит обучающемуся %(name)s.")
                    % {"number": record, "name": student.full_name},
                )
            return student
        student = self.db_by_person.get(key)
        if student is not None and student.record_number and record and student.record_number != record:
            row.error(
                RECORD.key,
                _("Этот обучающийся уже есть в школе с номером личного дела %(number)s.")
                % {"number": student.record_number},
            )
        return student

    def _update(self, student: Student, values: dict, school_class: SchoolClass) -> None:
        changed = assign(student, values)
        if student.school_class_id != school_class.pk:
            student.school_class = school_class
            self.moves.append((student, school_class))
            changed.append("school_class")
        if changed:
            self.changed[id(student)] = student
            self.count("students", "updated")
        else:
            self.count("students", "unchanged")

    def save(self, *, actor=None) -> None:
        Student.objects.bulk_create([s for s, _cls in self.new])
        start = self.ctx.enrol_from
        reason = Enrolment.Reason.ADMISSION
        enrolments = [self._enrolment(s, c, start, reason) for s, c in self.new]
        fields = ["last_name", "first_name", "middle_name", "birth_date", "gender", "record_number", "school_class"]
        Student.objects.bulk_update(self.changed.values(), fields)
        enrolments += self._transfers(start)
        Enrolment.objects.bulk_create(enrolments)

    def _transfers(self, start: dt.date) -> list[Enrolment]:
        """Close the open enrolment of each moved student and open one in the new class."""
        ids = [s.pk for s, _cls in self.moves]
        open_ones = {e.student_id: e for e in Enrolment.objects.filter(student_id__in=ids, ends_on__isnull=True)}
        new, closed = [], []
        for student, school_class in self.moves:
            current = open_ones.get(student.pk)
            if current is not None and current.starts_on >= start:
                current.school_class = school_class  # moved on the day it was enrolled: correct the class
                closed.append(current)
                continue
            if current is not None:
                current.ends_on = start - dt.timedelta(days=1)
                current.end_reason = Enrolment.Reason.TRANSFER
                closed.append(current)
            new.append(self._enrolment(student, school_class, start, Enrolment.Reason.TRANSFER))
        Enrolment.objects.bulk_update(closed, ["school_class", "ends_on", "end_reason"])
        return new

    def _enrolment(self, student, school_class, start, reason) -> Enrolment:
        return Enrolment(
            school=self.ctx.school, student=student, school_class=school_class, starts_on=start, start_reason=reason
        )


def _key(student: Student) -> StudentKey:
    return (*person_key(student.last_name, student.first_name, student.middle_name), student.birth_date)


def _key_of(values: dict) -> StudentKey:
    return (*person_key(values["last_name"], values["first_name"], values["middle_name"]), values["birth_date"])
