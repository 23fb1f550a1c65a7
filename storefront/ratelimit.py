"""Fixed-window counters in Django's cache: how many times a client did something in the current window.

One mechanism for every "too many tries" rule (voice uploads per client, share-code guesses per account and
address, sign-in failures per address): `cache.add` then `cache.incr`, atomic on Redis and on the local-memory
cache, so with a shared cache (CACHE_BACKEND) the numbers hold across processes and servers.
"""

from __future__ import annotations

from django.core.cache import cache


def count(key: str, window: int) -> int:
    """Count one more for `key` and return the total in its window (the first count opens a window of
    `window` seconds)."""
    if cache.add(key, 1, window):
        return 1
    try:
        return int(cache.incr(key))
    except ValueError:  # the window expired between add and incr: this one opens a new window
        cache.add(key, 1, window)
        return 1


def current(key: str) -> int:
    """The total counted for `key` in its current window, without counting (0 when no window is open)."""
    return int(cache.get(key) or 0)
