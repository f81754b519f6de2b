"""Classes of the current year: grade, letter, class teacher, shift."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ejournal.accounts.models import User
from ejournal.core.imports import fields as f
from ejournal.core.imports.base import Importer, Row, require_one_of
from ejournal.core.imports.fields import person_key
from ejournal.schools.models import SchoolClass

CLASS = f.Column("class_name", "Класс", ("Наименование класса", "Название класса"))
GRADE = f.Column("grade", "Параллель", ("Номер класса", "Год обучения"))
LETTER = f.Column("letter", "Литера", ("Буква", "Литера класса", "Буква класса"))
TEACHER = f.Column("teacher", "Классный руководитель", ("Кл. руководитель", "Классный руководитель (логин или ФИО)"))
SHIFT = f.Column("shift", "Смена")


class ClassImporter(Importer):
    kind = "classes"
    title = gettext_lazy("Классы")
    columns = (CLASS, GRADE, LETTER, TEACHER, SHIFT)
    examples = (
        {"class_name": "1А", "teacher": "Попова Елена Сергеевна", "shift": "1"},
        {"class_name": "5Б", "teacher": "", "shift": "2"},
    )

    def __init__(self, ctx):
        super().__init__(ctx)
        self.new: list[SchoolClass] = []
        self.changed: dict[int, SchoolClass] = {}
        self.seen: dict[tuple[int, str], int] = {}

    def check_headers(self, positions):
        require_one_of(positions, (CLASS,), (GRADE, LETTER))

    def check(self, row: Row) -> None:
        if row.raw(CLASS.key):
            name = row.value(CLASS.key, f.class_name)
        else:
            grade, letter = row.value(GRADE.key, f.grade, required=True), row.value(LETTER.key, f.letter, required=True)
            name = (grade, letter) if row.ok else None
        teacher = row.value(TEACHER.key, self._teacher)
        shift = row.value(SHIFT.key, f.shift)
        if not row.ok:
            return
        if name in self.seen:
            row.error(CLASS.key, _("Повтор: этот класс уже есть в строке %(row)s.") % {"row": self.seen[name]})
            return
        self.seen[name] = row.number
        values = {"shift": shift or 1}
        if teacher is not None:
            values["class_teacher"] = teacher
        existing = self.ctx.classes.get(name)
        if existing is None:
            self.new.append(
                SchoolClass(school=self.ctx.school, year=self.ctx.year, grade=name[0], letter=name[1], **values)
            )
            self.count("classes", "created")
        else:
            self.merge("classes", existing, values, self.changed)

    def _teacher(self, value: str) -> User:
        """Find the class teacher among the school's staff by login or by full name."""
        by_login = [u for u in self.ctx.staff_users if u.username.lower() == value.lower()]
        key = person_key(*[*value.split(), "", ""][:3]) if len(value.split()) <= 3 else None
        by_name = [u for u in self.ctx.staff_users if person_key(u.last_name, u.first_name, u.middle_name) == key]
        found = by_login or by_name
        if not found:
            raise f.CellError(_("Сотрудник «%(value)s» не найден среди сотрудников школы.") % {"value": value})
        if len(found) > 1:
            raise f.CellError(_("Сотрудников «%(value)s» несколько: укажите логин.") % {"value": value})
        return found[0]

    def save(self, *, actor=None) -> None:
        SchoolClass.objects.bulk_create(self.new)
        SchoolClass.objects.bulk_update(self.changed.values(), ["class_teacher", "shift"])
