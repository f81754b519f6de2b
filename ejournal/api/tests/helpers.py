"""Registering clients and getting tokens the way real clients do (through the endpoints)."""

from __future__ import annotations

import base64
import hashlib
import secrets
from urllib.parse import parse_qs, urlparse

from django.test import Client
from oauth2_provider.models import Application

from ejournal.access.roles import Role
from ejournal.testing import login

REDIRECT = "https://app.example.ru/callback"
SECRET = "app-secret-0123456789"
PERSON_SCOPES = "openid profile email family staff journal.write city.read"


def person_app(name: str = "Дневник-Мобайл", *, skip: bool = False) -> Application:
    return Application.objects.create(
        name=name,
        client_id=f"app-{secrets.token_hex(4)}",
        client_secret=SECRET,
        client_type=Application.CLIENT_PUBLIC,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=REDIRECT,
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=skip,
    )


def system_app(schools, name: str = "Сетевой город", owner=None) -> Application:
    from ejournal.api.models import ApplicationSchool

    app = Application.objects.create(
        name=name,
        client_id=f"sys-{secrets.token_hex(4)}",
        client_secret=SECRET,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
        user=owner,
    )
    for school in schools:
        ApplicationSchool.objects.create(application=app, school=school)
    return app


def pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


def authorize_query(app: Application, challenge: str, scope: str = PERSON_SCOPES, nonce: str = "n-1") -> dict:
    return {
        "response_type": "code",
        "client_id": app.client_id,
        "redirect_uri": REDIRECT,
        "scope": scope,
        "state": "st-1",
        "nonce": nonce,
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }


def person_token(app: Application, user, role: str | None = None, scope: str = PERSON_SCOPES) -> dict:
    """Walk the consent screen as `user` and exchange the code: the token endpoint's JSON."""
    browser = login(Client(), user, role)
    verifier, challenge = pkce_pair()
    query = authorize_query(app, challenge, scope)
    page = browser.get("/o/authorize/", query)
    assert page.status_code == 200, page.status_code
    answer = browser.post("/o/authorize/", {**query, "allow": "1"})
    assert answer.status_code == 302, answer.status_code
    code = parse_qs(urlparse(answer["Location"]).query)["code"][0]
    token = Client().post(
        "/o/token/",
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": REDIRECT,
            "client_id": app.client_id,
            "code_verifier": verifier,
        },
    )
    assert token.status_code == 200, token.content
    return token.json()


def system_token(app: Application, scope: str = "city.exchange") -> dict:
    basic = base64.b64encode(f"{app.client_id}:{SECRET}".encode()).decode()
    token = Client().post(
        "/o/token/", {"grant_type": "client_credentials", "scope": scope}, HTTP_AUTHORIZATION=f"Basic {basic}"
    )
    assert token.status_code == 200, token.content
    return token.json()


FAMILY = {Role.STUDENT, Role.GUARDIAN}


def direct_token(app: Application, user=None, scope: str = PERSON_SCOPES, seconds: int = 3600) -> str:
    """A live access token made directly (the walk and the fuzzer; the flows are tested in test_oidc_server)."""
    import datetime as dt

    from django.utils import timezone
    from oauth2_provider.models import AccessToken

    raw = secrets.token_urlsafe(24)
    AccessToken.objects.create(user=user, application=app, token=raw, scope=scope,
                               expires=timezone.now() + dt.timedelta(seconds=seconds))  # fmt: skip
    return raw


def vendor_owner():
    from ejournal.testing import make_user

    return make_user(f"vendor-{secrets.token_hex(3)}", "Сетевой", "Город")


def bearer(token: str, role: str | None = None) -> dict:
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    if role:
        headers["HTTP_X_EJOURNAL_ROLE"] = role
    return headers
