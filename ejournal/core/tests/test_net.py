"""The client's address with and without trusted reverse proxies (login throttling and the public form)."""

import pytest
from axes.helpers import get_client_ip_address
from django.test import RequestFactory

from ejournal.core.net import client_ip
from ejournal.service.guard import client_address


def _request(forwarded=None, remote="10.0.0.9"):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@pytest.mark.parametrize("reader", [client_ip, client_address, get_client_ip_address])
def test_without_proxies_the_forwarded_header_is_ignored(settings, reader):
    settings.TRUSTED_PROXY_COUNT = 0
    assert reader(_request("1.2.3.4")) == "10.0.0.9"


@pytest.mark.parametrize("reader", [client_ip, client_address, get_client_ip_address])
def test_behind_one_proxy_the_address_it_saw_counts(settings, reader):
    settings.TRUSTED_PROXY_COUNT = 1
    # The client forged the first entry; our proxy appended the address it really saw.
    assert reader(_request("6.6.6.6, 203.0.113.7")) == "203.0.113.7"


def test_behind_two_proxies_the_second_entry_from_the_right_counts(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(_request("6.6.6.6, 203.0.113.7, 10.0.0.2")) == "203.0.113.7"


@pytest.mark.parametrize("forwarded", [None, "", "not-an-address"])
def test_a_missing_or_bad_header_falls_back_to_the_peer(settings, forwarded):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(_request(forwarded)) == "10.0.0.9"


def test_too_few_entries_fall_back_to_the_peer(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(_request("203.0.113.7")) == "10.0.0.9"


def test_the_form_limit_counts_per_client_behind_the_proxy(settings):
    from ejournal.service.guard import source_of

    settings.TRUSTED_PROXY_COUNT = 1
    first, again = source_of(_request("6.6.6.6, 203.0.113.7")), source_of(_request("203.0.113.7"))
    assert first == again  # the same client, whatever it forged in front
    assert source_of(_request("203.0.113.8")) != first
    assert "203.0.113.7" not in first  # a keyed hash, never the address
