"""/healthz, /readyz and /metrics: what a load balancer and Prometheus are told, without a cluster."""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import OperationalError
from django.http import HttpResponse
from django.test import RequestFactory

from ejournal.core import metrics, ops
from ejournal.core.cache import breakers_reset

pytestmark = pytest.mark.django_db

CLOSED_PORT = "redis://127.0.0.1:9/0"  # discard: nothing listens, the connection is refused at once


def test_healthz_answers_without_the_database(client):
    with mock.patch.object(ops, "database_state", side_effect=AssertionError("asked the database")):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"


def test_readyz_says_the_database_is_writable_and_the_cache_local(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"database": "writable", "cache": "local"}


def test_readyz_is_503_when_the_database_is_away(client):
    with mock.patch("django.db.backends.utils.CursorWrapper.execute", side_effect=OperationalError("gone")):
        state = ops.database_state("default")
    assert state == "down"
    with mock.patch.object(ops, "database_state", return_value="down"):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["database"] == "down"


def test_readyz_says_readable_on_a_standby(client):
    with mock.patch.object(ops, "database_state", return_value="readable"):
        response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["database"] == "readable"


def test_database_state_of_the_test_server_is_writable():
    assert ops.database_state("default") == "writable"  # PostgreSQL: pg_is_in_recovery() is false on a primary


def test_readyz_says_the_cache_is_down_and_stays_ready(client, settings):
    breakers_reset()
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "redis": {"BACKEND": "ejournal.core.cache.RedisCache", "LOCATION": CLOSED_PORT},
    }
    assert ops.cache_state("redis") == "down"
    with mock.patch.object(ops, "cache_state", return_value="down"):
        response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"database": "writable", "cache": "down"}


def test_readyz_reports_the_replica_when_there_is_one(client, settings):
    settings.READ_REPLICA_ALIAS = "replica"
    with mock.patch.object(ops, "database_state", side_effect=lambda alias: {"default": "down"}.get(alias, "readable")):
        response = client.get("/readyz")
    assert response.status_code == 200  # reads still served from the standby
    assert response.json()["replica"] == "readable"


def _sample(name: str, labels: dict) -> float:
    from prometheus_client import REGISTRY

    return REGISTRY.get_sample_value(name, labels) or 0.0


def test_metrics_count_latency_by_view_and_errors(client):
    before = _sample("ejournal_request_seconds_count", {"view": "healthz", "method": "GET"})
    client.get("/healthz")
    assert _sample("ejournal_request_seconds_count", {"view": "healthz", "method": "GET"}) == before + 1
    body = client.get("/metrics").content.decode()
    assert 'ejournal_request_seconds_bucket{le="0.005",method="GET",view="healthz"}' in body
    assert "ejournal_celery_queue_length" in body


def test_metrics_count_the_journals_saves_and_5xx():
    request = RequestFactory().post("/journal/1/1/cells/")
    request.resolver_match = mock.Mock(view_name="journal:cells")
    saved = _sample("ejournal_journal_saves_total", {"outcome": "saved"})
    refused = _sample("ejournal_journal_saves_total", {"outcome": "503"})
    errors = _sample("ejournal_errors_total", {"view": "journal:cells"})
    metrics.MetricsMiddleware(lambda r: HttpResponse("ok"))(request)
    metrics.MetricsMiddleware(lambda r: HttpResponse("away", status=503))(request)
    assert _sample("ejournal_journal_saves_total", {"outcome": "saved"}) == saved + 1
    assert _sample("ejournal_journal_saves_total", {"outcome": "503"}) == refused + 1
    assert _sample("ejournal_errors_total", {"view": "journal:cells"}) == errors + 1


def test_an_unknown_path_is_one_label_whatever_it_is(client):
    before = _sample("ejournal_request_seconds_count", {"view": "unmatched", "method": "GET"})
    client.get("/no-such-page-1/")
    client.get("/no-such-page-2/")
    assert _sample("ejournal_request_seconds_count", {"view": "unmatched", "method": "GET"}) == before + 2


def test_queue_length_is_minus_one_with_the_broker_away(settings):
    settings.CELERY_BROKER_URL = CLOSED_PORT
    assert metrics.queue_length() == -1.0
    settings.CELERY_BROKER_URL = "memory://"
    assert metrics.queue_length() == -1.0


def test_metrics_sum_every_process_with_a_multiprocess_directory(tmp_path, monkeypatch):
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    body, content_type = metrics.exposition()
    assert content_type.startswith("text/plain")
    assert b"ejournal_celery_queue_length" in body
