"""Must show: Redis is not a single point of failure.

A real `redis-server` of the test's own (ejournal.core.tests.redis_process) is the cache; mid-test it is
stopped (SIGTERM) and frozen (SIGSTOP). Sign-in, the journal page, a mark save and the diary week answer
200 within a second all the while; every saved mark is in the database; when Redis is back the site uses
it again by itself, and what changed while it was away is not served stale from it.
"""

from __future__ import annotations

import json
import time

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from ejournal.access.generation import access_changed
from ejournal.core.cache import cache_available
from ejournal.core.tests.redis_process import RedisProcess
from ejournal.diary.tests.helpers import WED, week_of_lessons
from ejournal.journal.models import Mark
from ejournal.journal.tests.helpers import at
from ejournal.people.models import GuardianLink
from ejournal.testing import PASSWORD, make_student

QUICK = 1.0  # seconds: the most any request may take while Redis is away


@pytest.fixture
def redis_server():
    server = RedisProcess().start()
    yield server
    server.close()


@pytest.fixture
def redis_cache(redis_server, settings):
    """The default cache on the test's own Redis, taken as down for 1 s after a failure (not the default 5)."""
    from ejournal.core.cache import breakers_reset

    breakers_reset()
    settings.CACHES = {"default": {"BACKEND": "ejournal.core.cache.RedisCache", "LOCATION": redis_server.url}}
    settings.CACHE_DOWN_SECONDS = 1
    yield redis_server
    breakers_reset()


def _timed(call, *args, **kwargs):
    started = time.monotonic()
    response = call(*args, **kwargs)
    return response, time.monotonic() - started


def _sign_in(username: str) -> Client:
    client = Client()
    response, took = _timed(client.post, reverse("accounts:login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    assert took < QUICK, f"sign-in took {took:.2f} s"
    home, took = _timed(client.get, response["Location"])
    assert home.status_code == 200 and took < QUICK, (home.status_code, took)
    return client


class Site:
    """The four things a school does that must keep working: sign in, open the journal, save a mark, read the diary."""

    def __init__(self, world, data) -> None:
        self.world = world
        self.term = world.school.terms.get(number=1)
        self.assignment = data.maths
        self.lesson = next(day for day in data.days[WED] if day.assignment_id == data.maths.pk)
        self.saved = 0

    def _url(self, name: str) -> str:
        return reverse(f"journal:{name}", kwargs={"assignment_id": self.assignment.pk, "term_id": self.term.pk})

    def teacher_saves_a_mark(self) -> None:
        client = _sign_in(self.world.teacher.username)
        page, took = _timed(client.get, self._url("grid"))
        assert page.status_code == 200 and took < QUICK, (page.status_code, took)
        self.saved += 1
        value = 2 + self.saved % 4
        pupil = make_student(self.world.cls, f"Ученик{self.saved:02d}", "Тест")  # an empty cell each time
        cell = {"student": pupil.pk, "lesson": self.lesson.pk, "text": f"{value}", "att": 0,
                "marks": "", "token": f"outage-{self.saved}"}  # fmt: skip
        save, took = _timed(client.post, self._url("cells"), {"cells": json.dumps([cell])}, HTTP_HX_REQUEST="true")
        assert save.status_code == 200 and took < QUICK, (save.status_code, took, save.content.decode()[:300])
        assert "jc-saved" in save.content.decode()
        assert Mark.objects.filter(client_token__startswith=f"outage-{self.saved}", value=value).exists()

    def guardian_reads_the_week(self, student=None, client: Client | None = None) -> int:
        client = client or _sign_in(self.world.guardian_user.username)
        student = student or self.world.student
        week = reverse("diary:week", kwargs={"student_id": student.pk})
        page, took = _timed(client.get, week)
        assert took < QUICK, f"the diary week took {took:.2f} s"
        return page.status_code

    def everything_works(self) -> None:
        self.teacher_saves_a_mark()
        assert self.guardian_reads_the_week() == 200


def _wait_until_the_cache_is_used(site: Site, redis_server: RedisProcess) -> None:
    """Requests until Redis holds what they cache again: the site went back to it by itself."""
    redis_server.client().flushdb()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        assert site.guardian_reads_the_week() == 200
        if cache_available() and redis_server.client().dbsize() > 0:
            return
        time.sleep(0.2)
    pytest.fail("the site did not use Redis again after it came back")


def test_pages_and_saves_keep_working_while_redis_is_stopped_and_while_it_is_frozen(world, redis_cache):
    redis_server = redis_cache
    with at(WED):
        site = Site(world, week_of_lessons(world))
        site.everything_works()
        assert redis_server.client().dbsize() > 0  # the cache is in use

        redis_server.stop()
        site.everything_works()
        site.everything_works()
        assert not cache_available()

        redis_server.start()
        _wait_until_the_cache_is_used(site, redis_server)
        site.everything_works()

        redis_server.freeze()
        site.everything_works()
        site.everything_works()
        assert not cache_available()

        redis_server.thaw()
        _wait_until_the_cache_is_used(site, redis_server)
        site.everything_works()
    assert Mark.objects.filter(client_token__startswith="outage-").count() == site.saved == 7


def test_access_taken_away_while_redis_is_frozen_is_not_served_from_it_when_it_returns(world, redis_cache):
    redis_server = redis_cache
    with at(WED):
        site = Site(world, week_of_lessons(world))
        guardian = _sign_in(world.guardian_user.username)  # signed in throughout: no sign-in refreshes the access
        assert site.guardian_reads_the_week(world.sibling, guardian) == 200  # the access is cached in Redis

        redis_server.freeze()
        assert site.guardian_reads_the_week(world.student, guardian) == 200  # Redis found away: the cache is skipped
        assert not cache_available()
        GuardianLink.objects.filter(guardian=world.guardian, student=world.sibling).delete()
        access_changed([world.guardian_user.pk])  # as the services do: this bump is dropped, never sent
        assert site.guardian_reads_the_week(world.sibling, guardian) == 404  # computed from the database meanwhile

        redis_server.thaw()  # it still holds the old access entry and the old generation
        deadline = time.monotonic() + 10
        while not cache_available() and time.monotonic() < deadline:
            cache.get("anything")  # a read, never a write: the first after the pause starts the recovery
            time.sleep(0.1)
        assert cache_available()
        assert site.guardian_reads_the_week(world.sibling, guardian) == 404
        assert site.guardian_reads_the_week(world.student, guardian) == 200
