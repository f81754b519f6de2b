"""Settings of the journal benchmark's server: the app's settings plus a bench-only URLconf (a hello-world view).

Selected with DJANGO_SETTINGS_MODULE=bench_settings and `bench/` on PYTHONPATH
(bench/journal_load.py does both); the app itself never imports this module.
"""

import os

from ejournal.settings import *  # noqa: F403

ROOT_URLCONF = "bench_urls"

if os.environ.get("BENCH_TIMING"):  # server-side time per request (bench/bench_timing.py)
    MIDDLEWARE = ["bench_timing.TimingMiddleware", *MIDDLEWARE]  # noqa: F405
