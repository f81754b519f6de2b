"""Health, readiness and metrics for the operators' tools (load balancer, pg_auto_failover drills, Prometheus).

`/healthz` says only that the process answers (no database, no cache): a load balancer restarts a node that
fails it. `/readyz` says what the node can do now: the database writable (the primary), only readable (a
standby, or the primary in recovery), or away; the standby of the read router the same way; the cache
reachable, away, or in-process. It answers 200 while the database can at least be read (Redis is optional,
docs/decisions/0007-outages.md) and 503 when it cannot. `/metrics` is Prometheus' text format
(`ejournal.core.metrics`); nginx serves none of the three to the outside world (deploy/nginx.conf.template).
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError, connections
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache

from ejournal.access.decorators import public

from . import metrics


def database_state(alias: str) -> str:
    """`writable`, `readable` (a standby) or `down`; every connection problem is `down`, never an exception."""
    connection = connections[alias]
    try:
        with connection.cursor() as cursor:
            if connection.vendor != "postgresql":
                cursor.execute("SELECT 1")
                return "writable"
            cursor.execute("SELECT pg_is_in_recovery()")
            (in_recovery,) = cursor.fetchone()
    except DatabaseError:
        connection.close_if_unusable_or_obsolete()
        return "down"
    return "readable" if in_recovery else "writable"


def cache_state(alias: str = "default") -> str:
    """`reachable`, `down`, or `local` (the in-process cache of a single-process setup)."""
    from .cache import RedisCache

    backend = caches[alias]
    if not isinstance(backend, RedisCache):
        return "local"
    try:
        backend._cache.get_client().ping()
    except Exception:
        return "down"
    return "reachable"


@public
def healthz(request: HttpRequest) -> HttpResponse:
    """The process answers: nothing else is asked."""
    return HttpResponse("ok\n", content_type="text/plain")


@public
@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    """What this node can serve now (see the module's docstring)."""
    state = {"database": database_state("default"), "cache": cache_state()}
    if settings.READ_REPLICA_ALIAS:
        state["replica"] = database_state(settings.READ_REPLICA_ALIAS)
    ready = state["database"] != "down" or state.get("replica", "down") != "down"
    return JsonResponse(state, status=200 if ready else 503)


@public
@never_cache
def metrics_view(request: HttpRequest) -> HttpResponse:
    """Prometheus' exposition of this node (all its worker processes with PROMETHEUS_MULTIPROC_DIR)."""
    body, content_type = metrics.exposition()
    return HttpResponse(body, content_type=content_type)
