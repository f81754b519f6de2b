"""PostgreSQL away: a 503 with Retry-After and a Russian page in the site's frame, never a 500.

The middleware answers for the views; the 500 handler answers for a failure before the view (the session,
the user, the actor), where the middleware never sees the exception.
"""

from __future__ import annotations

import json
from unittest import mock

import pytest
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.test import RequestFactory

from ejournal.core.middleware import OutageMiddleware
from ejournal.core.views import server_error


def _view_failing_with(error):
    def view(request):
        raise error

    return view


def _through_middleware(request, error):
    middleware = OutageMiddleware(lambda req: HttpResponse("never"))
    return middleware.process_exception(request, error)


@pytest.mark.parametrize("error", [OperationalError("connection refused"), InterfaceError("connection already closed")])
def test_a_page_with_the_database_away_is_a_russian_503_in_the_site_frame(error, settings):
    settings.OUTAGE_RETRY_AFTER_SECONDS = 45
    response = _through_middleware(RequestFactory().get("/journal/"), error)
    text = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == "45"
    assert response["Content-Type"].startswith("text/html")
    assert "Сервис временно недоступен" in text and "Повторите через минуту" in text
    assert 'class="brand"' in text and "<main" in text  # the site's frame, not a bare error
    assert "connection refused" not in text  # nothing of the error itself


def test_an_htmx_save_with_the_database_away_gets_a_short_text_the_grid_shows(settings):
    settings.OUTAGE_RETRY_AFTER_SECONDS = 30
    request = RequestFactory().post("/journal/1/1/cells/", HTTP_HX_REQUEST="true")
    response = _through_middleware(request, OperationalError("server closed the connection unexpectedly"))
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "не сохранено" in text.lower() and len(text) < 300 and "<" not in text


def test_a_json_request_with_the_database_away_gets_a_json_error():
    request = RequestFactory().get("/city/monitoring/", HTTP_ACCEPT="application/json")
    response = _through_middleware(request, OperationalError("timeout"))
    assert response.status_code == 503
    assert "Сервис временно недоступен" in json.loads(response.content)["error"]


def test_other_errors_are_not_taken_for_an_outage():
    assert _through_middleware(RequestFactory().get("/"), ValueError("a bug")) is None


def test_a_failure_before_the_view_is_a_503_too(world, login_as):
    client = login_as(world.teacher)
    client.raise_request_exception = False
    with mock.patch("ejournal.portal.middleware.UserAccess", side_effect=OperationalError("could not connect")):
        response = client.get("/journal/")
    assert response.status_code == 503 and response.has_header("Retry-After")
    assert "Сервис временно недоступен" in response.content.decode()


def test_a_journal_save_with_the_database_away_answers_503_not_500(world, login_as):
    client = login_as(world.teacher)
    with mock.patch("ejournal.journal.views.grid.selectors.assignment_get", side_effect=OperationalError("gone")):
        response = client.post("/journal/1/1/cells/", {"cells": "[]"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 503
    assert "не сохранено" in response.content.decode().lower()


def test_the_500_handler_still_answers_500_for_anything_else():
    request = RequestFactory().get("/")
    try:
        raise ValueError("a bug")
    except ValueError:
        response = server_error(request)
    assert response.status_code == 500
