"""The two kinds of planning file: curriculum lines and teaching assignments."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from functools import cached_property

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ejournal.accounts.models import User
from ejournal.core.imports import fields as f
from ejournal.core.imports.base import Importer, Row
from ejournal.core.imports.fields import name_key, person_key
from ejournal.schools.models import Subgroup

from ..models import CurriculumLine, Subject, TeachingAssignment
from ..rules import MAX_HOURS_PER_LINE, is_half_step
from ..selectors import subjects_offered, teachers_of_school

GRADE = f.Column("grade", "Параллель", ("Класс (параллель)", "Номер класса"), required=True)
SUBJECT = f.Column("subject", "Предмет", ("Учебный предмет",), required=True)
HOURS = f.Column("hours", "Часов в неделю", ("Часы", "Часов", "Кол-во часов"), required=True)
SPLIT = f.Column("split", "Деление на подгруппы", ("Подгруппы", "Деление"))
TEACHER = f.Column("teacher", "Учитель", ("ФИО учителя", "Учитель (ФИО или логин)", "Педагог"), required=True)
CLASS = f.Column("class_name", "Класс", ("Наименование класса",), required=True)
SUBGROUP = f.Column("subgroup", "Подгруппа", ("Группа",))
FROM = f.Column("starts_on", "С даты", ("Дата начала", "С"))


def hours(value: str) -> Decimal:
    try:
        result = Decimal(value.replace(",", ".").replace(" ", ""))
    except InvalidOperation:
        raise f.CellError(
            _("«%(value)s» — не число часов; ожидается, например, 2 или 1,5.") % {"value": value}
        ) from None
    if not result.is_finite() or not is_half_step(result) or result > MAX_HOURS_PER_LINE:
        raise f.CellError(_("Часы в неделю указываются с шагом 0,5: от 0,5 до %(max)s.") % {"max": MAX_HOURS_PER_LINE})
    return result.quantize(Decimal("0.1"))


class PlanImporter(Importer):
    """What both kinds share: the school's subjects by full or short name."""

    @cached_property
    def subjects(self) -> dict[str, Subject]:
        found: dict[str, Subject] = {}
        for subject in subjects_offered(school_id=self.ctx.school.pk):
            found.setdefault(name_key(subject.short_name), subject)
            found[name_key(subject.name)] = subject
        return found

    def subject(self, value: str) -> Subject:
        subject = self.subjects.get(name_key(value))
        if subject is None:
            raise f.CellError(_("Предмет «%(value)s» не найден в перечне школы.") % {"value": value})
        return subject


class CurriculumImporter(PlanImporter):
    kind = "curriculum"
    title = gettext_lazy("Учебный план")
    columns = (GRADE, SUBJECT, HOURS, SPLIT)
    examples = (
        {"grade": "5", "subject": "Математика", "hours": "5", "split": "нет"},
        {"grade": "5", "subject": "Иностранный язык (английский)", "hours": "3", "split": "да"},
        {"grade": "10", "subject": "Индивидуальный проект", "hours": "0,5", "split": "нет"},
    )

    def __init__(self, ctx):
        super().__init__(ctx)
        self.seen: dict[tuple[int, int], int] = {}
        self.new: list[CurriculumLine] = []
        self.changed: dict[int, CurriculumLine] = {}
        lines = CurriculumLine.objects.filter(school=ctx.school, year=ctx.year)
        self.existing = {(line.grade, line.subject_id): line for line in lines}

    def check(self, row: Row) -> None:
        grade = row.value(GRADE.key, f.grade, required=True)
        subject = row.value(SUBJECT.key, self.subject, required=True)
        value = row.value(HOURS.key, hours, required=True)
        split = bool(row.value(SPLIT.key, f.yes_no))
        if grade is not None and grade > self.ctx.school.max_grade:
            row.error(GRADE.key, _("В школе нет %(grade)s-х классов.") % {"grade": grade})
        if not row.ok:
            return
        key = (grade, subject.pk)
        if key in self.seen:
            row.error(
                SUBJECT.key, _("Повтор: этот предмет этой параллели уже в строке %(row)s.") % {"row": self.seen[key]}
            )
            return
        self.seen[key] = row.number
        values = {"hours_per_week": value, "in_subgroups": split}
        if key in self.existing:
            self.merge("lines", self.existing[key], values, self.changed)
        else:
            self.new.append(
                CurriculumLine(school=self.ctx.school, year=self.ctx.year, grade=grade, subject=subject, **values)
            )
            self.count("lines", "created")

    def save(self, *, actor=None) -> None:
        CurriculumLine.objects.bulk_create(self.new)
        CurriculumLine.objects.bulk_update(self.changed.values(), ["hours_per_week", "in_subgroups"])


