"""What every kind of import shares: rows with their errors, the importer's two steps, counts."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from ejournal.access.policy import Actor

from .fields import CellError, Column, match_headers, text
from .readers import ImportFileError


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


class Importer:
    """Validate rows one by one (`check`), then write them all (`save`) inside the runner's transaction.

    `ctx` is whatever the app's registry builds for the job's school (see `kinds.ImportKinds.context`).
    """

    kind = ""
    title: Any = ""
    columns: tuple[Column, ...] = ()
    examples: tuple[dict[str, str], ...] = ()

    # Rows that name again what an earlier row counted (the combined sheet's second guardian of a child):
    # the report shows them, so that its counts add up to the file's rows.
    repeated_rows = 0

    def __init__(self, ctx: Any):
        self.ctx = ctx
        self.counts: dict[str, Counter] = {}

    def match_headers(self, headers: list[str]) -> dict[str, int]:
        """Map the column keys to their positions in the file's header row (see `fields.match_headers`)."""
        return match_headers(self.columns, headers)

    def check_headers(self, positions: dict[str, int]) -> None:
        """Refuse a file missing a column that only some combinations require."""

    def check(self, row: Row) -> None:
        raise NotImplementedError

    def save(self, *, actor: Actor) -> None:
        raise NotImplementedError

    def report_counts(self) -> dict[str, dict[str, int]]:
        """The counts the report and the audit record show, per entity."""
        return {entity: dict(c) for entity, c in self.counts.items()}

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
