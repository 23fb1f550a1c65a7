"""Admission control for recognition: a bounded pool of decode slots per process and a per-client upload limit.

Both refuse at once instead of queueing: a shopper who would wait behind ten others gets a quick 503 with
Retry-After (and a message saying so), and a client that uploads faster than a person speaks gets 429. Neither
ever holds a request open, so the process that serves them keeps answering.

The pool counts recognitions in this process (the voice service holds the model once, in one process, see
`storefront.voice.wsgi`); the rate limit lives in the default cache, so it is shared by every process that shares
the cache (Redis in production).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings

from storefront import ratelimit

from . import errors

_lock = threading.Lock()
_semaphore: threading.BoundedSemaphore | None = None
_size = 0


def size() -> int:
    """Recognitions allowed at once in this process (VOICE_POOL_SIZE, at least 1)."""
    return max(1, int(getattr(settings, "VOICE_POOL_SIZE", 2)))


def retry_after() -> int:
    """Seconds a refused shopper is asked to wait (about one recognition's time, rounded up generously)."""
    return max(1, int(getattr(settings, "VOICE_RETRY_AFTER", 5)))


def _current() -> threading.BoundedSemaphore:
    global _semaphore, _size
    wanted = size()
    with _lock:
        if _semaphore is None or _size != wanted:  # settings changed (tests): a new pool of the new size
            _semaphore, _size = threading.BoundedSemaphore(wanted), wanted
        return _semaphore


def in_use() -> int:
    """Recognitions running in this process now (for /healthz on the voice service)."""
    with _lock:
        return 0 if _semaphore is None else _size - _semaphore._value  # noqa: SLF001 - no public reader


@contextmanager
def slot() -> Iterator[None]:
    """Hold one recognition slot for the block, or raise errors.VoiceBusyError at once when all are taken."""
    semaphore = _current()
    if not semaphore.acquire(blocking=False):
        raise errors.VoiceBusyError(retry_after=retry_after())
    try:
        yield
    finally:
        semaphore.release()


def check_rate(client: str) -> None:
    """Count one upload for `client`; raise errors.VoiceRateLimitedError past VOICE_RATE_LIMIT per window.

    A fixed window in the cache (add, then incr: atomic on Redis and on the local-memory cache): cheap, and
    precise enough to stop a script without ever bothering a person, who speaks a query every few seconds.
    """
    limit = int(getattr(settings, "VOICE_RATE_LIMIT", 12))
    window = int(getattr(settings, "VOICE_RATE_WINDOW", 60))
    if limit <= 0:
        return
    if ratelimit.count(f"voice-rate:{client}", window) > limit:
        raise errors.VoiceRateLimitedError(retry_after=window)
