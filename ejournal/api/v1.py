"""The open API, version 1: one NinjaAPI under /api/v1/, its routers by area, the OpenAPI description.

Each URL the API adds is declared to the authorization walk (`ejournal/tests/test_authorization.py`): the view
of a path carries the access rules of its operations (`core.api_rule`), so an operation without a rule leaves
its URL unguarded and the walk fails.
"""

from __future__ import annotations

from django.urls import URLPattern, path
from django.views.generic import RedirectView
from ninja import NinjaAPI
from ninja.renderers import JSONRenderer

from ejournal.access.decorators import public

from .core import install_error_handlers
from .routes import city, family, staff


class _Utf8(JSONRenderer):
    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    title="Электронный журнал: открытый API",
    version="1",
    description=(
        "Данные дневника для семей, журнал для учителей, обмен показателями со школами на системах других "
        "разработчиков. Доступ — токеном OAuth 2.0 нашего сервера авторизации (/o/). Ошибки — в одном виде: "
        "{code, message, fields}; сообщения на русском. Руководство: docs/ru/api.md."
    ),
    urls_namespace="api_v1",
    docs_url=None,
    renderer=_Utf8(),
)
install_error_handlers(api)
api.add_router("/family", family.router)
api.add_router("/staff", staff.router)
api.add_router("/city", city.router)


def _declare(patterns: list) -> list:
    """Put the access rules of each path's operations (their `api_rule` guards) on its view: the walk reads
    `access_rule`, and an operation without a guard leaves its path undeclared.

    Ninja's index of the API («api-root», a 404 without its Swagger page) sends to the Russian description."""
    kept = []
    for pattern in patterns:
        if not isinstance(pattern, URLPattern):
            continue
        if pattern.name == "api-root":
            pattern = path("", public(RedirectView.as_view(pattern_name="api:docs")), name="api-root")
        kept.append(pattern)
        view = pattern.callback
        if pattern.name == "openapi-json":
            public(view)
            continue
        cells = getattr(view, "__closure__", None) or ()
        path_view = next((c.cell_contents for c in cells if hasattr(c.cell_contents, "operations")), None)
        ops = path_view.operations if path_view else []
        rules = {getattr(cb, "access_rule", None) for op in ops for cb in (op.auth_callbacks or [None])} or {None}
        if None not in rules:
            view.access_rule = ",".join(sorted(r for r in rules if r))  # type: ignore[attr-defined]  # the marker the authorization test reads
    return kept


def urls():
    patterns, app_name, namespace = api.urls
    return _declare(list(patterns)), app_name, namespace
