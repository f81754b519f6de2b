"""Locust users of the journal benchmark (run by bench/journal_load.py, one mode per run).

Environment:
    BENCH_TARGETS   JSON written by journal_load.py: teachers, their journals and empty cells
    BENCH_MODE      grid | mark | column | hello
    BENCH_OFFSET    first teacher of this run (runs never share a teacher, so never a cell)
    BENCH_RATE      requests per second of each user (0: as fast as possible)
    BENCH_TOKENS    file to write the client tokens of the saves answered 200
    BENCH_PASSWORD  the teachers' password
    BENCH_START_AT  epoch second of the first measured request: users that signed in wait for it
    BENCH_LOG       file to write every request as [start epoch, name, milliseconds, ok]
    BENCH_TEACHERS_PER_USER  teachers each user works for in turn (default 1), all signed in before the
                    start: a user whose teacher has no empty cell left goes on with its next one, so a long
                    write run never runs dry

Each user signs in through the login form as its own teacher(s) (the session
and CSRF cookies are kept and sent), then repeats its request. Writes send
what the journal page sends: a JSON list of cells with a client token each.
At a fixed rate each user then waits a random part of its cycle before its first
request, so users started together do not ask together every cycle.

Signing in hashes the password (about a second of CPU): the users of a run sign in
together and then wait for BENCH_START_AT, so the first measured requests do not
share the CPU with the others' sign-ins (a city's teachers sign in over the morning,
not all in the second someone saves a mark).
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import time

import gevent
from locust import constant, constant_throughput, events, task
from locust.contrib.fasthttp import FastHttpUser

TARGETS = json.loads(open(os.environ["BENCH_TARGETS"], encoding="utf-8").read())  # noqa: SIM115
MODE = os.environ.get("BENCH_MODE", "grid")
OFFSET = int(os.environ.get("BENCH_OFFSET", "0"))
RATE = float(os.environ.get("BENCH_RATE", "0"))
PASSWORD = os.environ.get("BENCH_PASSWORD", "bench12345")
COLUMN = 30
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_numbers = itertools.count()
START_AT = float(os.environ.get("BENCH_START_AT", "0"))
PER_USER = int(os.environ.get("BENCH_TEACHERS_PER_USER", "1"))
SAVED: list[str] = []  # tokens of the cells answered 200
LOG: list[tuple] = []  # every request: start (epoch s), name, ms, ok


@events.request.add_listener
def _request_log(request_type, name, response_time, exception, start_time=None, **_kwargs) -> None:
    LOG.append((round(start_time or time.time(), 3), name, round(response_time, 1), exception is None))


@events.test_stop.add_listener
def _tokens_write(**_kwargs) -> None:
    for variable, data in (("BENCH_TOKENS", SAVED), ("BENCH_LOG", LOG)):
        if path := os.environ.get(variable):
            with open(path, "w", encoding="utf-8") as f:
                json.dump(data, f)


class JournalUser(FastHttpUser):
    wait_time = constant_throughput(RATE) if RATE > 0 else constant(0)

    def on_start(self) -> None:
        self.number = next(_numbers)
        if MODE == "hello":
            return
        first = OFFSET + self.number * PER_USER
        self.signed = [self._sign_in(teacher) for teacher in TARGETS["teachers"][first : first + PER_USER]]
        self._switch()
        gevent.sleep(max(0.0, START_AT - time.time()))
        if RATE > 0:  # a random phase in the cycle: the load is the offered rate, not bursts of users started together
            gevent.sleep(random.uniform(0, 1 / RATE))

    def _sign_in(self, teacher: dict) -> tuple[dict, str, str]:
        """The teacher's session: its cookies as a header, and the CSRF token."""
        self.client.cookiejar.clear()
        page = self.client.get("/accounts/login/", name="login form")
        token = CSRF.search(page.text).group(1)
        data = {"username": teacher["username"], "password": PASSWORD, "csrfmiddlewaretoken": token}
        self.client.post("/accounts/login/", data=data, name="login", headers={"Referer": self.host})
        cookies = {c.name: c.value for c in self.client.cookiejar}
        self.client.cookiejar.clear()
        return teacher, "; ".join(f"{k}={v}" for k, v in cookies.items()), cookies["csrftoken"]

    def _switch(self) -> None:
        """Work for the next signed-in teacher."""
        self.teacher, self.cookie, self.csrf = self.signed.pop(0)
        self.sent = 0
        self.__dict__.pop("chunks", None)

    @task
    def act(self) -> None:
        if MODE == "hello":
            self.client.get("/bench/hello/", name="hello")
        elif MODE == "grid":
            assignment, term = random.choice(self.teacher["journals"])
            self.client.get(f"/journal/{assignment}/{term}/", name="grid", headers={"Cookie": self.cookie})
            self.client.cookiejar.clear()
        else:
            self._save(1 if MODE == "mark" else COLUMN)

    def _chunks(self, count: int) -> list[tuple[dict, list]]:
        """The teacher's empty cells in requests of `count` cells of one journal page (a column runs on into the next lesson)."""
        out = []
        for journal in self.teacher["cells"]:
            cells = journal["cells"]
            out += [(journal, cells[i : i + count]) for i in range(0, len(cells) - count + 1, count)]
        return out

    def _save(self, count: int) -> None:
        if not hasattr(self, "chunks"):
            self.chunks = self._chunks(count)
        if self.sent >= len(self.chunks):
            if not self.signed:
                self.stop()
                return
            self._switch()
            self.chunks = self._chunks(count)
        journal, batch = self.chunks[self.sent]
        tokens = [f"b{OFFSET}-{self.number}-{self.teacher['user_id']}-{self.sent}-{i}" for i in range(count)]
        self.sent += 1
        cells = [
            {"student": student, "lesson": lesson, "text": str(random.choice((5, 5, 4, 4, 4, 3))), "att": 0,
             "marks": "", "token": token}
            for (lesson, student), token in zip(batch, tokens, strict=True)
        ]  # fmt: skip
        url = f"/journal/{journal['assignment']}/{journal['term']}/cells/"
        name = "cells:1" if count == 1 else f"cells:{COLUMN}"
        headers = {"X-CSRFToken": self.csrf, "HX-Request": "true", "Referer": self.host, "Cookie": self.cookie}
        with self.client.post(
            url, data={"cells": json.dumps(cells)}, headers=headers, name=name, catch_response=True
        ) as response:
            if response.status_code == 200:
                SAVED.extend(tokens)
                response.success()
            else:
                response.failure(f"{response.status_code}: {response.text[:200]}")
        self.client.cookiejar.clear()  # the teacher's cookies go in the header
