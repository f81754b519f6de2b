"""Prometheus metrics with prometheus-client: latency by view, journal saves, errors, the Celery queue.

Every request is timed by `MetricsMiddleware` under its URL name (`journal:cells`, `diary:week`; an unknown
path is `unmatched`, so a scan of random URLs cannot grow the label set). With gunicorn's several processes
set `PROMETHEUS_MULTIPROC_DIR` (an empty directory per node, emptied at start: deploy/gunicorn.conf.py) and
every process's samples are summed at `/metrics`. The queue's length is read from the broker at scrape time.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily

BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
REQUEST_SECONDS = Histogram(
    "ejournal_request_seconds", "Time to answer a request, by URL name", ["view", "method"], buckets=BUCKETS
)
RESPONSES = Counter("ejournal_responses_total", "Answers by URL name and status class", ["view", "status"])
ERRORS = Counter("ejournal_errors_total", "Answers 5xx and exceptions, by URL name", ["view"])
SAVES = Counter("ejournal_journal_saves_total", "Journal saves (journal:cells POST) by outcome", ["outcome"])

SAVE_VIEW = "journal:cells"


def _view_name(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    return (match.view_name or "unnamed") if match else "unmatched"


class MetricsMiddleware:
    """Time every request; count answers, errors and the journal's saves."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        try:
            response = self.get_response(request)
        except Exception:
            ERRORS.labels(_view_name(request)).inc()
            raise
        view = _view_name(request)
        REQUEST_SECONDS.labels(view, request.method).observe(time.perf_counter() - started)
        RESPONSES.labels(view, f"{response.status_code // 100}xx").inc()
        if response.status_code >= 500:
            ERRORS.labels(view).inc()
        if view == SAVE_VIEW and request.method == "POST":
            SAVES.labels("saved" if response.status_code == 200 else str(response.status_code)).inc()
        return response


class QueueCollector:
    """The length of Celery's default queue, read from the Redis broker when scraped (-1: broker away)."""

    def collect(self):
        family = GaugeMetricFamily("ejournal_celery_queue_length", "Tasks waiting in Celery's queue")
        family.add_metric([], queue_length())
        yield family


def queue_length() -> float:
    url = getattr(settings, "CELERY_BROKER_URL", "")
    if not url.startswith(("redis://", "rediss://")):
        return -1.0
    import redis

    try:
        client = redis.Redis.from_url(url, socket_timeout=0.25, socket_connect_timeout=0.25)
        return float(client.llen(getattr(settings, "CELERY_TASK_DEFAULT_QUEUE", "celery")))
    except redis.RedisError:
        return -1.0


def exposition() -> tuple[bytes, str]:
    """The text of /metrics: this process's registry, or every process's with PROMETHEUS_MULTIPROC_DIR."""
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.MultiProcessCollector(registry)
    else:
        from prometheus_client import REGISTRY

        registry = REGISTRY
        body = generate_latest(registry)
        queue = CollectorRegistry()
        queue.register(QueueCollector())
        return body + generate_latest(queue), CONTENT_TYPE_LATEST
    registry.register(QueueCollector())
    return generate_latest(registry), CONTENT_TYPE_LATEST
