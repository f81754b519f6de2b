"""Django's Redis cache with one redis-py client per connection pool.

Django's `RedisCacheClient.get_client` builds a new `redis.Redis` for every cache operation. Building one
fills its table of ~170 response callbacks (case-insensitive: every name upper-cased twice), which costs
more CPU than the round trip it is made for; a signed-in request makes four such operations (session,
access generation, actor, page). redis-py's clients are safe to share between threads (each command
borrows a connection from the pool), so one client per pool serves every thread of the process.
"""

from __future__ import annotations

from django.core.cache.backends import redis as django_redis


class RedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}  # id of the pool -> its client

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:  # two threads may both make one: the last kept, both work
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = RedisCacheClient
