"""Server-side time of each request, for the benchmarks (never in the app).

With BENCH_TIMING=<path prefix> in the server's environment, bench_settings puts `TimingMiddleware` first:
each worker appends one line per request to `<prefix>.<pid>.tsv`:

    unix start  wall ms  thread CPU ms  status  rendered (1: the diary week was rendered, 0: from the cache)  path

so the latency the client saw can be split into the server's own time and the rest (accept queue,
connection, the client), and the diary's cache hits told from its misses.
"""

from __future__ import annotations

import os
import threading
import time

from ejournal.diary import week

_local = threading.local()
_render = week._render


def _rendering(*args, **kwargs):
    _local.rendered = 1
    return _render(*args, **kwargs)


week._render = _rendering  # the view calls the module's function: counted per request


class TimingMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response
        self.prefix = os.environ["BENCH_TIMING"]
        self.files: dict[int, object] = {}

    def __call__(self, request):
        _local.rendered = 0
        started, wall, cpu = time.time(), time.perf_counter(), time.thread_time()
        response = self.get_response(request)
        line = (f"{started:.4f}\t{(time.perf_counter() - wall) * 1000:.2f}\t{(time.thread_time() - cpu) * 1000:.2f}\t"
                f"{response.status_code}\t{_local.rendered}\t{request.path}\n")  # fmt: skip
        pid = os.getpid()
        out = self.files.get(pid)
        if out is None:
            out = self.files[pid] = open(f"{self.prefix}.{pid}.tsv", "a", encoding="utf-8", buffering=1)  # noqa: SIM115
        out.write(line)
        return response
