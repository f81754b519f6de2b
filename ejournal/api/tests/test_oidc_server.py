"""The OAuth2/OIDC authorization server: code + PKCE, ID token signed with the published key, scopes per kind."""

import base64
import json
from urllib.parse import parse_qs, urlparse

from django.test import Client
from jwcrypto import jwk, jwt

from ejournal.access.roles import Role
from ejournal.testing import login

from .helpers import REDIRECT, authorize_query, person_app, person_token, pkce_pair, system_app, system_token


def test_discovery_names_the_endpoints_and_keys(db, client):
    info = client.get("/o/.well-known/openid-configuration").json()
    assert info["issuer"].endswith("/o")
    assert info["authorization_endpoint"].endswith("/o/authorize/")
    assert info["token_endpoint"].endswith("/o/token/")
    assert "S256" in info.get("code_challenge_methods_supported", ["S256"])
    keys = client.get("/o/.well-known/jwks.json").json()["keys"]
    assert keys and keys[0]["kty"] == "RSA"


def test_person_signs_in_an_app_with_pkce_and_gets_a_signed_id_token(world):
    app = person_app()
    token = person_token(app, world.guardian_user, Role.GUARDIAN)
    keys = jwk.JWKSet.from_json(Client().get("/o/.well-known/jwks.json").content)
    claims = json.loads(jwt.JWT(jwt=token["id_token"], key=keys).claims)
    assert claims["sub"] == str(world.guardian_user.pk)
    assert claims["aud"] == app.client_id
    assert claims["nonce"] == "n-1"
    assert claims["family_name"] == "Орлова"
    info = Client().get("/o/userinfo/", HTTP_AUTHORIZATION=f"Bearer {token['access_token']}").json()
    assert info["sub"] == str(world.guardian_user.pk)
    assert info["email"] == "parent@example.ru"


def test_code_without_pkce_is_refused(world):
    app = person_app()
    browser = login(Client(), world.guardian_user)
    query = authorize_query(app, "x")
    del query["code_challenge"], query["code_challenge_method"]
    answer = browser.get("/o/authorize/", query)
    # The error goes back to the app's registered address, never a consent screen.
    assert answer.status_code == 302
    assert parse_qs(urlparse(answer["Location"]).query)["error"] == ["invalid_request"]


def test_wrong_code_verifier_gets_no_token(world):
    app = person_app()
    browser = login(Client(), world.guardian_user)
    _, challenge = pkce_pair()
    query = authorize_query(app, challenge)
    answer = browser.post("/o/authorize/", {**query, "allow": "1"})
    code = parse_qs(urlparse(answer["Location"]).query)["code"][0]
    token = Client().post(
        "/o/token/",
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": REDIRECT,
            "client_id": app.client_id,
            "code_verifier": "not-the-verifier-" + "x" * 40,
        },
    )
    assert token.status_code == 400


def test_consent_screen_is_russian_and_lists_the_scopes(world):
    app = person_app()
    browser = login(Client(), world.guardian_user)
    _, challenge = pkce_pair()
    page = browser.get("/o/authorize/", authorize_query(app, challenge, "openid family")).content.decode()
    assert "просит доступ" in page
    assert "Дневник ваших детей" in page
    assert "Разрешить" in page and "Отказать" in page
    assert "Authorize" not in page


def test_a_system_gets_only_the_exchange_scope(world):
    app = system_app([world.school])
    assert system_token(app)["scope"] == "city.exchange"
    basic = base64.b64encode(f"{app.client_id}:app-secret-0123456789".encode()).decode()
    refused = Client().post(
        "/o/token/", {"grant_type": "client_credentials", "scope": "family"}, HTTP_AUTHORIZATION=f"Basic {basic}"
    )
    assert refused.status_code == 400
    assert refused.json()["error"] == "invalid_scope"


def test_a_persons_app_cannot_ask_for_the_exchange_scope(world):
    app = person_app()
    browser = login(Client(), world.guardian_user)
    _, challenge = pkce_pair()
    answer = browser.get("/o/authorize/", authorize_query(app, challenge, "openid city.exchange"))
    assert answer.status_code == 302
    assert parse_qs(urlparse(answer["Location"]).query)["error"] == ["invalid_scope"]
