"""Error pages speak Russian: a mistyped address, a page of another role, a stale form, a server error.

Without templates of its own Django answers in English («Not Found», «403 Forbidden», «Server Error (500)»,
the CSRF page's «Forbidden (403) CSRF verification failed»), which a parent typing a school's address met.
"""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory
from django.views.defaults import bad_request, server_error

from ejournal.access.roles import Role
from ejournal.testing import build_world, login

ENGLISH = ("Not Found", "Forbidden", "Server Error", "Bad Request", "The requested resource")


def _assert_russian(response, *phrases: str) -> str:
    text = response.content.decode()
    for phrase in phrases:
        assert phrase in text
    for english in ENGLISH:
        assert english not in text, english
    return text


@pytest.mark.django_db
def test_mistyped_address_and_unknown_school_say_not_found_in_russian(client):
    for path in ("/no-such-page/", "/u/no-such-school/"):
        response = client.get(path)
        assert response.status_code == 404
        text = _assert_russian(response, "Страница не найдена", "На главную")
        assert 'href="/u/"' in text  # the list of schools, for a parent who mistyped a school's address


@pytest.mark.django_db
def test_page_of_another_role_says_no_access_in_russian(client):
    w = build_world()
    login(client, w.personas[Role.TEACHER], Role.TEACHER)
    response = client.get("/city/reports/")
    assert response.status_code == 403
    _assert_russian(response, "Нет доступа")


@pytest.mark.django_db
def test_stale_form_without_csrf_cookie_is_explained_in_russian():
    response = Client(enforce_csrf_checks=True).post("/accounts/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    _assert_russian(response, "Страница устарела", "обновите")


def test_server_error_and_bad_request_pages_are_russian():
    request = RequestFactory().get("/")
    _assert_russian(server_error(request), "Ошибка на сервере")
    _assert_russian(bad_request(request, exception=None), "Запрос не принят")
