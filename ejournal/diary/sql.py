"""The diary's raw reads: statements prepared once per PostgreSQL connection, the plain query elsewhere."""

from __future__ import annotations

import weakref

from django.db import connection


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
    them; elsewhere the plain query with the lists spelled out."""
    STATEMENTS.setdefault(name, (build, types))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            done = _PREPARED.setdefault(connection.connection, set())
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
