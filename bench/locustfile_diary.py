"""Locust users of the diary benchmark (run by bench/diary_load.py, one mode per run).

Environment:
    BENCH_TARGETS   JSON written by diary_load.py: guardians (a session and a CSRF cookie each) and their children
    BENCH_MODE      week | api | hello (api: the same week through the open API, the guardian's bearer token)
    BENCH_RATE      requests per second of each user (0: as fast as possible, a closed loop)
    BENCH_WEEKS     the ISO weeks asked: this week, the previous one, the next one
    BENCH_KEEP_ALIVE  non-empty: keep the connection between requests (default: `Connection: close`)
    BENCH_HELLO_PATH  the hello mode's path (default /bench/hello/; the cluster's spike asks nginx's /healthz)

Parents in the evening: every request is one of the guardians, picked at random,
already signed in (the session made by diary_load.py, sent as its cookie, with the CSRF cookie its
browser keeps), opening
one of their children's week: this week mostly, sometimes the previous or the next.

Each user starts at a random point of its cycle (1/BENCH_RATE seconds): locust starts
users in batches of `spawn rate` users a second, and users that start together
would ask together every cycle, so the server would see bursts of a second's
requests at once instead of the offered rate spread over the second.
"""

from __future__ import annotations

import json
import os
import random

import gevent
from locust import constant, constant_throughput, task
from locust.contrib.fasthttp import FastHttpUser

TARGETS = json.loads(open(os.environ["BENCH_TARGETS"], encoding="utf-8").read())  # noqa: SIM115
MODE = os.environ.get("BENCH_MODE", "week")
RATE = float(os.environ.get("BENCH_RATE", "0"))
GUARDIANS = TARGETS["guardians"]
THIS, PREVIOUS, NEXT = TARGETS["weeks"]
WEEKS = [THIS] * 16 + [PREVIOUS] * 3 + [NEXT]  # 80 % this week, 15 % the previous one, 5 % the next one
COOKIE, CSRF_COOKIE = TARGETS["cookie"], TARGETS["csrf_cookie"]
# Without keep-alive every request opens its own connection, as nginx does to gunicorn. Kept alive, each of
# the 600 users' connections stays with the gunicorn worker that accepted it, and one worker ends up with
# most of them (one core's worth of Python) while the others idle.
CONNECTION = {} if os.environ.get("BENCH_KEEP_ALIVE") else {"Connection": "close"}
HELLO = os.environ.get("BENCH_HELLO_PATH", "/bench/hello/")


class DiaryUser(FastHttpUser):
    wait_time = constant_throughput(RATE) if RATE > 0 else constant(0)

    def on_start(self) -> None:
        if RATE > 0:  # a random phase: the requests of users started in one batch spread over the cycle
            gevent.sleep(random.uniform(0, 1 / RATE))

    @task
    def act(self) -> None:
        if MODE == "hello":
            self.client.get(HELLO, name="hello", headers=CONNECTION)
            return
        guardian = random.choice(GUARDIANS)
        student = random.choice(guardian["children"])
        week = random.choice(WEEKS)
        if MODE == "api":
            self._api(guardian, student, week)
            return
        url = f"/diary/{student}/" if week == THIS else f"/diary/{student}/?week={week}"
        headers = {"Cookie": f"{COOKIE}={guardian['session']}; {CSRF_COOKIE}={guardian['csrf']}", **CONNECTION}
        with self.client.get(url, headers=headers, name="week", catch_response=True) as response:
            if response.status_code == 200 and b"diary-day" in (response.content or b""):
                response.success()
            else:
                response.failure(f"{response.status_code}: {(response.text or '')[:200]}")
        self.client.cookiejar.clear()  # each request is its own parent: no cookie carried over

    def _api(self, guardian: dict, student: int, week: str) -> None:
        """The week through the open API (bench/api_load.py): a bearer token, no cookie."""
        headers = {"Authorization": f"Bearer {guardian['token']}", **CONNECTION}
        url = f"/api/v1/family/children/{student}/week?week={week}"
        with self.client.get(url, headers=headers, name="api-week", catch_response=True) as response:
            if response.status_code == 200 and b'"days"' in (response.content or b""):
                response.success()
            else:
                response.failure(f"{response.status_code}: {(response.text or '')[:200]}")
