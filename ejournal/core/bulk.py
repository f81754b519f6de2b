"""Inserting many rows at once: COPY on PostgreSQL, batched bulk_create elsewhere.

Rows are dicts keyed by field attname (`school_id`, not `school`). A row
without `id` gets one from the database (the identity column on PostgreSQL).
Nothing here runs model `save()`; callers validate first.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection
from django.db.models import Model
from django.db.models.fields import NOT_PROVIDED

from .sql import column

BATCH = 5000


def rows_insert(model: type[Model], rows: Iterable[dict], *, with_ids: bool = False) -> int:
    """Insert `rows` of `model`; return how many. `with_ids`: rows carry their own `id`."""
    if connection.vendor == "postgresql":
        return _copy(model, rows, with_ids=with_ids)
    count = 0
    batch: list[Model] = []
    for row in rows:
        batch.append(model(**row))
        if len(batch) >= BATCH:
            count += len(model._default_manager.bulk_create(batch))
            batch = []
    if batch:
        count += len(model._default_manager.bulk_create(batch))
    return count


def column_defaults(model: type[Model], *, with_ids: bool = True) -> list[tuple[str, str, object]]:
    """(attname, column, default) of each concrete field; a callable default is called once."""
    result: list[tuple[str, str, object]] = []
    for field in model._meta.concrete_fields:
        if field.primary_key and not with_ids:
            continue
        if field.default is not NOT_PROVIDED:
            default = field.default() if callable(field.default) else field.default
        else:
            default = None if field.null or not field.empty_strings_allowed else ""
        result.append((field.attname, column(model, field.name), default))
    return result


def _copy(model: type[Model], rows: Iterable[dict], *, with_ids: bool) -> int:
    fields = column_defaults(model, with_ids=with_ids)
    quote = connection.ops.quote_name
    columns = ", ".join(quote(column) for _, column, _ in fields)
    sql = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"
    count = 0
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row([row.get(attname, default) for attname, _, default in fields])
            count += 1
    return count
