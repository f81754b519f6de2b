"""The answer while PostgreSQL is away: 503 with Retry-After, never a 500.

`OperationalError` (cannot connect, the server ended the connection, a timeout) and `InterfaceError` (a
connection already closed) mean the database is away, not that the code is wrong. The page says so in
Russian inside the site's frame, rendered without the request's context (its user, session and menu would
read the database again; only the CSRF token, from its cookie); an htmx request (the journal's grid) gets
a short text to show in its status line, a JSON request a JSON error. Other errors stay 500s.
"""

from __future__ import annotations

import json
import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

OUTAGE_ERRORS = (OperationalError, InterfaceError)


def is_outage(error: BaseException | None) -> bool:
    return isinstance(error, OUTAGE_ERRORS)


def outage_response(request: HttpRequest, error: BaseException) -> HttpResponse:
    """503 for `error` (the database away) in the form the request can show."""
    logger.warning("Database away, 503 for %s %s: %s", request.method, request.path, error)
    title = _("Сервис временно недоступен")
    if request.headers.get("HX-Request"):
        body = _("Сервис временно недоступен: не сохранено. Повторите через минуту (Enter в ячейке).")
        response = HttpResponse(body, content_type="text/plain; charset=utf-8", status=503)
    elif "application/json" in request.headers.get("Accept", ""):
        payload = json.dumps({"error": title}, ensure_ascii=False)
        response = HttpResponse(payload, content_type="application/json", status=503)
    else:
        # The CSRF token from its cookie (no database): the footer's language form still works.
        context = {"title": title, "csrf_token": get_token(request)}
        response = HttpResponse(render_to_string("503.html", context), status=503)
    response["Retry-After"] = str(getattr(settings, "OUTAGE_RETRY_AFTER_SECONDS", 30))
    response["Cache-Control"] = "no-store"
    return response
