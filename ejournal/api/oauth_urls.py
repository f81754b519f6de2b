"""The authorization server's endpoints (django-oauth-toolkit), each declared in the access policy.

Only what the project uses is mounted: the authorization code and client credentials grants, revocation,
and OpenID Connect discovery, keys, userinfo and RP-initiated logout. No device flow, no introspection,
no dynamic client registration, no self-service application management (clients are registered by the
department in the admin site; see docs/ru/api.md).
"""

from django.urls import path, re_path
from oauth2_provider import views

from ejournal.access.decorators import access_rule, public

app_name = "oauth2_provider"  # django-oauth-toolkit reverses its own names in this namespace


def _bearer(view):
    """Guarded by the bearer token the view checks itself (OIDC userinfo)."""
    view.access_public = True
    view.access_bearer = True
    return view


urlpatterns = [
    # The consent screen: a signed-in person, in any role, approves an app.
    path("authorize/", access_rule("is_signed_in")(views.AuthorizationView.as_view()), name="authorize"),
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
