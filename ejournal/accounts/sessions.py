"""Signing in (after every factor), the index of a user's sessions and ending the other ones.

The session store (cached_db) cannot be searched by user, so each sign-in writes a
`SignInSession` row; «выйти на других устройствах» deletes the other rows' sessions and
raises `User.session_generation`, which ends any session the index missed too.
"""

from __future__ import annotations

import datetime as dt
import secrets
from importlib import import_module

from django.conf import settings
from django.contrib.auth import login, update_session_auth_hash
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone

from ejournal.core.audit import audit_record
from ejournal.core.net import client_ip

from .http import request_user
from .models import SignInSession, User

SESSION_SID = "_sign_in_sid"
SESSION_SEEN = "_sign_in_seen"
# Set when a role requires a second factor the user has not set up: only the enrolment page opens.
SESSION_ENROL = "_second_factor_enrol"


def sign_in_complete(
    request: HttpRequest, user: User, *, backend: str, enrol: bool = False, via_provider: bool = False
) -> None:
    """Log the user in (every factor passed) and index the new session."""
    login(request, user, backend=backend)
    now = timezone.now()
    sid = secrets.token_hex(16)
    # Rows of sessions that have certainly ended (no use for a working day) go at the next sign-in.
    SignInSession.objects.filter(
        user=user, last_seen_at__lt=now - dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    ).delete()
    SignInSession.objects.create(
        user=user,
        sid=sid,
        session_key=request.session.session_key or "",
        user_agent=request.headers.get("User-Agent", "")[:300],
        ip_address=client_ip(request) or None,
        last_seen_at=now,
        via_provider=via_provider,
    )
    request.session[SESSION_SID] = sid
    request.session[SESSION_SEEN] = int(now.timestamp())
    if enrol:
        request.session[SESSION_ENROL] = True


def sign_in_session_seen(request: HttpRequest) -> None:
    """Write «last seen» of this session, at most every SIGN_IN_SEEN_EVERY_SECONDS (no write per request)."""
    sid = request.session.get(SESSION_SID)
    seen = request.session.get(SESSION_SEEN)
    if not sid or not isinstance(seen, int):
        return
    now = timezone.now()
    if now.timestamp() - seen < settings.SIGN_IN_SEEN_EVERY_SECONDS:
        return
    SignInSession.objects.filter(sid=sid).update(last_seen_at=now, session_key=request.session.session_key or "")
    request.session[SESSION_SEEN] = int(now.timestamp())


def sign_in_session_close(request: HttpRequest) -> None:
    """Forget this session's row at sign-out."""
    sid = request.session.get(SESSION_SID)
    if sid:
        SignInSession.objects.filter(sid=sid).delete()


def sign_in_sessions_of(user: User) -> list[SignInSession]:
    """The user's sessions that may still be alive, the most recently seen first."""
    since = timezone.now() - dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    return list(SignInSession.objects.filter(user=user, last_seen_at__gte=since).order_by("-last_seen_at", "-id"))


def sign_in_sessions_end_others(request: HttpRequest, *, actor=None) -> int:
    """End every session of the user but this one; return how many were listed."""
    user = request_user(request)
    sid = request.session.get(SESSION_SID)
    with transaction.atomic():
        others = SignInSession.objects.filter(user=user).exclude(sid=sid or "")
        keys = list(others.values_list("session_key", flat=True))
        others.delete()
        User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
        user.refresh_from_db(fields=["session_generation"])
        audit_record(actor=actor, action="sessions_end_others", obj=user, changes={"sessions": [len(keys), 0]})
    # This session is signed again with the new generation (and gets a new key).
    update_session_auth_hash(request, user)
    if sid:
        SignInSession.objects.filter(sid=sid).update(session_key=request.session.session_key or "")
    store = import_module(settings.SESSION_ENGINE).SessionStore
    for key in keys:
        if key:
            store(session_key=key).delete()
    return len(keys)
