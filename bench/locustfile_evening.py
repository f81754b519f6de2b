"""Locust users of the evening mix (run by bench/evening_mix.py, one mode per run).

Environment:
    BENCH_TARGETS   JSON written by evening_mix.py: guardians (a session and a CSRF cookie each) with their children and
                    the homework files of their children's week; the sign-in pool (login, password)
    BENCH_MODE      mix | pages | week | marks | year | signin | hello
    BENCH_RATE      requests per second of each page user (0: as fast as possible, a closed loop)
    BENCH_SIGNIN    the base URL sign-ins go to (default: the host; the isolated pool's port otherwise)
    BENCH_SIGNIN_USERS, BENCH_SIGNIN_RATE   mix: the sign-ins' own users and each one's rate (below)

A family's evening, each request a parent (or a student) of the pool picked at random, signed in earlier
(their session cookie), except the sign-ins:

    week 55 %   this week 80 %, the previous one 15 %, the next one 5 %
    marks 25 %  the current term's marks
    year 5 %    the year's marks
    file 5 %    a homework file of the child's week
    signin 10 % the login form posted with a right password (Argon2 at the site's cost), a fresh client each time

Each user starts at a random point of its cycle (see locustfile_diary.py).

The sign-ins are users of their own (`SigninUser`, BENCH_SIGNIN_USERS of them, each at BENCH_SIGNIN_RATE):
a sign-in waits seconds for its hash (or for a slot), and a user that also opened pages would offer no page
while it waits — the pages' rate would fall with the sign-ins' latency (until session 9 the mix's rate runs
reached 15–24 of 150 req/s, the sign-ins' seconds more than the server's). So the page users (`EveningUser`)
offer the pages' 90 % of the rate and the sign-in users the sign-ins' 10 %, each at its own pace; enough
sign-in users that each one's request may take 1 / BENCH_SIGNIN_RATE seconds without lowering what they offer.
"""

from __future__ import annotations

import json
import os
import random

import gevent
from locust import constant, constant_throughput, task
from locust.contrib.fasthttp import FastHttpUser

TARGETS = json.loads(open(os.environ["BENCH_TARGETS"], encoding="utf-8").read())  # noqa: SIM115
MODE = os.environ.get("BENCH_MODE", "mix")
RATE = float(os.environ.get("BENCH_RATE", "0"))
SIGNIN = os.environ.get("BENCH_SIGNIN", "")
SIGNIN_USERS = int(os.environ.get("BENCH_SIGNIN_USERS", "0"))
SIGNIN_RATE = float(os.environ.get("BENCH_SIGNIN_RATE", "0"))
GUARDIANS = TARGETS["guardians"]
WITH_FILES = [g for g in GUARDIANS if any(g["files"].values())]
SIGNERS = TARGETS["signers"]
THIS, PREVIOUS, NEXT = TARGETS["weeks"]
WEEKS = [THIS] * 16 + [PREVIOUS] * 3 + [NEXT]
COOKIE, CSRF_COOKIE = TARGETS["cookie"], TARGETS["csrf_cookie"]
CLOSE = {"Connection": "close"}  # a connection a request, as nginx opens one to gunicorn
MIX = {"mix": [("week", 55), ("marks", 25), ("year", 5), ("file", 5)],  # + the sign-ins' own users
       "pages": [("week", 55), ("marks", 25), ("year", 5), ("file", 5)],
       "week": [("week", 1)], "marks": [("marks", 1)], "year": [("year", 1)], "signin": [("signin", 1)],
       "hello": [("hello", 1)]}[MODE]  # fmt: skip
KINDS = [kind for kind, weight in MIX for _ in range(weight)]
CSRF = "a" * 32  # an anonymous browser's CSRF cookie (its secret, sent back in the form)


def _signin(user: FastHttpUser) -> None:
    login, password = random.choice(SIGNERS)
    headers = {"Cookie": f"{CSRF_COOKIE}={CSRF}", "Referer": f"{SIGNIN or user.host}/accounts/login/", **CLOSE}
    data = {"username": login, "password": password, "csrfmiddlewaretoken": CSRF}
    user.client.cookiejar.clear()
    with user.client.post(f"{SIGNIN}/accounts/login/", data=data, headers=headers, name="signin",
                          allow_redirects=False, catch_response=True) as response:  # fmt: skip
        if response.status_code == 302:
            response.success()
        elif response.status_code == 503:  # «попробуйте через минуту»: counted apart, not a failure
            response.success()
            user.environment.events.request.fire(request_type="POST", name="signin-busy", response_time=0,
                                                  response_length=0, exception=None, context={})  # fmt: skip
        else:
            response.failure(f"{response.status_code}: {(response.content or b'')[:200]!r}")


class SigninUser(FastHttpUser):
    """A parent signing in (the mix only): the login form with a right password, a fresh client each time."""

    abstract = MODE != "mix" or SIGNIN_USERS < 1  # not run otherwise
    fixed_count = SIGNIN_USERS
    wait_time = constant_throughput(SIGNIN_RATE) if SIGNIN_RATE > 0 else constant(0)

    def on_start(self) -> None:
        if SIGNIN_RATE > 0:
            gevent.sleep(random.uniform(0, 1 / SIGNIN_RATE))

    @task
    def signin(self) -> None:
        _signin(self)


class EveningUser(FastHttpUser):
    wait_time = constant_throughput(RATE) if RATE > 0 else constant(0)

    def on_start(self) -> None:
        if RATE > 0:
            gevent.sleep(random.uniform(0, 1 / RATE))

    def _page(self, url: str, name: str, guardian: dict, expect: bytes) -> None:
        headers = {"Cookie": f"{COOKIE}={guardian['session']}; {CSRF_COOKIE}={guardian['csrf']}", **CLOSE}
        with self.client.get(url, headers=headers, name=name, catch_response=True) as response:
            body = response.content or b""
            if response.status_code == 200 and expect in body:
                response.success()
            else:
                response.failure(f"{response.status_code}: {body[:200]!r}")

    @task
    def act(self) -> None:
        kind = random.choice(KINDS)
        self.client.cookiejar.clear()  # each request is its own parent: no cookie carried over
        if kind == "hello":
            self.client.get("/bench/hello/", name="hello", headers=CLOSE)
        elif kind == "signin":
            _signin(self)
        elif kind == "file":
            guardian = random.choice(WITH_FILES)
            student = random.choice([s for s, files in guardian["files"].items() if files])
            pk = random.choice(guardian["files"][student])
            self._page(f"/diary/{student}/files/{pk}/", "file", guardian, b"")
        else:
            guardian = random.choice(GUARDIANS)
            student = random.choice(guardian["children"])
            if kind == "week":
                week = random.choice(WEEKS)
                url = f"/diary/{student}/" if week == THIS else f"/diary/{student}/?week={week}"
                self._page(url, "week", guardian, b"diary-day")
            elif kind == "marks":
                self._page(f"/diary/{student}/marks/", "marks", guardian, b"diary-terms")
            else:
                self._page(f"/diary/{student}/marks/?term=year", "year", guardian, b"diary-year")
