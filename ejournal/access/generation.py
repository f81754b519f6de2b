"""Access generations: the one switch that makes cached roles and actors stale.

Who may do what is cached per user (see `ejournal.portal.actors.UserAccess`)
with the *access generation* it was built under: one token for everybody and
one per user, kept in Django's default cache (Redis in production, so that
every worker sees a change at once). An entry is used only while its
generation is the current one; both are read in one round trip
(`generation_and_entry`).

Every service that changes what defines access — appointments, class
teachers, teaching assignments, guardian links, student accounts,
enrolments, imports of such rows, the demo data, the admin — calls
`access_changed` explicitly (no signals: the project keeps logic out of
signals and `save()`). It replaces the token(s) with new random ones, so the
old cache entries are never used again and are rebuilt or expire.

The token is replaced twice: at once, and again after the surrounding
transaction commits. A request running between the two may have read the
old rows and cached them under the first new token; the second replacement
makes that entry stale too. A token lost from the cache (eviction,
restart) is replaced by a new random one, never by a value seen before.

While Redis is away (`ejournal.core.cache`) a bump cannot be written, and
entries are built from the database on every request and not kept. The
cache deletes the keys of dropped writes before it is used again, and the
global token on every recovery (`forget_on_recovery`; the core app, above
this one, registers `GLOBAL_KEY` in `CoreConfig.ready`): a Redis that was only
frozen still holds the old tokens and entries, and the process that dropped
a bump may have exited meanwhile. Everybody's access is then rebuilt once.

This module sits in the lowest layer so that every app may call it.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from django.core.cache import cache
from django.db import transaction

GLOBAL_KEY = "access:gen"


def _user_key(user_id: int) -> str:
    return f"access:gen:u{user_id}"


def _token() -> str:
    return uuid.uuid4().hex[:12]


def _bump(keys: list[str]) -> None:
    cache.set_many({key: _token() for key in keys}, timeout=None)


def access_changed(user_ids: Iterable[int | None] | None = None) -> None:
    """Forget cached access: of the given users, or of everybody when `user_ids` is None.

    Pass the users whose roles or reach changed (the teacher of a teaching
    assignment, the guardian's account of a link…); pass nothing when the
    change reaches people one cannot name cheaply (a school's district, the
    current academic year, a bulk import). `None` entries are ignored.
    """
    if user_ids is None:
        keys = [GLOBAL_KEY]
    else:
        keys = sorted({_user_key(uid) for uid in user_ids if uid is not None})
        if not keys:
            return
    _bump(keys)
    transaction.on_commit(lambda: _bump(keys))


def generation_and_entry(user_id: int, key: str) -> tuple[str, object | None]:
    """The current generation of `user_id`'s access and the cache entry at `key`, read in one round trip.

    The entry is the caller's and stores the generation it was built under; it is valid only while that is
    the current one. When a token is missing it is made anew, and no entry can be of it (None)."""
    keys = [GLOBAL_KEY, _user_key(user_id)]
    found = cache.get_many([*keys, key])
    if any(k not in found for k in keys):
        return access_generation(user_id), None
    return ".".join(found[k] for k in keys), found.get(key)


def access_generation(user_id: int) -> str:
    """The current generation of `user_id`'s access: part of every cache key of it."""
    keys = [GLOBAL_KEY, _user_key(user_id)]
    found = cache.get_many(keys)
    if len(found) < len(keys):
        for key in keys:
            if key not in found:
                cache.add(key, _token(), timeout=None)
        found = {**dict.fromkeys(keys, ""), **cache.get_many(keys)}
    return ".".join(found[key] for key in keys)
