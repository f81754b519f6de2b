"""Raw reads of the hot paths (the diary's week, the journal's save): statements prepared once per PostgreSQL
connection, the plain query elsewhere; and model instances made from their rows without the ORM's compiler.

`_select(name, build, types, params)` runs `build(listed)`; `columns(model, alias)` lists a model's concrete
columns for a SELECT, and `instances(row, start, *models)` makes the instances back from those columns
(None for a LEFT JOIN that found nothing).
"""

from __future__ import annotations

import weakref
from typing import Any

from django.db import connection, connections, router
from django.db.models import Field, Model


def columns(model, alias: str) -> str:
    """The model's concrete columns, in field order, as `alias."column"`, for a SELECT list."""
    quote = connection.ops.quote_name
    return ", ".join(f"{alias}.{quote(field.column)}" for field in model._meta.concrete_fields)


def concrete_field(model: type[Model], name: str) -> Field[Any, Any]:
    """The model's field `name`, a concrete one (`_meta.get_field` may also give a reverse relation)."""
    field = model._meta.get_field(name)
    if not isinstance(field, Field):
        raise TypeError(f"{model.__name__}.{name} is not a concrete field")
    return field


def column(model: type[Model], name: str) -> str:
    """The database column of the model's concrete field `name` (a relation's `_id` column for a foreign key)."""
    found = concrete_field(model, name).column
    if found is None:
        raise TypeError(f"{model.__name__}.{name} has no column")
    return found


def instances(row, start: int, *models) -> list:
    """The instances of `models` from their columns (as `columns` lists them) in `row` from `start` on.

    A model whose primary key is NULL there (a LEFT JOIN that found nothing) gives None."""
    out: list[Model | None] = []
    for model in models:
        names, pk, converters = _layout(model)
        values = list(row[start : start + len(names)])
        start += len(names)
        if values[pk] is None:
            out.append(None)
            continue
        for n, expression, functions in converters:  # the backend's conversions (SQLite: dates, booleans…)
            for convert in functions:
                values[n] = convert(values[n], expression, connection)
        out.append(model.from_db(model.objects.db, names, values))
    return out


def value(model, attname: str, raw):
    """One column's raw value as the model's field holds it (the backend's conversions applied)."""
    names, _pk, converters = _layout(model)
    n = names.index(attname)
    for at, expression, functions in converters:
        if at == n:
            for convert in functions:
                raw = convert(raw, expression, connection)
    return raw


_LAYOUTS: dict = {}


def _layout(model) -> tuple[list[str], int, list]:
    """The model's attnames, its primary key's position, and the converters the database needs (per vendor)."""
    key = (model, connection.vendor)
    if key not in _LAYOUTS:
        fields = model._meta.concrete_fields
        converters = []
        for n, field in enumerate(fields):
            expression = field.get_col(model._meta.db_table)
            functions = connection.ops.get_db_converters(expression) + expression.get_db_converters(connection)
            if functions:
                converters.append((n, expression, functions))
        _LAYOUTS[key] = ([f.attname for f in fields], fields.index(model._meta.pk), converters)
    return _LAYOUTS[key]


def _t(model) -> str:
    """The model's table, quoted."""
    return connection.ops.quote_name(model._meta.db_table)


_PREPARED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # PostgreSQL connection → names prepared
STATEMENTS: dict[str, tuple] = {}  # name → (SQL builder, parameter types), for `prepare_sql`


def _any(name: str) -> str:
    return f"= ANY(%({name})s)"


def prepare_sql(name: str) -> str:
    """PostgreSQL: the PREPARE of statement `name` (the benchmark's raw SQL replays the app's EXECUTEs)."""
    build, types = STATEMENTS[name]
    sql = build(_any) % {key: f"${n}" for n, key in enumerate(types, 1)}
    return f"PREPARE {name} ({', '.join(types.values())}) AS {sql}"


def _select(name: str, build, types: dict[str, str], params: dict) -> list[tuple]:
    """Run the SQL of `build(listed)` (%(x)s parameters; `listed(x)` tests membership in the list x).

    PostgreSQL: a statement prepared once per connection, as planning these joins costs more than running
    them; elsewhere the plain query with the lists spelled out. Read where the router says: a lag-tolerant
    page's reads go to the standby like the ORM's."""
    STATEMENTS.setdefault(name, (build, types))
    db = connections[router.db_for_read(None)]  # type: ignore[arg-type]  # no model: the standby for a diary page (core/routing.py)
    with db.cursor() as cursor:
        if db.vendor == "postgresql":
            done = _PREPARED.setdefault(db.connection, set())
            if name not in done:
                cursor.execute(prepare_sql(name))
                done.add(name)
            cursor.execute(f"EXECUTE {name} ({', '.join(f'%({key})s' for key in types)})", params)
        else:
            flat = {k: v for k, v in params.items() if not isinstance(v, list)}
            for key, values in params.items():
                if isinstance(values, list):
                    flat.update({f"{key}_{n}": v for n, v in enumerate(values)})

            def listed(key: str) -> str:
                return "IN (" + (", ".join(f"%({key}_{n})s" for n in range(len(params[key]))) or "NULL") + ")"

            cursor.execute(build(listed), flat)
        return cursor.fetchall()
