"""The request as views see it, typed: what the middleware attaches to Django's `HttpRequest`.

`portal.middleware.ActorMiddleware` sets `actor`, `role_choices` and `active_role` on every request (the API's
authentication sets `actor`); django-htmx's middleware sets `htmx`. Views annotate `request: ActorRequest` so
mypy knows those attributes; no runtime class is involved (the object is Django's own request).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from .policy import Actor

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class RoleOption(Protocol):
    """One role the user may switch to (`portal.actors.RoleChoice`)."""

    @property
    def key(self) -> str: ...
    @property
    def label(self) -> StrOrPromise: ...
    @property
    def scope_label(self) -> str: ...


class ActorRequest(HttpRequest):
    """An `HttpRequest` after the middleware: the acting `Actor`, the user's roles, htmx details."""

    actor: Actor
    role_choices: Sequence[RoleOption]
    active_role: RoleOption | None
    htmx: HtmxDetails
