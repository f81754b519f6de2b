"""A limit on sign-ins checked at once: the password hash (Argon2, ~0.35 s of CPU) must not starve the pages.

At the evening peak a tenth of the requests are sign-ins; each checks an Argon2 hash at the site's cost, so a
burst of them would take every core from the pages. Each process lets `SIGNIN_CONCURRENCY` sign-ins hash at
once; another one waits up to `SIGNIN_WAIT_SECONDS` for a slot and is otherwise answered at once, politely,
with 503 and `Retry-After` («попробуйте через минуту»), having checked nothing. Production serves the sign-in
address from its own small gunicorn pool, lower in the CPU's priority (docs/decisions/0015-evening-peak.md),
so that per process here means per machine there. The hash parameters are unchanged.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings

_LOCK = threading.Lock()
_SLOTS: tuple[int, threading.BoundedSemaphore] | None = None


def _slots() -> threading.BoundedSemaphore:
    global _SLOTS
    size = max(1, int(getattr(settings, "SIGNIN_CONCURRENCY", 1)))
    with _LOCK:
        if _SLOTS is None or _SLOTS[0] != size:  # the setting changed (tests): a new semaphore of that size
            _SLOTS = (size, threading.BoundedSemaphore(size))
        return _SLOTS[1]


@contextmanager
def signin_slot() -> Iterator[bool]:
    """True while this sign-in holds a slot; False when none freed within `SIGNIN_WAIT_SECONDS`."""
    slots = _slots()
    admitted = slots.acquire(timeout=float(getattr(settings, "SIGNIN_WAIT_SECONDS", 2.0)))
    try:
        yield admitted
    finally:
        if admitted:
            slots.release()
