"""How the indicators' statements run: plans without JIT and with memory for sorts, parts at once."""

from __future__ import annotations

import contextlib
import contextvars
from concurrent.futures import ThreadPoolExecutor

from django.db import connection, connections, transaction

# Memory for a statement's sorts and hashes: the term's mark counts of a district group ~10^5–10^6 rows.
AGGREGATE_WORK_MEM = "64MB"


@contextlib.contextmanager
def aggregate_plans():
    """On PostgreSQL outside a transaction, the block's statements run in one without JIT compilation and with
    more memory for sorts (`SET LOCAL`): the grouped counts' estimated costs set off JIT, whose compilation
    took longer than the execution (seconds per statement), and the term's counts spilled to disk.
    Inside a caller's transaction (tests, the stored figures' write) the session's settings stay as they are."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('jit', 'off', true), set_config('work_mem', %s, true)",
                           [AGGREGATE_WORK_MEM])  # fmt: skip
        yield


def in_parallel(calls: list) -> list:
    """Run the calls at once, each on its own thread with its own database connection (closed after) and the
    caller's context (the active time zone and language)."""

    def run(call, context: contextvars.Context):
        try:
            return context.run(call)
        finally:
            connections.close_all()  # this thread's connections only

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls, [contextvars.copy_context() for _ in calls]))
