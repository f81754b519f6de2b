"""The check of Django's psycopg pool (`DB_POOL_MAX`, docs/decisions/0019-cluster-pooling.md) that costs no round
trip: a connection is handed to a request only after this check, as the persistent connection is by `base`.

psycopg_pool's own check (`ConnectionPool.check_connection`) sends an empty query: one more round trip for every
request. A connection the server has ended — its primary stopped or failed over, `pg_terminate_backend`, an
idle timeout — is readable at once (the FATAL message, then the closed socket), so the socket is polled without
waiting: nothing to read, idle and not marked broken, it is usable as it is; anything to read gets the server's
answer, and a connection that fails it is thrown away by the pool, which hands out (or opens) another. Imports
nothing of Django: the settings name it.
"""

from __future__ import annotations

import select

import psycopg
from psycopg.pq import TransactionStatus


def check(connection: psycopg.Connection) -> None:
    """Raise if the pooled `connection` is not usable (psycopg_pool then discards it)."""
    if connection.closed or connection.broken:
        raise psycopg.OperationalError("the connection is closed")
    if connection.info.transaction_status == TransactionStatus.IDLE:
        try:
            readable, _w, _x = select.select([connection.fileno()], [], [], 0)
        except (OSError, ValueError) as exc:
            raise psycopg.OperationalError("the connection's socket is gone") from exc
        if not readable:
            return
    from psycopg_pool import ConnectionPool

    ConnectionPool.check_connection(connection)
