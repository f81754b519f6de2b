"""Students with their class and personal-file number; new ones are enrolled.

Identity is decided by the personal-file number, else by the exact name
(spaces normalised, ё and case kept) and birth date. Names that only fold
alike (ё/е, case) with the same birth date are a question for the
coordinator, in the file and against the school: an error on the row, unless
both rows are marked «Близнецы» (or carry different personal-file numbers).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ejournal.core.imports import fields as f
from ejournal.core.imports.base import Importer, Row, assign
from ejournal.core.imports.fields import exact_person, person_key
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
# «да»: this child is not the one with an almost identical name and the same birth date (a twin).
TWINS = f.Column("twins", "Близнецы", ("Близнец", "Двойня", "Тройня", "Разные дети"))
STUDENT_COLUMNS = (LAST, FIRST, MIDDLE, BIRTH, GENDER, CLASS, RECORD, TWINS)

StudentKey = tuple[str, str, str, dt.date | None]


@dataclass
class _Seen:
    """A student planned on an earlier row of the file."""

    student: Student
    row: int
    record: str
    twins: bool

    def distinct_from(self, record: str, twins: bool) -> bool:
        """Look-alikes are two children when both rows say so, or their personal-file numbers differ."""
        return (self.twins and twins) or bool(self.record and record and self.record != record)


class StudentImporter(Importer):
    kind = "students"
    title = gettext_lazy("Обучающиеся")
    columns = STUDENT_COLUMNS
    examples = (
        {"last_name": "Иванов", "first_name": "Пётр", "middle_name": "Сергеевич", "birth_date": "14.03.2015",
         "gender": "м", "class_name": "5А", "record_number": "2020-015", "twins": ""},
        {"last_name": "Смирнова", "first_name": "Анна", "middle_name": "", "birth_date": "02.11.2014",
         "gender": "ж", "class_name": "5 Б", "record_number": "2020-016", "twins": ""},
    )  # fmt: skip

    # On the combined sheet a student repeats on one row per guardian.
    allow_repeats = False

    def __init__(self, ctx):
        super().__init__(ctx)
        self.new: list[tuple[Student, SchoolClass]] = []
        self.changed: dict[int, Student] = {}
        self.moves: list[tuple[Student, SchoolClass]] = []
        self.by_record: dict[str, _Seen] = {}
        self.by_exact: dict[StudentKey, _Seen] = {}
        self.by_folded: dict[StudentKey, list[_Seen]] = {}
        self.repeated_rows = 0

    @cached_property
    def db_by_record(self) -> dict[str, Student]:
        return {s.record_number: s for s in self.ctx.students if s.record_number}

    @cached_property
    def db_by_exact(self) -> dict[StudentKey, list[Student]]:
        index: dict[StudentKey, list[Student]] = {}
        for s in self.ctx.students:
            index.setdefault(_exact(s), []).append(s)
        return index

    @cached_property
    def db_by_folded(self) -> dict[StudentKey, list[Student]]:
        index: dict[StudentKey, list[Student]] = {}
        for s in self.ctx.students:
            index.setdefault(_folded(s), []).append(s)
        return index

    @cached_property
    def class_names(self) -> dict[int, str]:
        return {c.pk: f"{c.grade}{c.letter}" for c in self.ctx.classes.values()}

    def check(self, row: Row) -> None:
        self.student_of(row)

    def student_of(self, row: Row) -> Student | None:
        """Validate the student cells of `row`; return the (new or existing) student, or None on errors.

        A student repeated on the combined sheet (one row per guardian) is the same student when all
        their cells agree exactly.
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
        twins = bool(row.value(TWINS.key, f.yes_no))
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
        values.update(zip(("last_name", "first_name", "middle_name"), exact_person(
            values["last_name"], values["first_name"], values["middle_name"]), strict=True))  # fmt: skip
        exact, folded = _exact_of(values), _folded_of(values)
        seen = (self.by_record.get(record) if record else None) or self.by_exact.get(exact)
        if seen is not None:
            return self._repeat(row, seen, exact, record, school_class)
        alike = next((s for s in self.by_folded.get(folded, []) if not s.distinct_from(record, twins)), None)
        if alike is not None:
            row.error(LAST.key, _look_alike_in_file(alike))
            return None
        student = self._match(row, exact, folded, record, twins)
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
        seen = _Seen(student, row.number, record, twins)
        self.by_exact[exact] = seen
        self.by_folded.setdefault(folded, []).append(seen)
        if record:
            self.by_record[record] = seen
        return student

    def _repeat(self, row: Row, seen: _Seen, exact: StudentKey, record: str, school_class) -> Student | None:
        same_cells = _exact(seen.student) == exact and seen.record == record
        if self.allow_repeats and same_cells and seen.student.school_class_id == school_class.pk:
            self.repeated_rows += 1
            return seen.student
        row.error(
            RECORD.key if record else LAST.key,
            _("Повтор: этот обучающийся уже есть в строке %(row)s.") % {"row": seen.row},
        )
        return None

    def _match(self, row: Row, exact: StudentKey, folded: StudentKey, record: str, twins: bool) -> Student | None:
        """Find the student in the school by personal-file number, else by exact name and birth date.

        Several exact matches, or none but a look-alike (not marked as a different child), are errors.
        """
        student = self.db_by_record.get(record) if record else None
        if student is not None:
            if _folded(student)[:3] != folded[:3] and student.birth_date != exact[3]:
                row.error(
                    RECORD.key,
                    _("Номер личного дела %(number)s уже принадлежит обучающемуся %(name)s.")
                    % {"number": record, "name": student.full_name},
                )
            return student
        found = self.db_by_exact.get(exact, [])
        if len(found) > 1:
            row.error(
                LAST.key,
                _("В школе несколько обучающихся %(name)s с этой датой рождения: укажите номер личного дела.")
                % {"name": found[0].full_name},
            )
            return None
        if found:
            student = found[0]
            if student.record_number and record and student.record_number != record:
                row.error(
                    RECORD.key,
                    _("Этот обучающийся уже есть в школе с номером личного дела %(number)s.")
                    % {"number": student.record_number},
                )
            return student
        alikes = [
            s for s in self.db_by_folded.get(folded, [])
            if not twins and not (s.record_number and record and s.record_number != record)
        ]  # fmt: skip
        if alikes:
            row.error(LAST.key, self._look_alike_in_school(alikes[0]))
        return None

    def _look_alike_in_school(self, student: Student) -> str:
        cls = self.class_names.get(student.school_class_id) if student.school_class_id else None
        who = f"{student.full_name} ({cls})" if cls else student.full_name
        return _(
            "В школе уже есть обучающийся %(who)s с той же датой рождения, и ФИО отличается только буквами ё/е "
            "или заглавными буквами. Если это он — напишите ФИО так же, как в школе, или укажите номер "
            "личного дела; если это другой ребёнок (например, близнец) — поставьте «да» в столбце «Близнецы»."
        ) % {"who": who}

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


def _exact(student: Student) -> StudentKey:
    return (*exact_person(student.last_name, student.first_name, student.middle_name), student.birth_date)


def _exact_of(values: dict) -> StudentKey:
    return (*exact_person(values["last_name"], values["first_name"], values["middle_name"]), values["birth_date"])


def _folded(student: Student) -> StudentKey:
    return (*person_key(student.last_name, student.first_name, student.middle_name), student.birth_date)


def _folded_of(values: dict) -> StudentKey:
    return (*person_key(values["last_name"], values["first_name"], values["middle_name"]), values["birth_date"])


def _look_alike_in_file(seen: _Seen) -> str:
    return _(
        "Похоже на обучающегося из строки %(row)s (%(name)s): ФИО отличается только буквами ё/е или заглавными "
        "буквами, дата рождения та же. Если это один ребёнок — напишите ФИО одинаково; если разные дети "
        "(например, близнецы) — поставьте «да» в столбце «Близнецы» в обеих строках."
    ) % {"row": seen.row, "name": seen.student.full_name}
