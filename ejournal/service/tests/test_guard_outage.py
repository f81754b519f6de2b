"""The public form's flood protection with the cache away: real parents are not locked out, nothing 500s.

The per-address counters live only in the cache and are not kept while it is away; the school's limit is
then counted from the applications themselves (decision 0005), and the honeypot and the form's age apply.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from ejournal.core.cache import breakers_reset, cache_available
from ejournal.core.tests.redis_process import unused_redis_url
from ejournal.service.models import Application

from .factories import form_post


@pytest.fixture
def redis_away(settings):
    breakers_reset()
    settings.CACHES = {"default": {"BACKEND": "ejournal.core.cache.RedisCache", "LOCATION": unused_redis_url()}}
    yield
    breakers_reset()


def _page(world):
    return reverse("service:school_page", args=[world.school.code])


def test_with_the_cache_away_applications_are_accepted_and_the_schools_limit_counts_them_in_the_database(
    world, client, settings, redis_away
):
    settings.EJ_SERVICE = {"rate_per_school": 2, "rate_per_ip": 1}
    for name in ("Мария", "Анна"):  # one address, over its limit of 1: not counted while the cache is away
        assert client.post(_page(world), form_post(child_first_name=name)).status_code == 302
    assert not cache_available()
    response = client.post(_page(world), form_post(child_first_name="Ольга"), REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 400
    assert "Слишком много заявлений" in response.content.decode()
    assert client.post("/u/g2/", form_post(), REMOTE_ADDR="10.0.0.3").status_code == 302  # another school: fine
    assert Application.objects.count() == 3


def test_a_bot_is_still_turned_away_with_the_cache_away(world, client, redis_away):
    response = client.post(_page(world), form_post(website="http://spam.example"))
    assert response.status_code == 302  # silently, as always
    assert not Application.objects.exists()
