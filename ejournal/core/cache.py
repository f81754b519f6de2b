"""Django's Redis cache, made optional: short timeouts, a circuit breaker, and no stale entry after an outage.

One redis-py client per connection pool. Django's `RedisCacheClient.get_client` builds a new `redis.Redis`
for every cache operation. Building one fills its table of ~170 response callbacks, which costs more CPU
than the round trip it is made for; redis-py's clients are safe to share between threads (each command
borrows a connection from the pool), so one client per pool serves every thread of the process.

Redis is never a single point of failure (decision 0007):
- every connect and every reply waits at most `CACHE_CONNECT_TIMEOUT_MS` / `CACHE_TIMEOUT_MS` (250 ms), and
  redis-py does not retry;
- a failed operation degrades instead of raising: a read misses, a write is dropped, `incr` finds no key;
  the callers (sessions `cached_db`, the access cache, the journal's constants, the diary's pages, the
  public form's rate limit) then read PostgreSQL, as they do on any miss;
- after a failure Redis is left alone for `CACHE_DOWN_SECONDS` (the breaker is open: no operation waits
  on it); then one background thread tries it, and the requests go back to it only when that succeeded;
- a write dropped while Redis was away could have been an invalidation (a session ended, an access
  generation replaced, a school's constants forgotten), and a Redis that was only frozen or cut off still
  holds the old entry. The keys of every dropped write are remembered (up to `CACHE_LOST_KEYS_MAX`, beyond
  that all of this cache's keys) and deleted before the requests use Redis again, and so are the keys named
  by `forget_on_recovery` (the global access generation: a process that dropped a bump and then exited
  cannot delete its keys itself).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends import redis as django_redis

logger = logging.getLogger(__name__)

_FORGET_ON_RECOVERY: set[str] = set()
_BREAKERS: dict[tuple, Breaker] = {}
_BREAKERS_LOCK = threading.Lock()
_BATCH = 500  # keys per DEL/UNLINK while recovering


def forget_on_recovery(*keys: str) -> None:
    """Delete these keys (as given to the cache) whenever Redis comes back after an outage."""
    _FORGET_ON_RECOVERY.update(keys)


def cache_available(alias: str = "default") -> bool:
    """False while the cache at `alias` is taken as away (its breaker is open); other backends are always there."""
    backend = caches[alias]
    return backend.breaker.is_up() if isinstance(backend, RedisCache) else True


def breakers_reset() -> None:
    """Forget every breaker's state (tests: a new server on a port an earlier test used)."""
    with _BREAKERS_LOCK:
        _BREAKERS.clear()


def _outage_errors() -> tuple[type[BaseException], ...]:
    import redis

    return (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OSError)


class Breaker:
    """Whether one Redis is taken as away, and the keys written while it was; shared by a process's threads."""

    def __init__(self, down_seconds: float, lost_max: int) -> None:
        self.down_seconds = down_seconds
        self.lost_max = lost_max
        self.lock = threading.Lock()
        self.down_until: float | None = None  # monotonic; None: up
        self.recovering = False
        self.lost: set[str] = set()
        self.lost_all = False  # too many to remember: every key of the cache is forgotten on recovery

    def is_up(self) -> bool:
        return self.down_until is None

    def trip(self, error: BaseException) -> None:
        with self.lock:
            was_up = self.down_until is None
            self.down_until = time.monotonic() + self.down_seconds
        if was_up:
            logger.warning("Redis is away (%s): the cache is skipped, retried in %s s", error, self.down_seconds)

    def remember(self, keys: Iterable[str]) -> None:
        """Note keys whose write did not reach Redis (they are deleted before Redis is used again)."""
        with self.lock:
            if self.lost_all:
                return
            self.lost.update(keys)
            if len(self.lost) > self.lost_max:
                self.lost.clear()
                self.lost_all = True

    def admit(self, recover: Callable[[], None]) -> bool:
        """True: use Redis. False: it is away; once its time is up, `recover` is started in a thread of its own."""
        until = self.down_until
        if until is None:
            return True
        if time.monotonic() >= until and not self.recovering:
            with self.lock:
                if self.recovering or self.down_until is None or time.monotonic() < self.down_until:
                    return self.down_until is None
                self.recovering = True
            threading.Thread(target=recover, name="redis-recovery", daemon=True).start()
        return False


