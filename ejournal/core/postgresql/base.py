"""Django's PostgreSQL backend whose health check asks the socket before the server.

With CONN_HEALTH_CHECKS a persistent connection is checked at the first query of every request, and Django's
check is a `SELECT 1`: one more round trip for every request, the diary's cached week included (a third of its
database round trips). A connection the server has ended — a restart, `pg_terminate_backend`, an idle timeout —
is readable at once: the server sends its FATAL message and closes the socket. So the check polls the socket
without waiting: nothing to read and a connection psycopg has not marked broken is usable as it is; anything to
read (or a transaction left open) gets Django's `SELECT 1`. A peer that vanished without closing (its host
lost) is found by the first query, as without health checks, and Django then drops the connection.

With Django's psycopg pool (`OPTIONS["pool"]`, settings `DB_POOL_MAX`) the same check is the pool's: it runs
as the pool hands a connection to a request (`pool.check`), in place of psycopg_pool's empty query.
"""

from __future__ import annotations

import select
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db.backends.base.base import NO_DB_ALIAS
from django.db.backends.postgresql.base import DatabaseWrapper as PostgresWrapper
from psycopg.pq import TransactionStatus

from ejournal.core.postgresql.pool import check


class DatabaseWrapper(PostgresWrapper):
    # Django's own members the pool below builds on (private, so not in django-stubs).
    _connection_pools: dict[str, Any]
    _configure_connection: Callable[..., Any]

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

    @property
    def pool(self):
        """Django's pool (django/db/backends/postgresql/base.py), checked by the socket (`pool.check`)."""
        options = self.settings_dict["OPTIONS"].get("pool")
        if self.alias == NO_DB_ALIAS or not options:
            return None
        if self.alias not in self._connection_pools:
            if self.settings_dict.get("CONN_MAX_AGE", 0) != 0:
                raise ImproperlyConfigured("Pooling doesn't support persistent connections.")
            from psycopg_pool import ConnectionPool

            kwargs = {**self.get_connection_params(), "autocommit": True}  # Django sets autocommit later on
            checked = check if self.settings_dict["CONN_HEALTH_CHECKS"] else None
            pool = ConnectionPool(kwargs=kwargs, open=False, configure=self._configure_connection, check=checked,
                                  **({} if options is True else options))  # fmt: skip
            self._connection_pools.setdefault(self.alias, pool)  # the first of several threads wins
        return self._connection_pools[self.alias]
