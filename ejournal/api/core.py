"""The open API's frame: who calls (a bearer token of django-oauth-toolkit), as which actor, how often, and in
which shape errors and conditional reads answer.

Every operation is declared with `api_rule(rule, scope=…)`: the token must carry the scope, and the actor must
pass the rule of the one access policy (`ejournal/access/policy/`) — the same rule the pages use. A person's
token acts in one of the person's roles: the one named by the `X-Ejournal-Role` header (a role or a role key),
else the first of the person's roles that passes the rule. A vendor's system acts as `VENDOR_SYSTEM` for the
schools bound to its application (`ApplicationSchool`), nothing else.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, cast

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer
from oauth2_provider.models import AccessToken

from ejournal.access import policy
from ejournal.access.http import ActorRequest
from ejournal.access.policy import Actor
from ejournal.access.roles import VENDOR_SYSTEM
from ejournal.core.cache import cache_count
from ejournal.core.sql import column
from ejournal.portal.actors import UserAccess

from .models import ApplicationSchool

ROLE_HEADER = "X-Ejournal-Role"


class FieldError(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    """Every refusal of the API: a stable code for programs, a Russian message for people."""

    code: str
    message: str
    fields: list[FieldError] = []


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, fields: list[dict] | None = None, headers=None):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.fields, self.headers = fields or [], headers or {}


def error_response(status: int, code: str, message: str, fields=(), headers=None) -> HttpResponse:
    body = json.dumps({"code": code, "message": str(message), "fields": list(fields)}, ensure_ascii=False)
    response = HttpResponse(body, status=status, content_type="application/json; charset=utf-8")
    for name, value in (headers or {}).items():
        response[name] = value
    return response


# --- who calls ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Caller:
    """A valid access token: its person (None for a system), its application and scopes."""

    token_id: int
    user: Any  # accounts.User with the fields the actors read (the rest loads on access), or None
    application_id: int
    application_owner_id: int | None  # the application's `user` (a vendor's system acts as it)
    scopes: frozenset[str]

    @property
    def client_key(self) -> str:
        """The rate limit's client: the application, per person for a person's app."""
        return f"{self.application_id}:{self.user.pk if self.user else '-'}"


class ApiRequest(ActorRequest):
    """A request of the API once `OAuthBearer` let it in: its `Caller` beside the actor."""

    caller: Caller


def token_checksum(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


USER_FIELDS = ("id", "is_active", "is_superuser", "date_joined")  # what UserAccess and the actors read


@lru_cache(maxsize=1)
def _token_sql() -> str:
    from django.contrib.auth import get_user_model
    from oauth2_provider.models import get_application_model

    token, app, user = AccessToken._meta, get_application_model()._meta, get_user_model()
    columns = ", ".join(f'u."{column(user, name)}"' for name in USER_FIELDS)
    return (
        f'SELECT t."id", t."expires", t."scope", a."id", a."user_id", t."user_id", {columns} '  # noqa: S608 - names from the models; the value a parameter
        f'FROM "{token.db_table}" t JOIN "{app.db_table}" a ON a."id" = t."application_id" '
        f'LEFT JOIN "{user._meta.db_table}" u ON u."id" = t."user_id" WHERE t."token_checksum" = %s'
    )


def caller_find(raw: str) -> Caller | None:
    """The caller of a raw access token, looked up in the database on every request — one query, no ORM: a
    revoked token (deleted, by the person, the coordinator, the revocation endpoint or a refresh) or its
    person's deactivation stops the very next request; an expired one, or one without an application, is
    refused."""
    from django.contrib.auth import get_user_model

    with connection.cursor() as cursor:
        cursor.execute(_token_sql(), [token_checksum(raw)])
        row = cursor.fetchone()
    if row is None:
        return None
    token_id, expires, scope, app_id, owner_id, user_id, pk, is_active, is_superuser, joined = row
    if expires is None or _aware(expires) <= timezone.now():
        return None
    user = None
    if user_id is not None:
        if not is_active:
            return None
        values = [pk, True, bool(is_superuser), _aware(joined) if joined else joined]
        user = get_user_model().from_db(connection.alias, list(USER_FIELDS), values)
    return Caller(token_id=token_id, user=user, application_id=app_id, application_owner_id=owner_id,
                  scopes=frozenset(scope.split()))  # fmt: skip


def _aware(value: dt.datetime) -> dt.datetime:
    """A raw row's time: SQLite's come naive (in UTC), PostgreSQL's aware."""
    return timezone.make_aware(value, dt.UTC) if timezone.is_naive(value) else value


