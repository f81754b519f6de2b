"""Send a user who signed in with a one-time password to the password change page until they change it.

Install after `ejournal.portal.middleware.ActorMiddleware`. The flag
`User.must_change_password` is set by `services.credentials_issue` and
cleared by `accounts.services.password_change_completed` when the user
changes the password or resets it by e-mail.
"""

from __future__ import annotations

from django.http import HttpResponse, HttpResponseRedirect
from django.urls import Resolver404, resolve, reverse

# Pages a user with a one-time password may still open.
ALLOWED = frozenset(
    {
        "accounts:password_change",
        "accounts:password_change_done",
        "accounts:logout",
        "accounts:login",
        "portal:switch_role",
        "portal:favicon",
        "set_language",
    }
)
CHANGE_VIEW = "accounts:password_change"


def _url_name(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name


class PasswordChangeRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.must_change_password:
            return self.get_response(request)
        name = _url_name(request.path_info)
        if name not in ALLOWED and not request.path_info.startswith(("/static/", "/media/")):
            target = reverse(CHANGE_VIEW)
            if getattr(request, "htmx", False):
                return HttpResponse(status=204, headers={"HX-Redirect": target})
            return HttpResponseRedirect(target)
        return self.get_response(request)
