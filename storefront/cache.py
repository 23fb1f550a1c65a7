"""The shared cache backend for several app servers: Django's Redis cache, reusing one Redis client per server.

Django's RedisCacheClient builds a new `redis.Redis` object for every cache operation (around its shared
connection pool); redis-py fills some 170 response callbacks into each new client, which made building the
clients the largest cost of a cached page with a session (several cache reads per request). A Redis client is
thread-safe and its pool is fork-safe, so one per server is kept and reused. `settings.py` uses this class when
CACHE_BACKEND names Django's Redis cache; everything else is Django's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class ReusingRedisCacheClient(RedisCacheClient):
    # Django's RedisCacheClient sets these in its __init__; django-stubs does not declare its private parts.
    _pools: dict[int, Any]
    _pool_class: Any
    _servers: list[str]
    _pool_options: dict[str, Any]
    _client: Any
    _get_connection_pool_index: Callable[[bool], int]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write: bool = False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            if index not in self._pools:
                self._pools[index] = self._pool_class.from_url(self._servers[index], **self._pool_options)
            client = self._clients[index] = self._client(connection_pool=self._pools[index])
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
