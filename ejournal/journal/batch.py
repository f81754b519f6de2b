"""A memo for one batch of journal writes: what every cell of a save would read again is read once.

`journal_cells_set` opens a batch; inside it `memo(key, compute)` computes a
value once (the school's kinds of work, a subject's scale, a lesson's term, a
term's closure, a deadline, the actor's right to keep a lesson, a class's
enrolments). Outside a batch `memo` simply computes, so single writes behave
as before. None of these values is changed by the writes of a batch.

The journal's views hold the batch for the whole request: a save's answer
reuses what the save read (the school's constants and rules, the students,
the lessons, the rows as the writes left them: `answer.py`), the page its
school's constants. A batch whose transaction is rolled back and run again
(a lost token race) is cleared first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

T = TypeVar("T")
_current: ContextVar[dict | None] = ContextVar("journal_batch", default=None)


@contextmanager
def batch() -> Iterator[dict]:
    """Open a batch (nested calls share the outer one)."""
    cache = _current.get()
    if cache is not None:
        yield cache
        return
    fresh: dict = {}
    token = _current.set(fresh)
    try:
        yield fresh
    finally:
        _current.reset(token)


def memo(key: Any, compute: Callable[[], T]) -> T:
    cache = _current.get()
    if cache is None:
        return compute()
    if key not in cache:
        cache[key] = compute()
    return cache[key]


def batch_cache() -> dict | None:
    return _current.get()
