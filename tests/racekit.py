"""Races for the PostgreSQL concurrency tests: run the same work in threads released at once, each thread on
its own database connection."""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.db import connections


def run_in_threads(count: int, work: Callable[[int], object]) -> list:
    """Run work(i) in `count` threads released together; returns each result or the exception it raised."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def target(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[i] = work(i)
        except Exception as exc:  # the test looks at what each thread got
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=target, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a thread hung (deadlock?)"
    return results
