"""The public form with the cache away: nothing 500s, nobody is locked out, nothing is dropped.

The form's limits are counted in the database by the service (the cache plays no part in them), so an
outage of Redis changes nothing for a parent: an application over the limits is held, not refused, and
a suspected bot still gets the visible extra step.
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


def test_with_the_cache_away_applications_are_saved_and_over_the_limits_held_not_refused(
    world, client, settings, redis_away
):
    settings.EJ_SERVICE = {"rate_per_school": 2, "rate_per_ip": 1}
    for name in ("Мария", "Анна", "Ольга"):  # one address over its limit of 1, the school over its 2
        response = client.post(_page(world), form_post(child_first_name=name))
        assert response.status_code == 302
        number = Application.objects.get(child_first_name=name).number
        assert number in client.get(response["Location"]).content.decode()
    assert not cache_available()
    assert Application.objects.count() == 3
    assert Application.objects.filter(status=Application.Status.HELD).exists()


def test_a_suspected_bot_still_gets_the_extra_step_with_the_cache_away(world, client, redis_away):
    response = client.post(_page(world), form_post(website="http://spam.example"))
    assert response.status_code == 200 and "Подтвердите отправку" in response.content.decode()
    assert not Application.objects.exists()
