"""The Redis cache backend (ejournal.core.cache) against the Redis server.

Database 15; each test's keys under a prefix of its own, deleted after it."""

from __future__ import annotations

import threading
import uuid

import pytest

from ejournal.core.cache import RedisCache

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
