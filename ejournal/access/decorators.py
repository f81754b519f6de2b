"""View decorators that declare and enforce the access rule of every view.

The authorization test walks every URL and fails if a view declares neither
`access_rule` nor `public`; so a new URL cannot slip in unguarded.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from . import policy


def access_rule(name: str) -> Callable:
    """Let the view run only if the actor passes rule `name` in its own scope.

    Object-level checks happen inside the view, through selectors that take
    the actor (foreign objects give 404) and `policy.enforce`.
    """
    if name not in policy.RULES:
        raise LookupError(f"Unknown access rule {name!r}")

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            actor = getattr(request, "actor", policy.ANONYMOUS)
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not policy.check(actor, name):
                raise PermissionDenied(name)
            return view(request, *args, **kwargs)

        wrapper.access_rule = name  # type: ignore[attr-defined]  # the marker the authorization test reads
        return wrapper

    return decorate


def public(view: Callable) -> Callable:
    """Mark a view as open to everybody (login page, public service page)."""
    view.access_public = True  # type: ignore[attr-defined]  # the marker the authorization test reads
    return view


def signed_in(view: Callable) -> Callable:
    """Any authenticated user, whatever the role (role switcher, password change)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    wrapper.access_rule = "signed_in"  # type: ignore[attr-defined]  # the marker the authorization test reads
    return wrapper
