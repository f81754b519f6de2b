"""The thematic plan file: «№», «Тема», «Часы», «Контрольная работа», one topic a row."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ejournal.core.imports import fields as f
from ejournal.core.imports.base import Importer, Row
from ejournal.curriculum.models import TeachingAssignment

from ..services.plans import HOURS_MAX, TITLE_MAX

# «№» has no letters for the framework's header matching: `match_headers_numbered` spells it «Номер».
NUMBER = f.Column("number", "№", ("Номер", "Номер п/п", "Номер урока", "Номер темы", "N", "No"))
TITLE = f.Column("title", "Тема", ("Тема урока", "Название темы", "Раздел, тема", "Темы"), required=True)
HOURS = f.Column("hours", "Часы", ("Часов", "Кол-во часов", "Количество часов", "Часы на тему"))
CONTROL = f.Column("control", "Контрольная работа", ("Контрольная", "К/р", "Кр"))


def match_headers_numbered(columns: tuple[f.Column, ...], headers: list[str]) -> dict[str, int]:
    """`match_headers`, reading the sign «№» as the word «Номер» (the file keeps its own names in the report)."""
    return f.match_headers(columns, [h.replace("№", "Номер ") for h in headers])


@dataclass
class PlanContext:
    """What the importer reads: the assignment whose plan is loaded and whether it replaces the topics."""

    assignment: TeachingAssignment
    replace: bool = True


def hours(value: str) -> int:
    if not value.isdigit() or not 1 <= int(value) <= HOURS_MAX:
        raise f.CellError(_("Часы — целое число от 1 до %(max)s.") % {"max": HOURS_MAX})
    return int(value)


def number(value: str) -> int:
    value = value.rstrip(".")
    if not value.isdigit() or int(value) < 1:
        raise f.CellError(_("№ — порядковый номер темы: 1, 2, 3…"))
    return int(value)


class ThematicPlanImporter(Importer):
    kind = "thematic_plan"
    title = gettext_lazy("Тематическое планирование")
    columns = (NUMBER, TITLE, HOURS, CONTROL)
    examples = (
        {"number": "1", "title": "Натуральные числа и шкалы", "hours": "2", "control": "нет"},
        {"number": "2", "title": "Сложение и вычитание натуральных чисел", "hours": "3", "control": ""},
        {"number": "3", "title": "Контрольная работа № 1", "hours": "1", "control": "да"},
    )

    def __init__(self, ctx: PlanContext):
        super().__init__(ctx)
        self.rows: list[tuple[int, str, int, bool]] = []  # (order, title, hours, control)
        self.numbers: dict[int, int] = {}  # № → the row it is on

    def match_headers(self, headers: list[str]) -> dict[str, int]:
        return match_headers_numbered(self.columns, headers)

    def check(self, row: Row) -> None:
        position = row.value(NUMBER.key, number)
        title = row.value(TITLE.key, lambda v: f.text(" ".join(v.split()), TITLE_MAX), required=True)
        count = row.value(HOURS.key, hours) or 1
        control = bool(row.value(CONTROL.key, f.yes_no))
        if position is not None and position in self.numbers:
            row.error(NUMBER.key, _("Повтор: тема № %(n)s уже в строке %(row)s.") % {
                "n": position, "row": self.numbers[position]})  # fmt: skip
        elif position is not None:
            self.numbers[position] = row.number
        if not row.ok:
            return
        self.rows.append((position if position is not None else 10**6 + row.number, title, count, control))

    def topics(self) -> list[tuple[str, int, bool]]:
        """The topics in the order of «№» (rows without a number keep their place after the numbered ones)."""
        return [(title, count, control) for _n, title, count, control in sorted(self.rows, key=lambda r: r[0])]

    def save(self, *, actor) -> None:
        from ..services.plans import thematic_plan_import

        topics = self.topics()
        thematic_plan_import(assignment=self.ctx.assignment, topics=topics, replace=self.ctx.replace, actor=actor)
        self.count("topics", "created", len(topics))
