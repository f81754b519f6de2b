"""Sign-in through an external OpenID Connect provider (ЕСИА-style), with Authlib's Django client.

Off while OIDC_RP_DISCOVERY_URL is empty (the login page shows no button then).
The provider proves who the person is; the account is found only by the subject the
school recorded (`User.esia_subject`), never by name or e-mail. A person with no such
account is sent to the municipal service's form with the provider's data filled in.
Authlib checks the `state` (kept in the session), PKCE, the ID token's signature
(the provider's JWKS), issuer, audience, expiry and our `nonce`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from authlib.common.errors import AuthlibBaseError
from authlib.integrations.django_client import OAuth
from django.conf import settings
from django.http import HttpRequest
from joserfc.errors import JoseError
from requests import RequestException

from .models import User

log = logging.getLogger(__name__)

NAME = "provider"
# The provider's data for the municipal service's form, kept until that form is shown.
PREFILL_SESSION_KEY = "_provider_prefill"
_clients: dict[tuple, object] = {}


def provider_name() -> str:
    """The provider's name for the button, or "" when no provider is configured."""
    if not settings.OIDC_RP_DISCOVERY_URL:
        return ""
    return settings.OIDC_RP_PROVIDER_NAME


def _client():
    """One Authlib client per configuration (tests change it); it caches the discovery document and keys."""
    key = (
        settings.OIDC_RP_DISCOVERY_URL,
        settings.OIDC_RP_CLIENT_ID,
        settings.OIDC_RP_CLIENT_SECRET,
        settings.OIDC_RP_SCOPES,
    )
    client = _clients.get(key)
    if client is None:
        oauth = OAuth()
        client = oauth.register(
            NAME,
            client_id=settings.OIDC_RP_CLIENT_ID,
            client_secret=settings.OIDC_RP_CLIENT_SECRET,
            server_metadata_url=settings.OIDC_RP_DISCOVERY_URL,
            client_kwargs={
                "scope": settings.OIDC_RP_SCOPES,
                "code_challenge_method": "S256",
                "default_timeout": settings.OIDC_RP_TIMEOUT_SECONDS,
                "token_endpoint_auth_method": "client_secret_post",
            },
        )
        _clients[key] = client
    return client


def provider_redirect(request: HttpRequest, callback_url: str):
    """The redirect to the provider; the state, nonce and PKCE verifier stay in this session."""
    return _client().authorize_redirect(request, callback_url)


class ProviderError(Exception):
    """The provider's answer was refused; `reason` goes to the log, never to the page."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class ProviderPerson:
    subject: str
    last_name: str
    first_name: str
    middle_name: str
    email: str
    phone: str


def provider_person(request: HttpRequest) -> ProviderPerson:
    """Finish the code flow: check state, exchange the code, verify the ID token; the person it names."""
    try:
        token = _client().authorize_access_token(request, leeway=settings.OIDC_RP_LEEWAY_SECONDS)
    except (AuthlibBaseError, JoseError) as exc:
        raise ProviderError(f"{type(exc).__name__}: {exc}") from exc
    except (RequestException, ValueError) as exc:
        raise ProviderError(f"provider unreachable or answered badly: {type(exc).__name__}: {exc}") from exc
    claims = token.get("userinfo")
    if not claims or not claims.get("sub"):
        raise ProviderError("no verified ID token in the token response")
    return ProviderPerson(
        subject=str(claims["sub"]),
        last_name=str(claims.get("family_name") or ""),
        first_name=str(claims.get("given_name") or ""),
        middle_name=str(claims.get("middle_name") or ""),
        email=str(claims.get("email") or ""),
        phone=str(claims.get("phone_number") or ""),
    )


def provider_account(person: ProviderPerson) -> User | None:
    """The active account whose recorded subject is the provider's: the only way a person is linked."""
    return User.objects.filter(esia_subject=person.subject, is_active=True).first()


def provider_prefill_keep(request: HttpRequest, person: ProviderPerson) -> None:
    """Keep the provider's data for the municipal service's form (the applicant's own fields only)."""
    request.session[PREFILL_SESSION_KEY] = {
        "applicant_kind": "parent",
        "last_name": person.last_name,
        "first_name": person.first_name,
        "middle_name": person.middle_name,
        "email": person.email,
        "phone": person.phone,
    }


def provider_prefill(request: HttpRequest) -> dict:
    """The provider's data for the service's form, if the person came from the provider in this session."""
    data = request.session.get(PREFILL_SESSION_KEY)
    return {k: v for k, v in data.items() if v} if isinstance(data, dict) else {}