class RedisCacheClient(django_redis.RedisCacheClient):
    """Django's client (keys already made), every operation through the breaker."""

    breaker: Breaker
    pattern: str  # every key of this cache, for SCAN
    make_key: Callable[[str], str]
    # Django's own members this client builds on (private, so not in django-stubs).
    _get_connection_pool: Callable[[bool], Any]
    _client: Callable[..., Any]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}  # id of the pool -> its client

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:  # two threads may both make one: the last kept, both work
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client

    def _guard(self, call: Callable[[], Any], fallback: Any, written: Iterable[str] = ()) -> Any:
        if self.breaker.admit(self._recover):
            try:
                return call()
            except _outage_errors() as error:
                self.breaker.trip(error)
        self.breaker.remember(written)
        if isinstance(fallback, Exception):
            raise fallback
        return fallback

    def add(self, key, value, timeout):
        return self._guard(lambda: super(RedisCacheClient, self).add(key, value, timeout), False, [key])

    def get(self, key, default):
        return self._guard(lambda: super(RedisCacheClient, self).get(key, default), default)

    def set(self, key, value, timeout):
        return self._guard(lambda: super(RedisCacheClient, self).set(key, value, timeout), None, [key])

    def touch(self, key, timeout):
        return self._guard(lambda: super(RedisCacheClient, self).touch(key, timeout), False, [key])

    def delete(self, key):
        return self._guard(lambda: super(RedisCacheClient, self).delete(key), False, [key])

    def get_many(self, keys):
        keys = list(keys)
        return self._guard(lambda: super(RedisCacheClient, self).get_many(keys), {})

    def has_key(self, key):
        return self._guard(lambda: super(RedisCacheClient, self).has_key(key), False)

    def incr(self, key, delta):
        missing = ValueError(f"Key '{key}' not found (the cache is away).")
        return self._guard(lambda: super(RedisCacheClient, self).incr(key, delta), missing, [key])

    def count(self, key, timeout):
        """INCR and EXPIRE in one round trip (Django's `incr` takes two, and an `add` before it a third)."""

        def call():
            pipe = self.get_client(key, write=True).pipeline(transaction=False)
            pipe.incr(key)
            pipe.expire(key, timeout)
            return pipe.execute()[0]

        return self._guard(call, None, [key])

    def set_many(self, data, timeout):
        return self._guard(lambda: super(RedisCacheClient, self).set_many(data, timeout), None, list(data))

    def delete_many(self, keys):
        keys = list(keys)
        return self._guard(lambda: super(RedisCacheClient, self).delete_many(keys), None, keys)

    def clear(self):
        cleared = self._guard(lambda: super(RedisCacheClient, self).clear(), None)
        if cleared is None:
            with self.breaker.lock:
                self.breaker.lost.clear()
                self.breaker.lost_all = True
        return bool(cleared)

    # --- recovery (its own thread; the requests keep skipping Redis until it is done) ---------------------

    def _recover(self) -> None:
        breaker, taken, everything = self.breaker, set(), False
        try:
            client = self.get_client(write=True)
            client.ping()
            forget = [self.make_key(key) for key in sorted(_FORGET_ON_RECOVERY)]
            if forget:
                client.delete(*forget)
            while True:  # requests still skip Redis and may add keys meanwhile: until none is left
                with breaker.lock:
                    everything, breaker.lost_all = breaker.lost_all, False
                    taken, breaker.lost = breaker.lost, set()
                    if not taken and not everything:
                        breaker.down_until, breaker.recovering = None, False
                        break
                if everything:
                    self._delete_every_key(client)
                keys = sorted(taken)
                for start in range(0, len(keys), _BATCH):
                    client.delete(*keys[start : start + _BATCH])
                taken, everything = set(), False
        except Exception as error:  # Redis away again (or anything else): keep what is left, try later
            with breaker.lock:
                breaker.lost |= taken
                breaker.lost_all = breaker.lost_all or everything
                breaker.down_until = time.monotonic() + breaker.down_seconds
                breaker.recovering = False
            logger.warning("Redis is still away (%s): retried in %s s", error, breaker.down_seconds)
            return
        logger.warning("Redis is back: the cache is used again")

    def _delete_every_key(self, client) -> None:
        """Every key of this cache (its prefix and version), never other users' of the same Redis (Celery)."""
        batch = []
        for key in client.scan_iter(match=self.pattern, count=1000):
            batch.append(key)
            if len(batch) >= _BATCH:
                client.delete(*batch)
                batch = []
        if batch:
            client.delete(*batch)


def _option_defaults() -> dict[str, Any]:
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    return {
        "socket_connect_timeout": getattr(settings, "CACHE_CONNECT_TIMEOUT_MS", 250) / 1000,
        "socket_timeout": getattr(settings, "CACHE_TIMEOUT_MS", 250) / 1000,
        "retry": Retry(NoBackoff(), 0),  # a retry would only double the wait on a dead server
    }


class RedisCache(django_redis.RedisCache):
    # Django's own members this cache builds on (private, so not in django-stubs).
    _servers: list[str]
    _options: dict[str, Any]

    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = RedisCacheClient
        self._options = {**_option_defaults(), **self._options}
        breaker_key = (tuple(self._servers), self.key_prefix, self.version)
        with _BREAKERS_LOCK:
            if breaker_key not in _BREAKERS:
                _BREAKERS[breaker_key] = Breaker(
                    down_seconds=float(getattr(settings, "CACHE_DOWN_SECONDS", 5)),
                    lost_max=int(getattr(settings, "CACHE_LOST_KEYS_MAX", 20000)),
                )
            self.breaker = _BREAKERS[breaker_key]

    @property
    def _cache(self):
        client = self.__dict__.get("_client_instance")
        if client is None:
            client = self._class(self._servers, **self._options)
            client.breaker = self.breaker
            client.make_key = self.make_key
            client.pattern = self.make_key("*")
            self.__dict__["_client_instance"] = client
        return client

    def count(self, key: str, timeout: int) -> int | None:
        """Add one to a counter that expires `timeout` seconds after its last count, in one round trip; None
        with Redis away (the count is lost: a rate limit must not stop the service, decision 0007)."""
        return self._cache.count(self.make_and_validate_key(key), int(timeout))


def cache_count(key: str, timeout: int, alias: str = "default") -> int | None:
    """`RedisCache.count` on any backend (another cache, as in tests: `add` then `incr`, two operations)."""
    backend = caches[alias]
    if isinstance(backend, RedisCache):
        return backend.count(key, timeout)
    try:
        backend.add(key, 0, timeout)
        return backend.incr(key)
    except Exception:  # a count lost, never a request (the caller treats None as «not counted»)
        return None
