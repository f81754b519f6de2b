"""Flood protection of the public form without third-party captchas.

A honeypot field, a signed timestamp of when the form was shown, and a rate
limit per address and per school kept in Django's cache (in-process by
default, Redis when REDIS_URL is set). Addresses are hashed in cache keys;
behind trusted proxies the client's address comes from X-Forwarded-For (ejournal.core.net).

With Redis away (`ejournal.core.cache`) the counters can be neither read nor
kept. The form then stays open (real parents are never locked out by our
outage) and the school's limit is counted from the applications received in
the window, in the database; the per-address limit is not applied meanwhile
(addresses are not stored), the honeypot and the form's age still are.
"""

from __future__ import annotations

import hashlib
import time
from datetime import timedelta

from django.core import signing
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone

from ejournal.core.cache import cache_available
from ejournal.core.net import client_ip

from .models import Application
from .rules import service_setting

HONEYPOT = "website"
STARTED_FIELD = "started"
SALT = "ejournal.service.form"


def form_token(now: float | None = None) -> str:
    """A signed record of when the form was shown."""
    return signing.dumps({"t": time.time() if now is None else now}, salt=SALT)


def form_age(token: str, now: float | None = None) -> float | None:
    """Seconds since the form was shown; None for a missing, forged or stale token."""
    try:
        shown = float(signing.loads(token or "", salt=SALT)["t"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    age = (time.time() if now is None else now) - shown
    if age < 0 or age > service_setting("form_max_age_seconds"):
        return None
    return age


def looks_like_bot(data) -> bool:
    """A filled honeypot or a form sent faster than a person can fill it."""
    if data.get(HONEYPOT, "").strip():
        return True
    age = form_age(data.get(STARTED_FIELD, ""))
    return age is not None and age < service_setting("min_fill_seconds")


def client_address(request: HttpRequest) -> str:
    return client_ip(request) or "unknown"


def _keys(address: str, school_id: int) -> tuple[str, str]:
    digest = hashlib.sha256(address.encode()).hexdigest()[:32]
    return f"service:rate:ip:{digest}", f"service:rate:school:{school_id}"


def rate_exceeded(address: str, school_id: int) -> bool:
    """Whether the address or the school has had its applications for the window (see the module's note)."""
    ip_key, school_key = _keys(address, school_id)
    counts = cache.get_many([ip_key, school_key])
    if not cache_available():
        since = timezone.now() - timedelta(seconds=service_setting("rate_window_seconds"))
        received = Application.objects.filter(school_id=school_id, received_at__gte=since).count()
        return received >= service_setting("rate_per_school")
    return counts.get(ip_key, 0) >= service_setting("rate_per_ip") or counts.get(school_key, 0) >= service_setting(
        "rate_per_school"
    )


def rate_count(address: str, school_id: int) -> None:
    """Count one accepted application against the address and the school."""
    window = service_setting("rate_window_seconds")
    for key in _keys(address, school_id):
        if not cache.add(key, 1, timeout=window):
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.add(key, 1, timeout=window)
