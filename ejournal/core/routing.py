"""Reads that tolerate a second of lag go to the standby; everything else, and every write, to the primary.

With `DATABASE_REPLICA_URL` set there is a second alias, `replica` (libpq's `target_session_attrs=prefer-standby`
over every node, so it still answers while the primary is away and after a failover). `ReadRoutingMiddleware`
marks a request as lag-tolerant when it is a GET or HEAD under one of `READ_REPLICA_PATHS` (the diary, the
city's reports and monitoring, the filling control); `ReplicaRouter` then sends its reads to `replica`.

Read-your-writes: any request that may have written (any other method) sets a cookie holding the time until
which its user's reads stay on the primary (`READ_PIN_SECONDS`, longer than the standby's lag), so a parent who
has just pressed «ознакомлен» or a teacher who has just saved a mark sees it on the next page. Reads inside a
transaction on the primary stay there too (a view that reads what it has just written).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from contextvars import ContextVar

from django.conf import settings
from django.db import connections
from django.http import HttpRequest, HttpResponse

REPLICA = "replica"
PIN_COOKIE = "ej_primary_until"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
_lag_tolerant: ContextVar[bool] = ContextVar("lag_tolerant", default=False)


def replica_configured() -> bool:
    return bool(getattr(settings, "READ_REPLICA_ALIAS", ""))


class ReplicaRouter:
    """Reads of a lag-tolerant request to the standby, unless inside a transaction on the primary."""

    def db_for_read(self, model, **hints) -> str | None:
        if _lag_tolerant.get() and not connections["default"].in_atomic_block:
            return settings.READ_REPLICA_ALIAS
        return "default"

    def db_for_write(self, model, **hints) -> str:
        return "default"  # an instance read from the standby is saved on the primary

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        return True  # both aliases are the same database

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool:
        return db == "default"


def request_pinned(request: HttpRequest, now: float | None = None) -> bool:
    """The user wrote less than READ_PIN_SECONDS ago (their cookie says until when)."""
    try:
        until = float(request.COOKIES.get(PIN_COOKIE, "0"))
    except ValueError:
        return False
    return until > (time.time() if now is None else now)


def lag_tolerant(request: HttpRequest) -> bool:
    if not replica_configured() or request.method not in ("GET", "HEAD") or request_pinned(request):
        return False
    return request.path.startswith(tuple(settings.READ_REPLICA_PATHS))


class ReadRoutingMiddleware:
    """Mark the request for the router; after a possible write pin the user's reads to the primary."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _lag_tolerant.set(lag_tolerant(request))
        try:
            response = self.get_response(request)
        finally:
            _lag_tolerant.reset(token)
        if replica_configured() and request.method not in SAFE_METHODS:
            seconds = settings.READ_PIN_SECONDS
            response.set_cookie(
                PIN_COOKIE, f"{time.time() + seconds:.0f}", max_age=seconds,
                secure=settings.SESSION_COOKIE_SECURE, httponly=True, samesite="Lax",
            )  # fmt: skip
        return response
