"""Small shared helpers: console output, progress bars, number formatting, a free port and a plain HTTP GET."""

from __future__ import annotations

import http.client
import socket
import statistics
import time
from collections.abc import Sequence
from dataclasses import dataclass

# --------------------------------------------------------------------------------------------- utilities


def say(msg: str = "") -> None:
    print(msg, flush=True)


def progress(iterable, *, total: int | None = None, desc: str = ""):
    """`iterable` with a progress bar (count, rate, time left) on a terminal; the bare iterable in a log."""
    import sys

    if not sys.stderr.isatty():
        return iterable
    from tqdm import tqdm

    return tqdm(iterable, total=total, desc=desc, leave=False, file=sys.stderr, dynamic_ncols=True)


def progress_bar(total: int, desc: str):
    """A bar to `update(n)` by hand on a terminal (count, rate, time left); None in a log, where the caller prints
    its own occasional line instead."""
    import sys

    if not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    return tqdm(total=total, desc=desc, leave=False, file=sys.stderr, dynamic_ncols=True)


def loud(msg: str) -> None:
    bar = "!" * 100
    print(f"\n{bar}\n!!! {msg}\n{bar}\n", flush=True)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fmt_ms(value: float | None) -> str:
    return "-" if value is None else (f"{value:.1f} ms" if value < 1000 else f"{value / 1000:.2f} s")


def fmt_rps(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes
    ms: float


def fetch(port: int, path: str, timeout: float = 60.0, headers: Sequence[str] = ()) -> Response:
    """One GET without following redirects (so a 302 to a login or error page is visible as such). `headers`:
    extra ones as wrk takes them ("Name: value")."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    sent = {"User-Agent": "storefront-bench", "Accept": "text/html"}
    for header in headers:
        name, _sep, value = header.partition(":")
        sent[name.strip()] = value.strip()
    try:
        t0 = time.perf_counter()
        conn.request("GET", path, headers=sent)
        resp = conn.getresponse()
        body = resp.read()
        ms = (time.perf_counter() - t0) * 1000
        headers: dict[str, str] = {}
        for k, v in resp.getheaders():
            k = k.lower()
            headers[k] = f"{headers[k]}\n{v}" if k in headers else v
        return Response(resp.status, headers, body, ms)
    finally:
        conn.close()
