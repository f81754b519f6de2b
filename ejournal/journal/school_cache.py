"""The journal's constants of a school, through the cache: its kinds of work, its subjects' scales, its rule values.

Every save and every page of the journal needs them and they change rarely,
so they are read from Django's cache (Redis in production) in one round trip
(`get_many`) with the Regulation's rule values, and memoised for the request
(`journal.batch`). The services that change them (`services/setup.py`) drop
the key now and again on commit; the Regulation's services drop theirs. The
timeout only bounds staleness if a cache node missed a delete.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from .batch import batch_cache
from .models import MarkScale, WorkType

PREFIX = "ej-journal-school:"


def _seconds() -> int:
    return int(getattr(settings, "EJ_JOURNAL_SCHOOL_CACHE_SECONDS", 3600))


def _key(school_id: int) -> str:
    # The database's name too: the ids of kinds of work must never cross to another database sharing the cache.
    return f"{PREFIX}{settings.DATABASES['default']['NAME']}:{school_id}"


def _memo_set(key: Any, value: Any) -> Any:
    memo = batch_cache()
    if memo is not None:
        memo[key] = value
    return value


def school_constants(school_id: int, *, store: bool = True) -> dict[str, Any]:
    """{"work_types": {code: WorkType}, "scales": {subject_id: kind}} of the school (its rule values memoised too).

    May return no work types: `services.work_types_ensure` creates the defaults and forgets the key.
    `store=False`: read what this transaction just wrote without caching it (it may yet roll back).
    """
    memo = batch_cache()
    if memo is not None and ("school", school_id) in memo:
        return memo[("school", school_id)]
    from ejournal.regulation.selectors import CACHE_PREFIX, rule_values_cached

    own_key, rules_key = _key(school_id), f"{CACHE_PREFIX}{school_id}"
    found = cache.get_many([own_key, rules_key]) if store else {}
    constants = found.get(own_key)
    if constants is None:
        constants = {
            "work_types": {wt.code: wt for wt in WorkType.objects.filter(school_id=school_id)},
            "scales": dict(MarkScale.objects.filter(school_id=school_id).values_list("subject_id", "kind")),
        }
        if store:
            cache.set(own_key, constants, _seconds())
    rules = found.get(rules_key)
    _memo_set(("rule_values", school_id), rules if rules is not None else rule_values_cached(school_id))
    return _memo_set(("school", school_id), constants)


def rule_values(school_id: int) -> dict[str, Any]:
    """The Regulation's rule values of the school (`regulation.selectors.rule_values_cached`), once per request."""
    memo = batch_cache()
    if memo is not None:  # a journal request: read with the school's constants (one round trip), then memoised
        if ("rule_values", school_id) not in memo:
            school_constants(school_id)
        return memo[("rule_values", school_id)]
    from ejournal.regulation.selectors import rule_values_cached

    return rule_values_cached(school_id)


def school_constants_forget(school_id: int) -> None:
    """Drop the school's constants now and when the transaction commits (a read in between cached the old ones)."""
    key = _key(school_id)
    cache.delete(key)
    memo = batch_cache()
    if memo is not None:
        memo.pop(("school", school_id), None)
    transaction.on_commit(lambda: cache.delete(key))
