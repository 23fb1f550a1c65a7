"""The Redis cache backend reuses one Redis client per server instead of building one per cache operation, and
takes no local-memory-only options."""

from storefront.cache import RedisCache


def test_one_client_serves_every_operation():
    cache = RedisCache("redis://127.0.0.1:6379/5", {"KEY_PREFIX": "t"})  # no connection is made here
    client = cache._cache.get_client("a")
    assert cache._cache.get_client("b") is client
    assert cache._cache.get_client("c", write=True) is client  # one server: reads and writes share it


def test_settings_never_pass_local_memory_options_to_redis(monkeypatch):
    import importlib

    from storefront import settings as project_settings

    monkeypatch.setenv("CACHE_BACKEND", "django.core.cache.backends.redis.RedisCache")
    monkeypatch.setenv("CACHE_LOCATION", "redis://127.0.0.1:6379/5")
    monkeypatch.setenv("CACHE_KEY_PREFIX", "shop1")
    try:
        fresh = importlib.reload(project_settings)
        cache = fresh.CACHES["default"]
        assert cache["BACKEND"] == "storefront.cache.RedisCache" and "OPTIONS" not in cache
        assert cache["KEY_PREFIX"] == "shop1"
        assert fresh.SESSION_ENGINE == "django.contrib.sessions.backends.cached_db"
    finally:
        monkeypatch.undo()
        importlib.reload(project_settings)
