"""Flood protection of the public form without third-party captchas.

Each display of the form carries a signed token: when it was first shown and a
random one-time nonce. The token is carried unchanged through an error page,
so the fill time counts from the first display; the application saved from it
keeps the nonce under a unique constraint, so one form serves one application.
A form sent faster than a person fills it, or with the hidden trap field
filled (browsers' autofill may do that), is never dropped: the sender gets a
visible extra step (a confirmation with a simple sum) and the application is
saved after it. The limits per address and per school are counted in the
database by the service (`application_submit`) and only hold an application,
never refuse it. Addresses are kept as a keyed hash; behind trusted proxies the
client's address comes from X-Forwarded-For (ejournal.core.net).
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass

from django.core import signing
from django.http import HttpRequest
from django.utils.crypto import salted_hmac

from ejournal.core.net import client_ip

from .rules import service_setting

HONEYPOT = "website"
STARTED_FIELD = "started"
ANSWER_FIELD = "answer"
SALT = "ejournal.service.form"


@dataclass(frozen=True)
class FormToken:
    shown: float  # when the form was first shown (seconds since the epoch)
    nonce: str  # one application per nonce
    question: tuple[int, int] | None  # the sum asked on the confirmation step; None on the form itself


def form_token(now: float | None = None, *, question: tuple[int, int] | None = None) -> str:
    """A signed record of when the form was shown, with a fresh one-time nonce."""
    payload: dict = {"t": time.time() if now is None else now, "n": secrets.token_hex(16)}
    if question is not None:
        payload["q"] = list(question)
    return signing.dumps(payload, salt=SALT)


def confirm_token() -> str:
    """The token of the confirmation step: a new nonce and a sum a person answers at a glance."""
    return form_token(question=(secrets.randbelow(8) + 2, secrets.randbelow(8) + 2))


def token_read(token: str, now: float | None = None) -> FormToken | None:
    """The form's token; None for a missing, forged or stale one."""
    try:
        data = signing.loads(token or "", salt=SALT)
        shown, nonce = float(data["t"]), str(data["n"])
        question = (int(data["q"][0]), int(data["q"][1])) if "q" in data else None
    except (signing.BadSignature, KeyError, IndexError, TypeError, ValueError):
        return None
    age = (time.time() if now is None else now) - shown
    if age < 0 or age > service_setting("form_max_age_seconds") or not nonce:
        return None
    return FormToken(shown=shown, nonce=nonce, question=question)


def form_age(token: str, now: float | None = None) -> float | None:
    """Seconds since the form was first shown; None for a missing, forged or stale token."""
    read = token_read(token, now)
    return None if read is None else (time.time() if now is None else now) - read.shown


def needs_confirmation(data, token: FormToken, now: float | None = None) -> bool:
    """A filled trap field or a form sent faster than a person can fill it: ask for the extra step."""
    if data.get(HONEYPOT, "").strip():
        return True
    return (time.time() if now is None else now) - token.shown < service_setting("min_fill_seconds")


def answer_ok(token: FormToken, answer: str) -> bool:
    if token.question is None:
        return False
    return answer.strip() == str(sum(token.question))


def client_address(request: HttpRequest) -> str:
    return client_ip(request) or "unknown"


def source_of(request: HttpRequest) -> str:
    """A keyed hash of the client's address: counts applications per sender without keeping the address."""
    return salted_hmac(SALT, client_address(request)).hexdigest()[:32]