class AssignmentImporter(PlanImporter):
    kind = "assignments"
    title = gettext_lazy("Педагогическая нагрузка")
    columns = (TEACHER, CLASS, SUBGROUP, SUBJECT, HOURS, FROM)
    examples = (
        {"teacher": "Попова Елена Сергеевна", "class_name": "5А", "subject": "Математика", "hours": "5"},
        {
            "teacher": "Кузнецов Андрей Олегович",
            "class_name": "5А",
            "subgroup": "Английский язык, 1 группа",
            "subject": "Иностранный язык (английский)",
            "hours": "3",
            "starts_on": "01.09.2026",
        },
    )

    def __init__(self, ctx):
        super().__init__(ctx)
        self.seen: dict[tuple, int] = {}
        self.new: list[TeachingAssignment] = []
        self.changed: dict[int, TeachingAssignment] = {}
        open_rows = TeachingAssignment.objects.filter(school=ctx.school, year=ctx.year, ends_on__isnull=True)
        self.existing = {(a.teacher_id, a.school_class_id, a.subgroup_id, a.subject_id): a for a in open_rows}

    @cached_property
    def teachers(self) -> list[User]:
        return list(teachers_of_school(school_id=self.ctx.school.pk))

    @cached_property
    def subgroups(self) -> dict[tuple[int, str], Subgroup]:
        qs = Subgroup.objects.filter(school=self.ctx.school, school_class__year=self.ctx.year)
        return {(s.school_class_id, name_key(s.name)): s for s in qs}

    def teacher(self, value: str) -> User:
        """A teacher of this school by login or by full name."""
        key = person_key(*[*value.split(), "", ""][:3])
        found = [
            u
            for u in self.teachers
            if u.username.lower() == value.lower() or person_key(u.last_name, u.first_name, u.middle_name) == key
        ]
        if not found:
            raise f.CellError(_("Учитель не работает в этой школе: «%(value)s».") % {"value": value})
        if len(found) > 1:
            raise f.CellError(_("Учителей «%(value)s» несколько: укажите логин.") % {"value": value})
        return found[0]

    def starts_on(self, value: str) -> dt.date:
        result = f.date(value)
        if not self.ctx.year.starts_on <= result <= self.ctx.year.ends_on:
            raise f.CellError(_("Дата вне учебного года."))
        return result

    def check(self, row: Row) -> None:
        teacher = row.value(TEACHER.key, self.teacher, required=True)
        name = row.value(CLASS.key, f.class_name, required=True)
        subject = row.value(SUBJECT.key, self.subject, required=True)
        value = row.value(HOURS.key, hours, required=True)
        starts_on = row.value(FROM.key, self.starts_on) or self.ctx.enrol_from
        cls = self.ctx.classes.get(name) if name else None
        if name and cls is None:
            row.error(
                CLASS.key,
                _("Класса %(grade)s%(letter)s в этом учебном году нет.") % {"grade": name[0], "letter": name[1]},
            )
        subgroup = None
        if cls is not None and row.raw(SUBGROUP.key):
            subgroup = self.subgroups.get((cls.pk, name_key(row.raw(SUBGROUP.key))))
            if subgroup is None:
                row.error(SUBGROUP.key, _("У класса %(cls)s нет такой подгруппы.") % {"cls": cls})
        if not row.ok:
            return
        assert cls is not None  # the row is ok: its class was found
        key = (teacher.pk, cls.pk, subgroup.pk if subgroup else None, subject.pk)
        if key in self.seen:
            row.error(TEACHER.key, _("Повтор: эта нагрузка уже в строке %(row)s.") % {"row": self.seen[key]})
            return
        self.seen[key] = row.number
        if key in self.existing:
            self.merge("assignments", self.existing[key], {"hours_per_week": value}, self.changed)
            return
        self.new.append(
            TeachingAssignment(
                school=self.ctx.school, year=self.ctx.year, teacher=teacher, school_class=cls, subgroup=subgroup,
                subject=subject, hours_per_week=value, starts_on=starts_on,
            )
        )  # fmt: skip
        self.count("assignments", "created")

    def save(self, *, actor=None) -> None:
        TeachingAssignment.objects.bulk_create(self.new)
        TeachingAssignment.objects.bulk_update(self.changed.values(), ["hours_per_week"])
