"""Headers every response carries (clickjacking, sniffing, CSP, referrer)."""

import pytest


@pytest.fixture
def login_page(client, db):
    return client.get("/accounts/login/")


def test_security_headers_on_a_public_page(login_page):
    assert login_page["X-Frame-Options"] == "DENY"
    assert login_page["X-Content-Type-Options"] == "nosniff"
    assert login_page["Referrer-Policy"] == "same-origin"
    assert login_page["Cross-Origin-Opener-Policy"] == "same-origin"
    csp = login_page["Content-Security-Policy"]
    for directive in ("default-src 'self'", "script-src 'self'", "frame-ancestors 'none'", "form-action 'self'"):
        assert directive in csp
    assert "unsafe-eval" not in csp


def test_pages_with_personal_data_are_not_stored_by_caches(world, login_as):
    response = login_as(world.guardian_user).get("/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    assert response["Content-Security-Policy"]


def test_csp_is_left_out_in_debug(client, db, settings):
    settings.DEBUG = True
    assert "Content-Security-Policy" not in client.get("/accounts/login/")
