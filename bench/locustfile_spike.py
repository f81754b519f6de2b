"""The diary spike (bench/cluster_drills.py spike): the diary's users of locustfile_diary at a base rate, 5× the
evening rate for SPIKE_S seconds, then the base rate again (users × BENCH_RATE requests/s each)."""

from __future__ import annotations

import os

from locust import LoadTestShape
from locustfile_diary import DiaryUser  # noqa: F401 - the users of this run

BASE_USERS = int(os.environ.get("SPIKE_BASE_USERS", "6"))
USERS = int(os.environ.get("SPIKE_USERS", "150"))
BASE_S = int(os.environ.get("SPIKE_BASE_S", "30"))
SPIKE_S = int(os.environ.get("SPIKE_S", "60"))
AFTER_S = int(os.environ.get("SPIKE_AFTER_S", "60"))


class Spike(LoadTestShape):
    def tick(self):
        t = self.get_run_time()
        if t < BASE_S:
            return BASE_USERS, BASE_USERS
        if t < BASE_S + SPIKE_S:
            return USERS, USERS  # all at once: a spike, not a ramp
        if t < BASE_S + SPIKE_S + AFTER_S:
            return BASE_USERS, USERS
        return None
