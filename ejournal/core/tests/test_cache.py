"""The Redis cache backend (ejournal.core.cache) against the Redis server.

Database 15; each test's keys under a prefix of its own, deleted after it. A Redis that is away is a port
where nothing listens, or every operation made to fail (the shared server is never stopped)."""

from __future__ import annotations

import threading
import time
import uuid

import pytest

from ejournal.core.cache import RedisCache, RedisCacheClient, breakers_reset, forget_on_recovery

from .redis_process import unused_redis_url

LOCATION = "redis://127.0.0.1:6379/15"


@pytest.fixture
def cache():
    prefix = f"test-{uuid.uuid4().hex}"
    backend = RedisCache(LOCATION, {"KEY_PREFIX": prefix})
    yield backend
    client = backend._cache.get_client()
    keys = list(client.scan_iter(match=f"{prefix}:*"))
    if keys:  # only this test's keys: a parallel run's are left alone
        client.delete(*keys)


def test_one_client_per_pool_serves_every_operation(cache):
    first = cache._cache.get_client("a")
    assert cache._cache.get_client("b") is first
    assert cache._cache.get_client("c", write=True) is first  # one server: reads and writes share its pool
    assert first.connection_pool is cache._cache._get_connection_pool(False)


def test_values_round_trip(cache):
    cache.set("page", "<html>ü</html>", 60)
    cache.set_many({"a": 1, "b": {"x": [1, 2]}}, 60)
    assert cache.get("page") == "<html>ü</html>"
    assert cache.get_many(["a", "b", "missing"]) == {"a": 1, "b": {"x": [1, 2]}}
    assert cache.add("a", 2) is False
    cache.delete("a")
    assert cache.get("a") is None


def test_a_count_is_one_round_trip_and_expires(cache, monkeypatch):
    from redis.client import Pipeline

    sent = []
    real = Pipeline.execute
    monkeypatch.setattr(
        Pipeline, "execute", lambda self, *a, **k: sent.append(len(self.command_stack)) or real(self, *a, **k)
    )
    assert [cache.count("rate", 60) for _ in range(3)] == [1, 2, 3]
    assert sent == [2, 2, 2]  # INCR and EXPIRE, sent together
    client = cache._cache.get_client()
    assert 0 < client.ttl(cache.make_and_validate_key("rate")) <= 60
    assert cache.get("rate") == 3


def test_threads_share_the_client(cache):
    clients, errors = [], []

    def work(n: int) -> None:
        try:
            for i in range(50):
                cache.set(f"t{n}:{i}", i, 60)
                assert cache.get(f"t{n}:{i}") == i
            clients.append(cache._cache.get_client())
        except Exception as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len({id(c) for c in clients}) == 1


# --- Redis away: the cache degrades, and nothing written meanwhile is served stale afterwards ------------


@pytest.fixture
def breakers():
    breakers_reset()
    yield
    breakers_reset()


def _wait_up(backend: RedisCache) -> None:
    deadline = time.monotonic() + 5
    while not backend.breaker.is_up() and time.monotonic() < deadline:
        backend.get("anything")  # a read after the pause starts the recovery
        time.sleep(0.02)
    assert backend.breaker.is_up()


def test_a_stopped_redis_makes_reads_miss_and_writes_drop_at_once(breakers):
    away = RedisCache(unused_redis_url(), {})
    started = time.monotonic()
    assert away.get("k", "default") == "default"
    assert away.get_many(["a", "b"]) == {}
    away.set("k", 1)
    away.set_many({"a": 1})
    assert away.add("k", 1) is False
    assert away.has_key("k") is False and away.delete("k") is False and away.touch("k") is False
    with pytest.raises(ValueError):
        away.incr("k")
    assert away.count("k", 60) is None  # the count is lost, nothing raised
    away.delete_many(["a"])
    assert time.monotonic() - started < 0.5
    assert not away.breaker.is_up()


def test_an_open_breaker_leaves_redis_alone_until_its_pause_is_over(breakers, monkeypatch, settings):
    settings.CACHE_DOWN_SECONDS = 0.2
    away = RedisCache(unused_redis_url(), {})
    tries = []
    real = RedisCacheClient.get_client
    monkeypatch.setattr(RedisCacheClient, "get_client", lambda self, *a, **k: tries.append(1) or real(self, *a, **k))
    away.get("k")
    assert len(tries) == 1
    for _ in range(50):
        away.get("k")
    assert len(tries) == 1  # not tried while it is taken as away
    time.sleep(0.25)
    away.get("k")  # the pause is over: one background try
    deadline = time.monotonic() + 2
    while away.breaker.recovering and time.monotonic() < deadline:
        time.sleep(0.01)
    assert len(tries) == 2 and not away.breaker.is_up()


def _outage(monkeypatch):
    """Every Redis operation fails from now on, as with a dead server; returns the call that ends it."""
    import redis

    def refuse(self, *args, **kwargs):
        raise redis.exceptions.ConnectionError("refused")

    monkeypatch.setattr(RedisCacheClient, "get_client", refuse)
    return monkeypatch.undo


def test_what_was_written_while_redis_was_away_is_deleted_before_it_is_used_again(cache, breakers, monkeypatch):
    cache.breaker.down_seconds = 0.05
    cache.set_many({"session": "old", "generation": "g1", "page": "p1", "untouched": "u"}, 60)
    end = _outage(monkeypatch)
    cache.set("session", "new")  # a session saved: only the database has it
    cache.set_many({"generation": "g2"})  # an access bump
    cache.delete("page")  # an invalidation
    assert cache.get("session") is None  # read from the database meanwhile
    end()  # the old values are all still in Redis (a frozen or cut-off server keeps its data)
    _wait_up(cache)
    assert cache.get_many(["session", "generation", "page", "untouched"]) == {"untouched": "u"}


def test_keys_named_for_recovery_are_forgotten_whenever_redis_returns(cache, breakers, monkeypatch):
    forget_on_recovery("test:global-token")
    cache.breaker.down_seconds = 0.05
    cache.set("test:global-token", "t1", 60)
    end = _outage(monkeypatch)
    cache.get("x")  # nothing written while away
    end()
    _wait_up(cache)
    assert cache.get("test:global-token") is None


def test_the_global_access_generation_is_named_for_recovery_once_django_is_set_up():
    # The core app registers it (access, below core, may not import the cache).
    from ejournal.access.generation import GLOBAL_KEY
    from ejournal.core.cache import _FORGET_ON_RECOVERY

    assert GLOBAL_KEY in _FORGET_ON_RECOVERY


def test_too_many_lost_keys_forget_every_key_of_this_cache_and_no_other(cache, breakers, monkeypatch):
    cache.breaker.down_seconds, cache.breaker.lost_max = 0.05, 3
    neighbour = RedisCache(LOCATION, {"KEY_PREFIX": f"{cache.key_prefix}-neighbour"})
    cache.set("kept-before", 1, 60)
    neighbour.set("theirs", 1, 60)
    end = _outage(monkeypatch)
    for n in range(5):
        cache.set(f"k{n}", n)
    assert cache.breaker.lost_all
    end()
    _wait_up(cache)
    assert cache.get("kept-before") is None and neighbour.get("theirs") == 1
    neighbour.delete("theirs")