class BearerToken(HttpBearer):
    """An access token of our authorization server, checked in the database on every request: a revoked
    (deleted) token stops at the next request."""

    openapi_description = "OAuth 2.0: код авторизации с PKCE (приложения людей) или client credentials (системы)."

    def authenticate(self, request: HttpRequest, token: str) -> Caller | None:
        return caller_find(token)


def _system_actor(caller: Caller) -> Actor:
    if caller.application_owner_id is None:
        raise ApiError(403, "system_not_configured", _("Система поставщика не настроена: у приложения нет владельца."))
    schools = ApplicationSchool.objects.filter(application_id=caller.application_id).values_list("school_id", flat=True)
    return Actor(user_id=caller.application_owner_id, role=VENDOR_SYSTEM, school_ids=frozenset(schools))


def caller_actor(caller: Caller, rule: str, wanted: str | None) -> Actor:
    """The actor the token acts as for `rule` (see the module's docstring); 403 when none passes."""
    if caller.user is None:
        actor = _system_actor(caller)
        if policy.check(actor, rule):
            return actor
        raise ApiError(403, "forbidden", _("Системе поставщика это действие недоступно."))
    access = UserAccess(caller.user)
    choices = [c for c in access.choices if not wanted or wanted in (c.key, c.role)]
    if wanted and not choices:
        raise ApiError(403, "role", _("У вас нет роли «%(role)s».") % {"role": wanted[:40]})
    for choice in choices:
        actor = access.actor(choice)
        if policy.check(actor, rule):
            return actor
    raise ApiError(403, "forbidden", _("В ваших ролях это действие недоступно."))


# --- how often ----------------------------------------------------------------------------------


