"""Keep a user who must set up a second factor on its page; note when a session was last seen.

Install after `ejournal.people.middleware.PasswordChangeRequiredMiddleware`. Both read
only the session, which every signed-in request loads anyway: no query on most requests.
"""

from __future__ import annotations

from django.http import HttpResponse, HttpResponseRedirect
from django.urls import Resolver404, resolve, reverse

from .sessions import SESSION_ENROL, sign_in_session_seen

ALLOWED = frozenset(
    {
        "accounts:second_factor_setup",
        "accounts:logout",
        "accounts:login",
        # A one-time password is changed first (that middleware sends here): no ping-pong between the two.
        "accounts:password_change",
        "accounts:password_change_done",
        "portal:favicon",
        "set_language",
    }
)
SETUP_VIEW = "accounts:second_factor_setup"


def _url_name(path: str) -> str | None:
    try:
        return resolve(path).view_name
    except Resolver404:
        return None


class SignInSessionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        session = request.session
        if (
            session.get(SESSION_ENROL)
            and not request.path_info.startswith(("/static/", "/media/"))
            and _url_name(request.path_info) not in ALLOWED
        ):
            target = reverse(SETUP_VIEW)
            if getattr(request, "htmx", False):
                return HttpResponse(status=204, headers={"HX-Redirect": target})
            return HttpResponseRedirect(target)
        sign_in_session_seen(request)
        return self.get_response(request)
