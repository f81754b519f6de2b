"""Walk every URL of the project × every role × own and foreign objects.

Each app declares what it expects in `ejournal/<app>/tests/authz_*.py`
(`AUTHZ = {"ns:name": {...}}`). The walk fails when a URL has no declared
expectation or its view declares no access rule, so a new page cannot
appear unguarded.

An entry may also list `"not_found": [(roles, kwargs_factory), ...]`: objects
of the own school that those roles must get 404 for (not 403: the answer would
tell that they exist, or name someone), e.g. a cell of a student outside the
lesson's class.
"""

from __future__ import annotations

import contextlib
import importlib
import pkgutil
from pathlib import Path
from urllib.parse import urlencode

import pytest
import time_machine
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from ejournal.access.roles import VENDOR_SYSTEM, Role

EJOURNAL = Path(__file__).resolve().parent.parent
DENIED = {302, 403, 404}


def _walk(patterns, namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}{entry.namespace}:"
            yield from _walk(entry.url_patterns, ns)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", entry.callback


def project_urls() -> dict[str, object]:
    """Every named URL of the project except the Django admin site (superusers only)."""
    return {name: cb for name, cb in _walk(get_resolver().url_patterns) if not name.startswith("admin:")}


def declared_expectations() -> dict[str, dict]:
    table: dict[str, dict] = {}
    for app_dir in sorted(p for p in EJOURNAL.iterdir() if (p / "tests").is_dir()):
        for info in pkgutil.iter_modules([str(app_dir / "tests")]):
            if info.name.startswith("authz_"):
                module = importlib.import_module(f"ejournal.{app_dir.name}.tests.{info.name}")
                overlap = table.keys() & module.AUTHZ.keys()
                assert not overlap, f"declared twice: {overlap}"
                table.update(module.AUTHZ)
    return table


def test_every_url_declares_an_access_rule_and_an_expectation():
    table = declared_expectations()
    urls = project_urls()
    unguarded = [
        n for n, cb in urls.items() if not (getattr(cb, "access_rule", None) or getattr(cb, "access_public", False))
    ]
    assert not unguarded, f"views without @access_rule/@public: {unguarded}"
    undeclared = sorted(urls.keys() - table.keys())
    assert not undeclared, f"URLs without an entry in an authz_*.py table: {undeclared}"
    stale = sorted(table.keys() - urls.keys())
    assert not stale, f"authz entries for URLs that do not exist: {stale}"


def _cases():
    table = declared_expectations()
    for name in sorted(table):
        # API routes are also walked as a vendor's system (client credentials bound to the own school).
        extra = [VENDOR_SYSTEM] if table[name].get("api") else []
        for role in [*Role, None, *extra]:
            yield pytest.param(name, role, id=f"{name}-{role or 'anonymous'}")


def _url(world, name: str, entry: dict, key: str = "kwargs") -> str | None:
    factory = entry.get(key)
    if key == "foreign_kwargs" and factory is None:
        return None
    url = reverse(name, kwargs=factory(world) if factory else None)
    if entry.get("query"):  # a page that needs its request's parameters (the OAuth consent screen)
        url += "?" + urlencode(entry["query"](world))
    return url


@pytest.mark.parametrize(("name", "role"), list(_cases()))
def test_role_reaches_exactly_what_is_declared(world, client, name, role):
    from ejournal.testing import login

    entry = declared_expectations()[name]
    if entry.get("api"):
        return _walk_api(world, name, entry, role)
    if role is not None:
        login(client, world.personas[role], role)
    url = _url(world, name, entry)
    status = client.get(url).status_code
    if entry.get("bearer"):
        # Guarded by a bearer token, not by the session: the session alone gets 401.
        assert status == 401, f"{name} answered {status} without a bearer token"
    elif entry.get("post_only"):
        assert status in {405, 302}, f"{name} must refuse GET"
    elif entry.get("public"):
        assert status in {200, 302}, f"public page {name} answered {status}"
    elif role is None:
        assert status == 302, f"anonymous on {name} got {status}"
    elif role in entry["allowed"]:
        assert status == 200, f"{role} on own object of {name} got {status}"
    else:
        assert status in DENIED, f"{role} must be refused on {name}, got {status}"
    foreign = _url(world, name, entry, "foreign_kwargs")
    if foreign and role is not None:
        assert client.get(foreign).status_code in {403, 404}, f"{role} reached a foreign object through {name}"
    for roles, factory in entry.get("not_found", ()):
        if role in roles:
            status = client.get(reverse(name, kwargs=factory(world))).status_code
            assert status == 404, f"{role} must get 404 on {name} for {factory.__name__}, got {status}"


def _walk_api(world, name: str, entry: dict, role) -> None:
    """An API route: a bearer token of the role's persona (or of a vendor's system), never a session."""
    from django.test import Client

    from ejournal.api.tests.helpers import bearer, direct_token, person_app, system_app, vendor_owner

    headers = {}
    if role == VENDOR_SYSTEM:
        headers = bearer(direct_token(system_app([world.school], owner=vendor_owner()), scope="city.exchange"))
    elif role is not None:
        headers = bearer(direct_token(person_app(skip=True), world.personas[role]), role)
    method = entry.get("method", "get")

    def call(url):
        with time_machine.travel(entry["at"], tick=False) if entry.get("at") else contextlib.nullcontext():
            if method == "get":
                return Client().get(url, **headers)
            body = entry["payload"](world) if entry.get("payload") else {}
            return getattr(Client(), method)(url, body, content_type="application/json", **headers)

    status = call(_url(world, name, entry)).status_code
    if role is None:
        assert status == 401, f"no token on {name} got {status}"
    elif role in entry["allowed"]:
        assert status in entry.get("ok", {200, 201}), f"{role} on own object of {name} got {status}"
    else:
        assert status in {403, 404}, f"{role} must be refused on {name}, got {status}"
    foreign = _url(world, name, entry, "foreign_kwargs")
    if foreign and role is not None:
        assert call(foreign).status_code in {403, 404}, f"{role} reached a foreign object through {name}"


def test_admin_site_is_for_superusers_only(world, login_as):
    for role, user in world.personas.items():
        response = login_as(user, role).get("/admin/")
        assert response.status_code == 302, role
        assert "/admin/login/" in response["Location"]
