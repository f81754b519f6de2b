"""Sign-in through an external OpenID Connect provider, against a real one in a second process.

The provider is this project's own authorization server (django-oauth-toolkit) run
by `manage.py runserver` with its own SQLite database (provider_process.py).
"""

from __future__ import annotations

import datetime as dt
import logging
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from ejournal.accounts.models import SignInSession, User

from .provider_process import CLIENT_ID, CLIENT_SECRET, ID_TOKEN_SECONDS, provider_start

CALLBACK = "http://testserver/accounts/provider/callback/"


@pytest.fixture(scope="module")
def provider():
    running = provider_start([CALLBACK])
    yield running
    running.stop()


@pytest.fixture
def configured(provider, settings):
    settings.OIDC_RP_DISCOVERY_URL = provider.discovery
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_RP_PROVIDER_NAME = "Госуслуги"
    return provider


def _to_provider(client: Client, provider) -> str:
    """Press «Войти через Госуслуги»: the provider's authorize URL."""
    answer = client.get("/accounts/provider/")
    assert answer.status_code == 302
    url = answer["Location"]
    assert url.startswith(f"{provider.url}/o/authorize/")
    query = parse_qs(urlsplit(url).query)
    assert query["code_challenge_method"] == ["S256"] and query["nonce"] and query["state"]
    return url


def _round_trip(client: Client, provider, login: str) -> str:
    """The person signs in at the provider; the path (with code and state) the provider sends them back to."""
    back = provider.authorize(provider.person_session(login), _to_provider(client, provider))
    assert back.startswith(CALLBACK), back
    return back.removeprefix("http://testserver")


def _signed_in(client: Client) -> bool:
    return client.get("/").status_code == 200


def test_the_button_appears_only_when_a_provider_is_configured(world, client, settings):
    settings.OIDC_RP_DISCOVERY_URL = ""
    assert "Войти через" not in client.get("/accounts/login/").content.decode()
    assert client.get("/accounts/provider/")["Location"] == "/accounts/login/"
    settings.OIDC_RP_DISCOVERY_URL = "https://esia.example.ru/.well-known/openid-configuration"
    settings.OIDC_RP_PROVIDER_NAME = "Госуслуги"
    assert "Войти через Госуслуги" in client.get("/accounts/login/").content.decode()


def test_a_parent_the_school_linked_signs_in_and_sees_the_children(world, client, configured):
    User.objects.filter(pk=world.guardian_user.pk).update(esia_subject=configured.subjects["esia_parent"])
    answer = client.get(_round_trip(client, configured, "esia_parent"))
    assert answer.status_code == 302 and answer["Location"] == "/"
    page = client.get("/")
    assert page.status_code == 200 and "Мои дети" in page.content.decode()
    assert page.wsgi_request.user == world.guardian_user
    assert SignInSession.objects.get(user=world.guardian_user).via_provider


def test_a_forged_state_is_refused(world, client, configured, caplog):
    User.objects.filter(pk=world.guardian_user.pk).update(esia_subject=configured.subjects["esia_parent"])
    back = _round_trip(client, configured, "esia_parent")
    path, query = back.split("?", 1)
    params = {k: v[0] for k, v in parse_qs(query).items()}
    params["state"] = "forged-" + params["state"][::-1]
    with caplog.at_level(logging.WARNING, logger="ejournal.accounts.provider"):
        answer = client.get(f"{path}?{urlencode(params)}")
    assert answer.status_code == 400 and "Вход не выполнен" in answer.content.decode()
    assert "MismatchingStateError" in caplog.text
    assert not _signed_in(client)


def test_a_wrong_nonce_is_refused(world, client, configured, caplog):
    User.objects.filter(pk=world.guardian_user.pk).update(esia_subject=configured.subjects["esia_parent"])
    back = _round_trip(client, configured, "esia_parent")
    # The ID token carries the nonce we sent; ours no longer matches it (a token replayed into another sign-in).
    session = client.session
    (key,) = [k for k in session.keys() if k.startswith("_state_provider_")]  # noqa: SIM118 - not iterable
    state = session[key]
    state["data"]["nonce"] = "another-nonce"
    session[key] = state
    session.save()
    with caplog.at_level(logging.WARNING, logger="ejournal.accounts.provider"):
        answer = client.get(back)
    assert answer.status_code == 400
    assert "nonce" in caplog.text
    assert not _signed_in(client)


def test_an_expired_id_token_is_refused(world, client, configured, caplog, settings):
    User.objects.filter(pk=world.guardian_user.pk).update(esia_subject=configured.subjects["esia_parent"])
    back = _round_trip(client, configured, "esia_parent")
    # Our clock runs past the token's expiry (it lives ID_TOKEN_SECONDS) and the allowed leeway.
    later = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=ID_TOKEN_SECONDS + settings.OIDC_RP_LEEWAY_SECONDS + 60)
    with time_machine.travel(later, tick=True), caplog.at_level(logging.WARNING, logger="ejournal.accounts.provider"):
        answer = client.get(back)
        assert answer.status_code == 400
        assert "ExpiredTokenError" in caplog.text
        assert not _signed_in(client)


def test_an_unknown_subject_is_sent_to_the_municipal_service_with_the_data_filled_in(world, client, configured):
    answer = client.get(_round_trip(client, configured, "esia_stranger"), follow=True)
    assert answer.redirect_chain[-1][0] == reverse("service:index")
    assert "нет учётной записи, связанной с вами" in answer.content.decode()
    assert not _signed_in(client)
    form = client.get(reverse("service:school_page", args=[world.school.code])).content.decode()
    assert 'value="Новикова"' in form and 'value="Анна"' in form and 'value="novikova@example.ru"' in form


def test_a_namesake_is_never_linked_by_name(world, client, configured):
    """The provider's «Орлова Марина Викторовна» is not our guardian of that name: only the recorded subject links."""
    User.objects.filter(pk=world.guardian_user.pk).update(esia_subject=configured.subjects["esia_parent"])
    assert world.guardian_user.get_full_name() == "Орлова Марина Викторовна"
    answer = client.get(_round_trip(client, configured, "esia_namesake"))
    assert answer["Location"] == reverse("service:index")
    assert not _signed_in(client)


def test_staff_signing_in_through_the_provider_still_give_the_second_factor(world, client, configured):
    User.objects.filter(pk=world.deputy_head.pk).update(esia_subject=configured.subjects["esia_deputy"])
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=world.deputy_head, name="TOTP", key="00" * 20, confirmed=True)
    answer = client.get(_round_trip(client, configured, "esia_deputy"))
    assert answer["Location"] == "/accounts/login/code/"
    assert not _signed_in(client)