def throttle(caller: Caller, limit: int) -> None:
    """At most `limit` requests a minute per client, counted in the shared cache (Redis in production).

    With the cache away the count is lost and the request passes: the limit protects the service, it must not
    stop it (docs/decisions/0007-outages.md)."""
    window = int(time.time() // 60)
    count = cache_count(f"api:rate:{caller.client_key}:{window}", 120)  # one round trip to Redis
    if count is not None and count > limit:
        retry = 60 - int(time.time()) % 60
        raise ApiError(429, "rate_limited", _("Слишком много запросов. Повторите через %(s)s с.") % {"s": retry},
                       headers={"Retry-After": str(retry)})  # fmt: skip


# --- the declaration of every operation -------------------------------------------------------------


class OAuthBearer(BearerToken):
    """The guard of one operation: a valid token, within the rate limit, with the scope, acting as an actor that
    passes the access rule. Runs before the request's parameters and body are read, so a caller without the
    right learns nothing from validation errors."""

    def __init__(self, rule: str, scope: str):
        if rule not in policy.RULES:
            raise LookupError(f"Unknown access rule {rule!r}")
        super().__init__()
        self.access_rule, self.api_scope = rule, scope

    def authenticate(self, request: HttpRequest, token: str) -> Caller | None:
        from django.conf import settings

        caller = super().authenticate(request, token)
        if caller is None:
            return None
        throttle(caller, settings.API_RATE_LIMIT_PER_MINUTE)
        if self.api_scope not in caller.scopes:
            raise ApiError(403, "insufficient_scope",
                           _("Приложению не дано разрешение «%(scope)s».") % {"scope": self.api_scope})  # fmt: skip
        api_request = cast(ApiRequest, request)  # what makes Django's request an ApiRequest is set here
        api_request.actor = caller_actor(caller, self.access_rule, request.headers.get(ROLE_HEADER))
        api_request.caller = caller
        return caller


def api_rule(rule: str, *, scope: str) -> OAuthBearer:
    """Declare an operation's access rule and OAuth scope: `@router.get(…, auth=api_rule(rule, scope=…))`."""
    return OAuthBearer(rule, scope)


# --- conditional reads ----------------------------------------------------------------------------


def etag_of(seed: str | bytes) -> str:
    raw = seed.encode() if isinstance(seed, str) else seed
    return f'"{hashlib.blake2b(raw, digest_size=16).hexdigest()}"'


def matches(request: ActorRequest, etag: str) -> bool:
    """Whether the client's If-None-Match names this ETag (a weak one too, or «*»)."""
    header = request.headers.get("If-None-Match", "")
    return any(part.strip() in (etag, f"W/{etag}", "*") for part in header.split(",")) if header else False


def render_json(schema: type[Schema], data: Any) -> bytes:
    """`data` through the schema, as the body the OpenAPI description promises."""
    body = schema.model_validate(data).model_dump(mode="json")
    return json.dumps(body, ensure_ascii=False, cls=DjangoJSONEncoder).encode()


def json_read(request: ActorRequest, schema: type[Schema], data: Any) -> HttpResponse:
    """Answer a read through `schema` with an ETag of its body, and 304 when the client has it already."""
    body = render_json(schema, data)
    etag = etag_of(body)
    return not_modified(etag) if matches(request, etag) else json_bytes(body, etag)


def json_bytes(body: bytes, etag: str) -> HttpResponse:
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"
    return response


def not_modified(etag: str) -> HttpResponse:
    response = HttpResponseNotModified()
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"
    return response


# --- pagination -----------------------------------------------------------------------------------

PER_PAGE_MAX = 200


def page_of(items: list, page: int, per_page: int) -> dict:
    """One page of `items` with the totals a client needs to walk them (`page` from 1)."""
    count = len(items)
    start = (page - 1) * per_page
    return {"items": items[start : start + per_page], "count": count, "page": page, "per_page": per_page,
            "pages": max(1, -(-count // per_page))}  # fmt: skip


# --- errors in one shape ----------------------------------------------------------------------------

PYDANTIC_MESSAGES = {
    "missing": "Обязательное поле.",
    "int_parsing": "Ожидается целое число.",
    "int_type": "Ожидается целое число.",
    "string_type": "Ожидается строка.",
    "list_type": "Ожидается список.",
    "dict_type": "Ожидается объект.",
    "model_type": "Ожидается объект.",
    "date_from_datetime_parsing": "Ожидается дата в виде ГГГГ-ММ-ДД.",
    "date_parsing": "Ожидается дата в виде ГГГГ-ММ-ДД.",
    "date_type": "Ожидается дата в виде ГГГГ-ММ-ДД.",
    "greater_than_equal": "Значение слишком мало.",
    "less_than_equal": "Значение слишком велико.",
    "greater_than": "Значение слишком мало.",
    "less_than": "Значение слишком велико.",
    "string_too_long": "Слишком длинная строка.",
    "string_too_short": "Слишком короткая строка.",
    "too_long": "Слишком много элементов.",
    "json_invalid": "Тело запроса — не JSON.",
    "extra_forbidden": "Неизвестное поле.",
    "bool_parsing": "Ожидается true или false.",
    "bool_type": "Ожидается true или false.",
}


def _field_errors(errors: list[dict]) -> list[dict]:
    out = []
    for error in errors:
        loc = [str(part) for part in error.get("loc", ()) if part not in ("body", "query", "path", "payload")]
        message = PYDANTIC_MESSAGES.get(error.get("type", ""), "Неверное значение.")
        out.append({"field": ".".join(loc), "message": _(message)})
    return out


def install_error_handlers(api) -> None:
    @api.exception_handler(ApiError)
    def _api_error(request, exc: ApiError):
        return error_response(exc.status, exc.code, exc.message, exc.fields, exc.headers)

    @api.exception_handler(AuthenticationError)
    def _unauthenticated(request, exc):
        return error_response(401, "unauthorized", _("Нужен действующий токен доступа: заголовок Authorization: "
                              "Bearer …"), headers={"WWW-Authenticate": 'Bearer realm="ejournal"'})  # fmt: skip

    @api.exception_handler(NinjaValidationError)
    def _invalid(request, exc: NinjaValidationError):
        return error_response(422, "invalid", _("Запрос не прошёл проверку."), _field_errors(exc.errors))

    @api.exception_handler(Http404)
    def _not_found(request, exc):
        return error_response(404, "not_found", _("Не найдено."))

    @api.exception_handler(PermissionDenied)
    def _denied(request, exc):
        return error_response(403, "forbidden", _("Нет доступа."))

    @api.exception_handler(DjangoValidationError)
    def _refused(request, exc: DjangoValidationError):
        conflict = getattr(exc, "code", None) == "conflict"
        code = "conflict" if conflict else (getattr(exc, "code", None) or "refused")
        return error_response(409 if conflict else 400, code, " ".join(str(m) for m in exc.messages))

    @api.exception_handler(HttpError)
    def _http(request, exc: HttpError):
        return error_response(exc.status_code, "error", str(exc))


def now_iso() -> str:
    return timezone.now().isoformat()
