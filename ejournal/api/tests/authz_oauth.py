"""Access expectations for the authorization server's endpoints (see ejournal/tests/test_authorization.py).

The consent screen is for any signed-in role; `query` gives it a real client's request. The token and
revocation endpoints take client credentials (POST only); discovery and keys are public; userinfo
answers a bearer token only.
"""

from ejournal.access.roles import Role

from .helpers import authorize_query, person_app, pkce_pair


def _authorize(w):
    return authorize_query(person_app(), pkce_pair()[1], "openid family")


AUTHZ = {
    "oauth2_provider:authorize": {"allowed": set(Role), "query": _authorize},
    "oauth2_provider:token": {"post_only": True},
    "oauth2_provider:revoke-token": {"post_only": True},
    "oauth2_provider:oidc-connect-discovery-info": {"public": True},
    "oauth2_provider:jwks-info": {"public": True},
    "oauth2_provider:rp-initiated-logout": {"public": True},
    "oauth2_provider:user-info": {"bearer": True},
}
