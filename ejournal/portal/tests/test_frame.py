"""The site's frame: error pages in Russian with a way back, the icon, one current menu item, links shown."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import get_resolver

from ejournal.access.roles import Role

LATIN_WORD = re.compile(r"\b[A-Za-z]{3,}\b")


def _visible_text(html: str) -> str:
    html = re.sub(r"(?s)<(script|style|head)\b.*?</\1>", " ", html)
    return re.sub(r"<[^>]+>", " ", html)


def _menu(html: str) -> str:
    return html[html.index('<nav class="main"') : html.index("</nav>", html.index('<nav class="main"'))]


def test_forbidden_page_is_russian_inside_the_frame_with_a_way_back(world, login_as):
    client = login_as(world.other_teacher, Role.TEACHER)
    response = client.get("/year/")  # the school's year setup: administration only
    assert response.status_code == 403
    html = response.content.decode()
    assert "Нет доступа" in html
    assert '<nav class="main"' in html and 'href="/journal/"' in _menu(html)  # the role's own menu
    assert 'href="/">На главную</a>' in html
    assert not LATIN_WORD.findall(_visible_text(html))


def test_missing_page_is_russian_inside_the_frame_with_a_way_back(world, login_as):
    response = login_as(world.guardian_user, Role.GUARDIAN).get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Страница не найдена" in html
    assert 'href="/diary/"' in _menu(html)
    assert 'href="/">На главную</a>' in html
    assert not LATIN_WORD.findall(_visible_text(html))


def test_missing_page_for_a_visitor_is_russian_too(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Страница не найдена" in response.content.decode()


@pytest.mark.urls("ejournal.portal.tests.urls_raising")
def test_a_view_that_raises_gives_the_russian_server_error_page(client, db):
    client.raise_request_exception = False
    response = client.get("/boom/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Ошибка на сервере" in html
    assert 'href="/"' in html and 'class="top"' in html  # the site's header and a way back
    assert not LATIN_WORD.findall(_visible_text(html))


def test_the_server_error_page_needs_no_database_and_no_request_context(db):
    handler = get_resolver().resolve_error_handler(500)
    with CaptureQueriesContext(connection) as queries:
        response = handler(RequestFactory().get("/anything/"))
    assert response.status_code == 500
    assert "Ошибка на сервере" in response.content.decode()
    assert len(queries) == 0


def test_the_site_has_an_icon(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert response.content[:4] == b"\0\0\1\0"  # an ICO file


def test_pages_declare_the_icon(world, login_as):
    html = login_as(world.guardian_user, Role.GUARDIAN).get("/").content.decode()
    assert re.search(r'<link rel="icon" href="/static/favicon\.svg"', html)


def test_one_menu_item_is_current_on_a_page_under_two(world, login_as):
    html = login_as(world.deputy_head, Role.DEPUTY_HEAD).get("/journal/corrections/").content.decode()
    current = re.findall(r'<a href="([^"]+)" aria-current="page">', _menu(html))
    assert current == ["/journal/corrections/"]


def test_the_home_item_is_current_only_at_home(world, login_as):
    client = login_as(world.deputy_head, Role.DEPUTY_HEAD)
    assert re.findall(r'<a href="([^"]+)" aria-current="page">', _menu(client.get("/").content.decode())) == ["/"]
    assert "/" not in re.findall(
        r'<a href="([^"]+)" aria-current="page">', _menu(client.get("/year/").content.decode())
    )


def test_a_link_the_role_may_not_open_is_not_shown(world, login_as):
    coordinator = login_as(world.coordinator, Role.JOURNAL_COORDINATOR).get("/year/").content.decode()
    assert 'href="/curriculum/week/"' not in coordinator  # the study week is edited by the director and the deputy
    deputy = login_as(world.deputy_head, Role.DEPUTY_HEAD).get("/year/").content.decode()
    assert 'href="/curriculum/week/"' in deputy
