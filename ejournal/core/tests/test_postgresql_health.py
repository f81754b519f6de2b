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
