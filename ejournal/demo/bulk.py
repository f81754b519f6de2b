"""Bulk loading with explicit ids: COPY on PostgreSQL, batched bulk_create elsewhere.

Rows are dicts keyed by field attname (`school_id`, not `school`). Ids are
allocated in memory, so a generator can point foreign keys at rows it has not
written yet; rows are written in the order their models were first seen, which
must therefore be parents before children. After a load on PostgreSQL the id
sequences must be reset (`sequences_reset`), or the next ordinary insert
collides with a loaded id.
"""

from __future__ import annotations

from collections import defaultdict

from django.core.management.color import no_style
from django.db import connection
from django.db.models import Max, Model

from ejournal.core.bulk import column_defaults

SQLITE_BATCH = 500


class BulkWriter:
    """Collects rows per model and writes them in bulk on `flush()`."""

    def __init__(self) -> None:
        self._next_id: dict[type[Model], int] = {}
        self._rows: dict[type[Model], list[dict]] = defaultdict(list)
        self.counts: dict[str, int] = defaultdict(int)
        self.models: list[type[Model]] = []

    def new_id(self, model: type[Model]) -> int:
        """Allocate the next id of `model`, continuing after the rows already stored."""
        if model not in self._next_id:
            self._next_id[model] = (model._default_manager.aggregate(m=Max("pk"))["m"] or 0) + 1
            self.models.append(model)
        value = self._next_id[model]
        self._next_id[model] = value + 1
        return value

    def add(self, model: type[Model], **row) -> int:
        """Queue one row; allocate its id unless given. Return the id."""
        if "id" not in row:
            row["id"] = self.new_id(model)
        elif model not in self._next_id:
            self.new_id(model)
        self._rows[model].append(row)
        return row["id"]

    def update(self, model: type[Model], row_id: int, **changes) -> None:
        """Change a row that is still queued (not flushed yet)."""
        row = next(r for r in self._rows[model] if r["id"] == row_id)
        row.update(changes)

    def flush(self) -> None:
        """Write every queued row, parents first (the order models were first seen)."""
        for model in self.models:
            rows = self._rows.pop(model, None)
            if not rows:
                continue
            if connection.vendor == "postgresql":
                _copy(model, rows)
            else:
                model._default_manager.bulk_create([model(**row) for row in rows], batch_size=SQLITE_BATCH)
            self.counts[model._meta.db_table] += len(rows)


def _copy(model: type[Model], rows: list[dict]) -> None:
    fields = column_defaults(model)
    quote = connection.ops.quote_name
    columns = ", ".join(quote(column) for _, column, _ in fields)
    sql = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row([row.get(attname, default) for attname, _, default in fields])


def sequences_reset(models: list[type[Model]]) -> None:
    """Move PostgreSQL id sequences past the loaded ids (other backends need nothing)."""
    if connection.vendor != "postgresql" or not models:
        return
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
