"""The authorization server's endpoints (django-oauth-toolkit), each declared in the access policy.

Only what the project uses is mounted: the authorization code and client credentials grants, revocation,
and OpenID Connect discovery, keys, userinfo and RP-initiated logout. No device flow, no introspection,
no dynamic client registration, no self-service application management (clients are registered by the
department in the admin site; see docs/ru/api.md).
"""

import re
from urllib.parse import urlsplit

from django.urls import path, re_path
from oauth2_provider import views
from oauth2_provider.models import Application

from ejournal.access.decorators import access_rule, public
from ejournal.core.middleware import content_security_policy

app_name = "oauth2_provider"  # django-oauth-toolkit reverses its own names in this namespace


class ConsentView(views.AuthorizationView):
    """The consent screen; its answer redirects to the app's own address, which the browser follows only if the
    page's CSP lets its form lead there (Chromium applies `form-action` to the redirect after a POST)."""

    def dispatch(self, request, *args, **kwargs):
        response = super().dispatch(request, *args, **kwargs)
        client_id = request.POST.get("client_id") or request.GET.get("client_id")
        app = Application.objects.filter(client_id=client_id).first() if client_id else None
        if app is not None:
            sources = sorted({_source(uri) for uri in app.redirect_uris.split() if _source(uri)})
            response["Content-Security-Policy"] = content_security_policy(" ".join(["'self'", *sources]))
        return response


def _source(uri: str) -> str:
    """A CSP source for a registered redirect URI: its origin (https), or its scheme (an app's own scheme)."""
    parts = urlsplit(uri)
    if parts.scheme in ("http", "https") and parts.netloc:
        return f"{parts.scheme}://{parts.netloc}"
    return f"{parts.scheme}:" if parts.scheme and re.fullmatch(r"[a-z][a-z0-9+.-]*", parts.scheme) else ""


def _bearer(view):
    """Guarded by the bearer token the view checks itself (OIDC userinfo)."""
    view.access_public = True
    view.access_bearer = True
    return view


urlpatterns = [
    # The consent screen: a signed-in person, in any role, approves an app.
    path("authorize/", access_rule("is_signed_in")(ConsentView.as_view()), name="authorize"),
    # Client-authenticated endpoints: the client's credentials (or PKCE verifier) are the guard.
    path("token/", public(views.TokenView.as_view()), name="token"),
    path("revoke_token/", public(views.RevokeTokenView.as_view()), name="revoke-token"),
    re_path(
        r"^\.well-known/openid-configuration/?$",
        public(views.ConnectDiscoveryInfoView.as_view()),
        name="oidc-connect-discovery-info",
    ),
    path(".well-known/jwks.json", public(views.JwksInfoView.as_view()), name="jwks-info"),
    path("userinfo/", _bearer(views.UserInfoView.as_view()), name="user-info"),
    path("logout/", public(views.RPInitiatedLogoutView.as_view()), name="rp-initiated-logout"),
]
