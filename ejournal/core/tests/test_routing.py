"""The read router: lag-tolerant pages to the standby, writes and a writer's next reads to the primary."""

from __future__ import annotations

import logging
import time

import pytest
from django.db import router, transaction
from django.http import HttpResponse
from django.test import RequestFactory

from ejournal.accounts.models import User
from ejournal.core.dburl import database_parse
from ejournal.core.logs import JsonFormatter
from ejournal.core.routing import PIN_COOKIE, ReadRoutingMiddleware, ReplicaRouter

ROUTER = "ejournal.core.routing.ReplicaRouter"


@pytest.fixture
def replica(settings):
    settings.READ_REPLICA_ALIAS = "replica"
    settings.DATABASE_ROUTERS = [ROUTER]
    settings.READ_REPLICA_PATHS = ["/diary/", "/city/"]
    settings.READ_PIN_SECONDS = 10


def _read_alias(request) -> tuple[str, HttpResponse]:
    seen = {}

    def view(req):
        seen["alias"] = router.db_for_read(User)
        return HttpResponse("ok")

    response = ReadRoutingMiddleware(view)(request)
    return seen["alias"], response


def test_a_diary_page_reads_from_the_standby(replica):
    alias, response = _read_alias(RequestFactory().get("/diary/"))
    assert alias == "replica"
    assert PIN_COOKIE not in response.cookies


def test_other_pages_read_from_the_primary(replica):
    assert _read_alias(RequestFactory().get("/journal/"))[0] == "default"


def test_a_write_pins_the_users_reads_to_the_primary(replica):
    _alias, response = _read_alias(RequestFactory().post("/diary/ack/"))
    cookie = response.cookies[PIN_COOKIE]
    assert cookie["max-age"] == 10
    assert cookie["httponly"]
    assert float(cookie.value) > time.time() + 9
    request = RequestFactory().get("/diary/")
    request.COOKIES[PIN_COOKIE] = cookie.value
    assert _read_alias(request)[0] == "default"


def test_an_expired_or_forged_pin_does_not_hold(replica):
    for value in (f"{time.time() - 1:.0f}", "not-a-number"):
        request = RequestFactory().get("/diary/")
        request.COOKIES[PIN_COOKIE] = value
        assert _read_alias(request)[0] == "replica"


@pytest.mark.django_db(transaction=True)
def test_reads_inside_a_transaction_stay_on_the_primary(replica):
    def view(req):
        with transaction.atomic():
            return HttpResponse(router.db_for_read(User))

    response = ReadRoutingMiddleware(view)(RequestFactory().get("/diary/"))
    assert response.content == b"default"


def test_writes_always_go_to_the_primary_even_for_an_instance_read_from_the_standby(replica):
    user = User(username="x")
    user._state.db = "replica"
    assert ReplicaRouter().db_for_write(User, instance=user) == "default"
    assert ReplicaRouter().allow_migrate("replica", "journal") is False


def test_without_a_replica_nothing_is_routed_and_no_cookie_is_set(settings):
    settings.READ_REPLICA_ALIAS = ""
    response = ReadRoutingMiddleware(lambda r: HttpResponse("ok"))(RequestFactory().post("/diary/ack/"))
    assert PIN_COOKIE not in response.cookies


def test_a_multi_host_url_goes_to_libpq_as_lists():
    config = database_parse(
        "postgres://app:secret@127.0.0.1:5601,127.0.0.1:5602/ejournal?target_session_attrs=read-write"
    )
    assert config["HOST"] == "127.0.0.1,127.0.0.1"
    assert config["PORT"] == "5601,5602"
    assert (config["USER"], config["PASSWORD"], config["NAME"]) == ("app", "secret", "ejournal")
    assert config["OPTIONS"] == {"target_session_attrs": "read-write"}
    assert database_parse("postgres://a@[::1]:5601,h2/db")["PORT"] == "5601,5432"
    assert database_parse("postgres://a@h1:5601/db")["PORT"] == 5601  # one host: dj-database-url as before


def test_json_logs_are_one_object_a_line_with_the_extra_fields():
    import json

    record = logging.LogRecord("ejournal.journal", logging.WARNING, __file__, 1, "saved %s", ("5",), None)
    record.school_id = 7
    entry = json.loads(JsonFormatter().format(record))
    assert entry["message"] == "saved 5"
    assert entry["level"] == "WARNING"
    assert entry["school_id"] == 7
    assert entry["time"].endswith("+00:00")


def test_the_prepared_hot_reads_follow_the_router():
    from unittest import mock

    from django.utils.connection import ConnectionDoesNotExist

    from ejournal.core import sql

    with (
        mock.patch("ejournal.core.sql.router.db_for_read", return_value="standby-alias") as routed,
        pytest.raises(ConnectionDoesNotExist),
    ):
        sql._select("probe", lambda listed: "SELECT 1", {}, {})
    routed.assert_called_once()
