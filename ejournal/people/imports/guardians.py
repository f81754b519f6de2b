"""Guardians and their links to students (who is whose and how)."""

from __future__ import annotations

from collections import defaultdict
from functools import cached_property

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ejournal.core.imports import fields as f
from ejournal.core.imports.base import Importer, Row, assign, require_one_of
from ejournal.core.imports.fields import exact_person, person_key
from ejournal.people.models import Guardian, GuardianLink, Student

from . import fields as pf

LAST = f.Column("g_last_name", "Фамилия", ("Фамилия родителя", "Фамилия представителя"), required=True)
FIRST = f.Column("g_first_name", "Имя", ("Имя родителя", "Имя представителя"), required=True)
MIDDLE = f.Column("g_middle_name", "Отчество", ("Отчество родителя", "Отчество представителя"))
PHONE = f.Column("phone", "Телефон", ("Телефон родителя", "Моб. телефон", "Мобильный телефон", "Тел."))
EMAIL = f.Column("email", "E-mail", ("Email", "Эл. почта", "Электронная почта", "Почта", "E-mail родителя"))
RELATION = f.Column("relation", "Кем приходится", ("Степень родства", "Родство", "Кем является"), required=True)
CHILD_RECORD = f.Column(
    "child_record", "Номер личного дела ребёнка", ("Личное дело ребёнка", "№ личного дела", "Номер личного дела")
)
CHILD_NAME = f.Column("child_name", "ФИО ребёнка", ("Ребёнок", "ФИО обучающегося", "Обучающийся"))
CHILD_CLASS = f.Column("child_class", "Класс ребёнка", ("Класс",))
GUARDIAN_COLUMNS = (LAST, FIRST, MIDDLE, PHONE, EMAIL, RELATION)


