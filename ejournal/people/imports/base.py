"""What every kind of roster import shares: rows with their errors, the school's context, counts."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from functools import cached_property
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ejournal.accounts.models import User
from ejournal.people.models import Student
from ejournal.schools.models import AcademicYear, School, SchoolClass

from .fields import CellError, Column, text
from .readers import ImportFileError

# Entity keys of the report, in the order shown, with their Russian names.
ENTITY_LABELS = {
    "classes": gettext_lazy("Классы"),
    "students": gettext_lazy("Обучающиеся"),
    "guardians": gettext_lazy("Родители"),
    "links": gettext_lazy("Связи родителей с детьми"),
    "staff": gettext_lazy("Сотрудники"),
    "appointments": gettext_lazy("Назначения"),
}


def person_key(last: str, first: str, middle: str) -> tuple[str, str, str]:
    """Compare names ignoring case and ё/е."""
    return tuple(p.lower().replace("ё", "е") for p in (last, first, middle))  # type: ignore[return-value]


class Row:
    """One data row: parses its cells and collects its errors with the file's own column names."""

    def __init__(self, number: int, cells: list[str], positions: dict[str, int], headers: list[str], errors: list):
        self.number = number
        self._cells = cells
        self._positions = positions
        self._headers = headers
        self._errors = errors
        self._error_count = len(errors)

    @property
    def ok(self) -> bool:
        return len(self._errors) == self._error_count

    def raw(self, key: str) -> str:
        index = self._positions.get(key)
        return self._cells[index].strip() if index is not None and index < len(self._cells) else ""

    def value(self, key: str, parser: Callable[[str], Any] = text, *, required: bool = False) -> Any:
        raw = self.raw(key)
        if not raw:
            if required:
                self.error(key, _("Не заполнено."))
            return None
        try:
            return parser(raw)
        except CellError as exc:
            self.error(key, str(exc))
            return None

    def error(self, key: str, message: str) -> None:
        index = self._positions.get(key)
        column = self._headers[index] if index is not None else ""
        self._errors.append({"row": self.number, "column": column, "message": str(message)})


class SchoolContext:
    """The school being loaded and what is already in the database, each read once."""

    def __init__(self, school_id: int):
        self.school = School.objects.get(pk=school_id)
        self.year = AcademicYear.objects.filter(municipality_id=self.school.municipality_id, is_current=True).first()
        if self.year is None:
            raise ImportFileError(_("Не задан текущий учебный год: загрузка невозможна."))
        self.today = timezone.localdate()

    @property
    def enrol_from(self) -> dt.date:
        """New students are enrolled from the year start when loaded before it, else from today."""
        return max(self.year.starts_on, min(self.today, self.year.ends_on))

    @cached_property
    def classes(self) -> dict[tuple[int, str], SchoolClass]:
        qs = SchoolClass.objects.filter(school=self.school, year=self.year)
        return {(c.grade, c.letter.upper()): c for c in qs}

    @cached_property
    def students(self) -> list[Student]:
        return list(Student.objects.filter(school=self.school))

    @cached_property
    def staff_users(self) -> list[User]:
        return list(
            User.objects.filter(role_assignments__school=self.school, role_assignments__ends_on__isnull=True).distinct()
        )


class Importer:
    """Validate rows one by one (`check`), then write them all (`save`) inside the caller's transaction."""

    kind = ""
    title: Any = ""
    columns: tuple[Column, ...] = ()
    examples: tuple[dict[str, str], ...] = ()

    def __init__(self, ctx: SchoolContext):
        self.ctx = ctx
        self.counts: dict[str, Counter] = {}

    def check_headers(self, positions: dict[str, int]) -> None:
        """Refuse a file missing a column that only some combinations require."""

    def check(self, row: Row) -> None:
        raise NotImplementedError

    def save(self) -> None:
        raise NotImplementedError

    def merge(self, entity: str, existing: models.Model, values: dict[str, Any], changed: dict) -> None:
        """Apply `values` to an object already in the database; count it updated (kept in `changed`) or unchanged."""
        if assign(existing, values):
            changed[id(existing)] = existing
            self.count(entity, "updated")
        else:
            self.count(entity, "unchanged")

    def count(self, entity: str, outcome: str, n: int = 1) -> None:
        self.counts.setdefault(entity, Counter({"created": 0, "updated": 0, "unchanged": 0}))[outcome] += n


def assign(instance: models.Model, values: dict[str, Any]) -> list[str]:
    """Set the fields whose value differs; return their names (empty: nothing changed)."""
    changed = [name for name, value in values.items() if getattr(instance, name) != value]
    for name in changed:
        setattr(instance, name, values[name])
    return changed


def require_one_of(positions: dict[str, int], *groups: tuple[Column, ...]) -> None:
    """Refuse the file unless all columns of at least one group are present."""
    if any(all(c.key in positions for c in group) for group in groups):
        return
    options = _(" или ").join("«" + "» + «".join(c.label for c in group) + "»" for group in groups)
    raise ImportFileError(_("В файле нет обязательных столбцов: нужны %(options)s.") % {"options": options})
