"""The signed-in user of a request, typed: `request.user` is a `User` or an `AnonymousUser` to Django."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from .models import User


def request_user(request: HttpRequest) -> User:
    """The request's user where the view's rule let only a signed-in one in (an anonymous one is refused)."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied("a signed-in user is required")
    return user
