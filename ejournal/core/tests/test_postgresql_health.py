"""The PostgreSQL backend's health check (ejournal.core.postgresql), against the PostgreSQL server on both test
runs (a connection of its own to the `postgres` database, whatever the tests' default database is)."""

from __future__ import annotations

import time

import psycopg
import pytest
from django.db.backends.postgresql.base import DatabaseWrapper as PostgresWrapper
from django.db.utils import ConnectionHandler

from ejournal.core.postgresql.base import DatabaseWrapper

SERVER = {"ENGINE": "ejournal.core.postgresql", "NAME": "postgres", "USER": "postgres", "HOST": "127.0.0.1",
          "PORT": "5432", "CONN_HEALTH_CHECKS": True}  # fmt: skip


@pytest.fixture
def wrapper():
    connection = DatabaseWrapper(ConnectionHandler({"default": SERVER}).settings["default"], "health")
    connection.ensure_connection()
    yield connection
    connection.close()


@pytest.fixture
def round_trips(monkeypatch):
    calls = []
    real = PostgresWrapper.is_usable

    def counted(self):
        calls.append(1)
        return real(self)

    monkeypatch.setattr(PostgresWrapper, "is_usable", counted)
    return calls


@pytest.mark.django_db
def test_an_idle_connection_is_usable_without_a_round_trip(wrapper, round_trips):
    assert wrapper.is_usable() is True
    assert round_trips == []
    with wrapper.cursor() as cursor:  # and it works
        cursor.execute("SELECT 2")
        assert cursor.fetchone() == (2,)


@pytest.mark.django_db
def test_a_connection_the_server_ended_is_found_unusable(wrapper, round_trips):
    pid = wrapper.connection.info.backend_pid
    with psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=postgres", autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])
    deadline = time.monotonic() + 5
    while wrapper.is_usable() and time.monotonic() < deadline:  # the FATAL message reaches the socket
        time.sleep(0.01)
    assert wrapper.is_usable() is False
    assert round_trips  # the readable socket was checked by the server's answer
    wrapper.health_check_done = False  # a new request (Django's request_started)
    wrapper.close_if_health_check_failed()  # what Django does at the request's first query
    with wrapper.cursor() as cursor:  # a new connection
        cursor.execute("SELECT 3")
        assert cursor.fetchone() == (3,)
    assert wrapper.connection.info.backend_pid != pid


@pytest.mark.django_db
def test_inside_a_transaction_the_server_is_asked(wrapper, round_trips):
    wrapper.connection.execute("BEGIN")
    assert wrapper.is_usable() is True
    assert round_trips == [1]
    wrapper.connection.execute("ROLLBACK")


# --- the same check as Django's psycopg pool's (DB_POOL_MAX, docs/decisions/0019-cluster-pooling.md) ----------

POOLED = {**SERVER, "CONN_MAX_AGE": 0, "OPTIONS": {"pool": {"min_size": 1, "max_size": 1, "timeout": 5}}}


@pytest.fixture
def pooled(monkeypatch):
    from psycopg_pool import ConnectionPool

    checks = []
    real = ConnectionPool.check_connection

    def counted(connection):
        checks.append(1)
        return real(connection)

    monkeypatch.setattr(ConnectionPool, "check_connection", staticmethod(counted))
    connection = DatabaseWrapper(ConnectionHandler({"default": POOLED}).settings["default"], "pooled")
    yield connection, checks
    connection.close()
    connection.close_pool()


def request(wrapper) -> int:
    """One request's use of the pool: a connection at the first query, given back at the end; its backend."""
    with wrapper.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    wrapper.close()
    return pid


@pytest.mark.django_db
def test_the_pool_hands_out_an_idle_connection_without_a_round_trip(pooled):
    wrapper, checks = pooled
    first = request(wrapper)
    assert request(wrapper) == first  # the same server connection, kept by the pool
    assert checks == []


@pytest.mark.django_db
def test_a_pooled_connection_the_server_ended_is_discarded(pooled):
    """A failover ends the old primary's connections: the pool must not hand one to the next request."""
    wrapper, checks = pooled
    pid = request(wrapper)
    with psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=postgres", autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])
    time.sleep(0.2)  # the FATAL message reaches the socket
    assert request(wrapper) != pid  # a new connection, and the request's query worked
    assert checks  # the readable socket was checked by the server's answer


@pytest.mark.django_db
def test_a_statement_prepared_on_a_pooled_connection_stays_prepared(pooled):
    """ejournal.core.sql prepares its reads once per server connection: the pool must keep the session as is."""
    wrapper, _checks = pooled
    with wrapper.cursor() as cursor:
        cursor.execute("PREPARE pooled_probe (int) AS SELECT $1 + 1")
    wrapper.close()
    with wrapper.cursor() as cursor:
        cursor.execute("EXECUTE pooled_probe (41)")
        assert cursor.fetchone() == (42,)
        cursor.execute("DEALLOCATE pooled_probe")
    wrapper.close()
