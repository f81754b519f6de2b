"""Django's PostgreSQL backend whose health check asks the socket before the server.

With CONN_HEALTH_CHECKS a persistent connection is checked at the first query of every request, and Django's
check is a `SELECT 1`: one more round trip for every request, the diary's cached week included (a third of its
database round trips). A connection the server has ended — a restart, `pg_terminate_backend`, an idle timeout —
is readable at once: the server sends its FATAL message and closes the socket. So the check polls the socket
without waiting: nothing to read and a connection psycopg has not marked broken is usable as it is; anything to
read (or a transaction left open) gets Django's `SELECT 1`. A peer that vanished without closing (its host
lost) is found by the first query, as without health checks, and Django then drops the connection.
"""

from __future__ import annotations

import select

from django.db.backends.postgresql.base import DatabaseWrapper as PostgresWrapper
from psycopg.pq import TransactionStatus


class DatabaseWrapper(PostgresWrapper):
    def is_usable(self) -> bool:
        connection = self.connection
        if connection is None or connection.closed or connection.broken:
            return False
        if connection.info.transaction_status == TransactionStatus.IDLE:
            try:
                readable, _w, _x = select.select([connection.fileno()], [], [], 0)
            except (OSError, ValueError):
                return False
            if not readable:
                return True
        return super().is_usable()