class GuardianImporter(Importer):
    kind = "guardians"
    title = gettext_lazy("Родители (законные представители)")
    columns = (*GUARDIAN_COLUMNS, CHILD_RECORD, CHILD_NAME, CHILD_CLASS)
    examples = (
        {"g_last_name": "Иванова", "g_first_name": "Мария", "g_middle_name": "Петровна", "phone": "8 (918) 123-45-67",
         "email": "ivanova@example.ru", "relation": "мать", "child_record": "2020-015"},
        {"g_last_name": "Смирнов", "g_first_name": "Олег", "g_middle_name": "Ильич", "phone": "89181234568",
         "email": "", "relation": "отец", "child_name": "Смирнова Анна", "child_class": "5Б"},
    )  # fmt: skip

    def __init__(self, ctx):
        super().__init__(ctx)
        self.new: list[Guardian] = []
        self.changed: dict[int, Guardian] = {}
        self.in_file: dict[tuple, Guardian] = {}
        self.links: dict[tuple[int, int], int] = {}
        self.new_links: list[GuardianLink] = []
        self.changed_links: dict[int, GuardianLink] = {}

    def check_headers(self, positions):
        require_one_of(positions, (CHILD_RECORD,), (CHILD_NAME, CHILD_CLASS))

    @cached_property
    def db_guardians(self) -> dict[tuple, Guardian]:
        """The school's guardians by name + phone and name + e-mail (only they may be matched and changed)."""
        found: dict[tuple, Guardian] = {}
        for g in Guardian.objects.filter(links__school=self.ctx.school).distinct():
            for key in _keys(g.last_name, g.first_name, g.middle_name or "", _digits(g.phone), g.email.lower()):
                found.setdefault(key, g)
        return found

    @cached_property
    def db_links(self) -> dict[tuple[int, int], GuardianLink]:
        links = GuardianLink.objects.filter(school=self.ctx.school)
        return {(link.guardian_id, link.student_id): link for link in links}

    @cached_property
    def students_by_record(self) -> dict[str, Student]:
        return {s.record_number: s for s in self.ctx.students if s.record_number}

    @cached_property
    def students_by_name(self) -> dict[tuple, list[Student]]:
        """The school's students by class and exact name (spaces normalised; ё and case kept)."""
        index: dict[tuple, list[Student]] = defaultdict(list)
        for s in self.ctx.students:
            index[(s.school_class_id, *exact_person(s.last_name, s.first_name, s.middle_name))].append(s)
        return index

    @cached_property
    def students_by_folded_name(self) -> dict[tuple, list[Student]]:
        """The same, by folded name: only to name a look-alike in the error, never to link one."""
        index: dict[tuple, list[Student]] = defaultdict(list)
        for s in self.ctx.students:
            index[(s.school_class_id, *person_key(s.last_name, s.first_name, s.middle_name))].append(s)
        return index

    def check(self, row: Row) -> None:
        child = self._child(row)
        self.link_guardian(row, child)

    def link_guardian(self, row: Row, child: Student | None) -> None:
        """Validate the guardian cells of `row` and plan the guardian and their link to `child`."""
        values = {
            "last_name": row.value(LAST.key, required=True),
            "first_name": row.value(FIRST.key, required=True),
            "middle_name": row.value(MIDDLE.key) or "",
        }
        contacts = {"phone": row.value(PHONE.key, f.phone), "email": row.value(EMAIL.key, f.email)}
        if not row.raw(PHONE.key) and not row.raw(EMAIL.key):
            row.error(PHONE.key, _("Укажите телефон или e-mail родителя."))
        relation = row.value(RELATION.key, pf.relation, required=True)
        if not row.ok or child is None:
            return
        values.update({k: v for k, v in contacts.items() if v})
        guardian = self._guardian(values)
        pair = (id(guardian), id(child))
        if pair in self.links:
            row.error(
                LAST.key, _("Повтор: эта связь с ребёнком уже есть в строке %(row)s.") % {"row": self.links[pair]}
            )
            return
        self.links[pair] = row.number
        link = self.db_links.get((guardian.pk, child.pk)) if guardian.pk and child.pk else None
        if link is None:
            self.new_links.append(
                GuardianLink(school=self.ctx.school, guardian=guardian, student=child, relation=relation)
            )
            self.count("links", "created")
        else:
            self.merge("links", link, {"relation": relation}, self.changed_links)

    def _guardian(self, values: dict) -> Guardian:
        """The same guardian on several rows (several children) or already in the school, else a new one."""
        keys = _keys(
            values["last_name"],
            values["first_name"],
            values["middle_name"],
            _digits(values.get("phone", "")),
            values.get("email", ""),
        )
        guardian = next((self.in_file[k] for k in keys if k in self.in_file), None)
        if guardian is None:
            guardian = next((self.db_guardians[k] for k in keys if k in self.db_guardians), None)
            if guardian is None:
                guardian = Guardian(**values)
                self.new.append(guardian)
                self.count("guardians", "created")
            else:
                self.merge("guardians", guardian, values, self.changed)
        elif assign(guardian, values) and guardian.pk:
            self.changed[id(guardian)] = guardian
        for key in keys:
            self.in_file.setdefault(key, guardian)
        return guardian

    def _child(self, row: Row) -> Student | None:
        record = row.raw(CHILD_RECORD.key)
        if record:
            child = self.students_by_record.get(record)
            if child is None:
                row.error(
                    CHILD_RECORD.key, _("Обучающийся с номером личного дела %(number)s не найден.") % {"number": record}
                )
            return child
        name = row.value(CHILD_NAME.key, f.full_name)
        school_class = row.value(CHILD_CLASS.key, f.class_name)
        if name is None or school_class is None:
            if row.ok:
                row.error(CHILD_RECORD.key, _("Укажите номер личного дела ребёнка или его ФИО и класс."))
            return None
        cls = self.ctx.classes.get(school_class)
        class_id = cls.pk if cls else None
        found = self.students_by_name.get((class_id, *exact_person(*name)), [])
        if len(found) == 1:
            return found[0]
        params = {"name": " ".join(p for p in name if p), "cls": row.raw(CHILD_CLASS.key)}
        if found:
            message = _("В классе %(cls)s несколько обучающихся %(name)s: укажите номер личного дела.") % params
        else:
            alikes = self.students_by_folded_name.get((class_id, *person_key(*name)), [])
            message = _("Обучающийся %(name)s в классе %(cls)s не найден.") % params
            if alikes:
                message = _(
                    "Обучающийся %(name)s в классе %(cls)s не найден (похожий: %(alike)s — если это он, напишите "
                    "ФИО точно так же или укажите номер личного дела)."
                ) % {**params, "alike": alikes[0].full_name}
        row.error(CHILD_NAME.key, message)
        return None

    def save(self, *, actor=None) -> None:
        Guardian.objects.bulk_create(self.new)
        Guardian.objects.bulk_update(
            self.changed.values(), ["last_name", "first_name", "middle_name", "phone", "email"]
        )
        GuardianLink.objects.bulk_create(self.new_links)
        GuardianLink.objects.bulk_update(self.changed_links.values(), ["relation"])


def _digits(phone: str) -> str:
    digits = "".join(ch for ch in phone or "" if ch.isdigit())
    return digits[-10:]


def _keys(last: str, first: str, middle: str, phone: str, email: str) -> list[tuple]:
    person = person_key(last, first, middle)
    return [(*person, kind, v) for kind, v in (("phone", phone), ("email", email)) if v]
