#!/usr/bin/env python3
"""Storefront performance benchmark: ours vs. the django-oscar peer, one shop at a time, on 127.0.0.1.

What it does (see bench/README.md):
  1. builds a throw-away copy of the shop in a temp dir (own SQLite file, MEDIA_ROOT and STATIC_ROOT):
     `migrate`, `seed_demo`, `collectstatic` -- the developer's db.sqlite3 and media/ are never touched;
  2. serves it with `gunicorn -w 2` (DEBUG off), waits for /healthz, checks every page answers 200,
     warms up, then runs wrk (-t2 -c16 --latency) several rounds per page and keeps the median;
  3. if the peer kit (/work/shared/peers/oscar) is present, builds it under /tmp/oscar-peer (idempotent),
     serves it the same way *after* ours is stopped, measures Oscar's matching pages, prints ratios;
  4. loads each product page once in Chromium (Playwright, empty cache) and sums the bytes on the wire;
  5. prints a table and the targets met/MISSED. The exit code is 0 whenever the measurement ran.

Run from the project root:  .venv/bin/python bench/run.py            (full: 3 rounds x 10 s)
                            .venv/bin/python bench/run.py --quick    (1 round x 3 s, ~3-4 min with the seed)
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

REPO = Path(__file__).resolve().parent.parent
VENV_BIN = REPO / ".venv" / "bin"
DEFAULT_PEER_KIT = Path(os.environ.get("BENCH_PEER_KIT", "/work/shared/peers/oscar"))
DEFAULT_PEER_ROOT = Path(os.environ.get("BENCH_PEER_ROOT", "/tmp/oscar-peer"))
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
]

# Targets from the issue (2-core machine, ~1,000-product seed on SQLite, 16 connections).
NOISY_PCT = 10.0  # a round where other processes used >= this share of the CPUs is flagged as noisy
WEIGHT_MAX_KB = 150.0
WEIGHT_MAX_REQUESTS = 8


@dataclass
class Page:
    name: str
    ours: str
    oscar: str
    ratio_target: float | None  # ours req/s >= N x Oscar's
    p99_target_ms: float | None  # ours p99 <= N ms


PAGES = [
    Page("home", "/", "/catalogue/", None, None),
    Page("category", "/category/fruit/", "/catalogue/category/books_1/", 20.0, 50.0),
    Page("product", "/product/sunny-apples/", "/catalogue/red-lamp-0001_1/", 5.0, 50.0),
    Page("search", "/search/?q=bananna", "/search/?q=blue", 20.0, 80.0),
]


# --------------------------------------------------------------------------------------------- utilities


def say(msg: str = "") -> None:
    print(msg, flush=True)


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


def fetch(port: int, path: str, timeout: float = 60.0) -> Response:
    """One GET without following redirects (so a 302 to a login or error page is visible as such)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        t0 = time.perf_counter()
        conn.request("GET", path, headers={"User-Agent": "storefront-bench", "Accept": "text/html"})
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


# ------------------------------------------------------------------------------------------------ servers

_LIVE: list[Server] = []


class Server:
    """A gunicorn started in its own session, so stop() can end it and its workers by process group id."""

    def __init__(
        self,
        name: str,
        cmd: list[str],
        cwd: Path,
        env: dict[str, str],
        port: int,
        health_path: str,
        log_path: Path,
    ) -> None:
        self.name, self.cmd, self.cwd, self.env = name, cmd, cwd, env
        self.port, self.health_path, self.log_path = port, health_path, log_path
        self.proc: subprocess.Popen | None = None

    def start(self, timeout: float = 90.0) -> None:
        log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(
            self.cmd,
            cwd=self.cwd,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        log.close()
        _LIVE.append(self)
        deadline = time.monotonic() + timeout
        last = "no answer"
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"{self.name}: gunicorn exited with {self.proc.returncode}.\n{self.log_tail()}"
                )
            try:
                r = fetch(self.port, self.health_path, timeout=5)
                if r.status == 200:
                    return
                last = f"HTTP {r.status}"
            except OSError as exc:
                last = str(exc)
            time.sleep(0.3)
        raise RuntimeError(
            f"{self.name}: {self.health_path} not healthy after {timeout:.0f} s ({last}).\n{self.log_tail()}"
        )

    def _cpu_ticks(self) -> int:
        """utime+stime of every process in the server's process group (master + workers)."""
        total = 0
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    fields = fh.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if self.proc is not None and int(fields[2]) == self.proc.pid:  # fields[2] = pgrp
                total += int(fields[11]) + int(fields[12])
        return total

    def wait_idle(self, timeout: float = 180.0) -> float:
        """Waits until the workers stop burning CPU. wrk stops at its deadline but sync workers still serve
        the requests it left queued (slow pages: many seconds' worth); measuring the next page before they
        drain would count that backlog against it. Returns the seconds waited."""
        t0 = time.monotonic()
        quiet = 0
        last = self._cpu_ticks()
        while time.monotonic() - t0 < timeout:
            time.sleep(0.25)
            now = self._cpu_ticks()
            quiet = quiet + 1 if now - last <= 1 else 0
            last = now
            if quiet >= 2:
                break
        return time.monotonic() - t0

    def log_tail(self, lines: int = 30) -> str:
        try:
            text = self.log_path.read_text(errors="replace").splitlines()
        except OSError:
            return ""
        return "\n".join("    " + line for line in text[-lines:])

    def stop(self) -> None:
        proc = self.proc
        if proc is None:
            return
        self.proc = None
        if self in _LIVE:
            _LIVE.remove(self)
        if proc.poll() is not None:
            return
        try:
            os.killpg(proc.pid, signal.SIGTERM)  # our own process group: gunicorn master + its 2 workers
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.wait(timeout=5)


def stop_all() -> None:
    for server in list(_LIVE):
        try:
            server.stop()
        except Exception as exc:  # keep stopping the others
            print(f"warning: could not stop {server.name}: {exc}", file=sys.stderr)


def _on_sigterm(signum, frame):  # noqa: ARG001
    raise SystemExit(128 + signum)


# ------------------------------------------------------------------------------------------------ wrk


@dataclass
class WrkResult:
    rps: float
    p50_ms: float | None
    p99_ms: float | None
    requests: int
    non_2xx: int
    socket_errors: int
    raw: str = field(repr=False, default="")
    other_cpu_pct: float | None = None  # CPU used by processes other than the server and wrk, % of all CPUs
    server_cpu_ms: float | None = None  # gunicorn (master + workers) CPU time per completed request


_UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _busy_ticks() -> int:
    with open("/proc/stat") as fh:
        v = [int(x) for x in fh.readline().split()[1:]]
    return (
        v[0] + v[1] + v[2] + v[5] + v[6] + (v[7] if len(v) > 7 else 0)
    )  # user nice system irq softirq steal


def _children_ticks() -> int:
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return round((ru.ru_utime + ru.ru_stime) * os.sysconf("SC_CLK_TCK"))


WRK_HEADERS: list[str] = []  # extra request headers for every wrk run (--header)


def run_wrk(
    port: int, path: str, *, duration: float, connections: int, threads: int, timeout_s: int = 30
) -> WrkResult:
    url = f"http://127.0.0.1:{port}{path}"
    cmd = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{max(1, round(duration))}s",
        "--latency",
        "--timeout",
        f"{timeout_s}s",
    ]
    for header in WRK_HEADERS:
        cmd += ["-H", header]
    cmd.append(url)
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=duration + timeout_s + 60)
    out = proc.stdout
    if proc.returncode != 0 or "Requests/sec" not in out:
        raise RuntimeError(f"wrk failed ({proc.returncode}): {' '.join(cmd)}\n{out}\n{proc.stderr}")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    pct = {}
    for m in re.finditer(r"^\s+(50|75|90|99)%\s+([\d.]+)(us|ms|s|m)\s*$", out, re.M):
        pct[m.group(1)] = float(m.group(2)) * _UNIT_MS[m.group(3)]
    total = re.search(r"(\d+) requests in", out)
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return WrkResult(
        rps=rps,
        p50_ms=pct.get("50"),
        p99_ms=pct.get("99"),
        requests=int(total.group(1)) if total else 0,
        non_2xx=int(non2xx.group(1)) if non2xx else 0,
        socket_errors=sum(int(x) for x in sock.groups()) if sock else 0,
        raw=out,
    )


@dataclass
class PageResult:
    page: str
    path: str
    ok: bool = False
    problem: str = ""
    html_kb: float = 0.0
    product_links: int = 0
    set_cookies: list[str] = field(default_factory=list)
    single_ms: float | None = None  # median latency with 1 connection (~ server time per request)
    rounds: list[WrkResult] = field(default_factory=list)

    @property
    def rps(self) -> float | None:
        return median([r.rps for r in self.rounds])

    @property
    def p50(self) -> float | None:
        return median([r.p50_ms for r in self.rounds if r.p50_ms is not None])

    @property
    def p99(self) -> float | None:
        return median([r.p99_ms for r in self.rounds if r.p99_ms is not None])

    @property
    def server_cpu_ms(self) -> float | None:
        return median([r.server_cpu_ms for r in self.rounds if r.server_cpu_ms is not None])

    @property
    def other_cpu(self) -> float | None:
        return median([r.other_cpu_pct for r in self.rounds if r.other_cpu_pct is not None])

    @property
    def errors(self) -> int:
        return sum(r.non_2xx + r.socket_errors for r in self.rounds)

    def as_dict(self) -> dict:
        return {
            "path": self.path,
            "ok": self.ok,
            "problem": self.problem,
            "html_kb": round(self.html_kb, 1),
            "product_links": self.product_links,
            "set_cookies": self.set_cookies,
            "single_connection_p50_ms": self.single_ms,
            "rps": self.rps,
            "p50_ms": self.p50,
            "p99_ms": self.p99,
            "errors": self.errors,
            "other_processes_cpu_pct": self.other_cpu,
            "server_cpu_ms_per_request": self.server_cpu_ms,
            "rounds": [
                {
                    "rps": r.rps,
                    "p50_ms": r.p50_ms,
                    "p99_ms": r.p99_ms,
                    "requests": r.requests,
                    "non_2xx": r.non_2xx,
                    "socket_errors": r.socket_errors,
                    "other_processes_cpu_pct": r.other_cpu_pct,
                    "server_cpu_ms_per_request": r.server_cpu_ms,
                }
                for r in self.rounds
            ],
        }


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def links_of(body: bytes) -> list[str]:
    parser = _Links()
    parser.feed(body.decode("utf-8", errors="replace"))
    return parser.hrefs


def check_page(shop: str, page: Page, port: int, path: str, product_link: re.Pattern) -> PageResult:
    """The page must answer 200 with HTML; otherwise say so loudly and do not measure it."""
    result = PageResult(page.name, path)
    try:
        r = fetch(port, path)
    except OSError as exc:
        result.problem = f"no answer ({exc})"
    else:
        ctype = r.headers.get("content-type", "")
        if r.status != 200:
            where = f" -> {r.headers['location']}" if "location" in r.headers else ""
            result.problem = f"answered HTTP {r.status}{where} instead of 200"
        elif "html" not in ctype:
            result.problem = f"answered 200 but {ctype!r}, not HTML"
        else:
            result.ok = True
            result.html_kb = len(r.body) / 1024
            result.product_links = len({h for h in links_of(r.body) if product_link.search(h)})
            result.set_cookies = sorted(
                {c.split("=", 1)[0].strip() for c in r.headers.get("set-cookie", "").split("\n") if c.strip()}
            )
    if not result.ok:
        loud(f"{shop} {page.name} page {path} {result.problem} -- NOT MEASURED (would be an error page)")
    return result


def settle(server: Server, max_wait: float) -> None:
    """On a shared machine, wait (up to max_wait s) for a second in which other processes use < NOISY_PCT
    of the CPUs, so a round does not start in the middle of someone's test run. The round is still flagged
    NOISY afterwards if the machine got busy during it."""
    t0 = time.monotonic()
    hz, ncpu = os.sysconf("SC_CLK_TCK"), os.cpu_count() or 1
    pct = 0.0
    while True:
        busy0, srv0 = _busy_ticks(), server._cpu_ticks()
        time.sleep(1.0)
        other = (_busy_ticks() - busy0) - (server._cpu_ticks() - srv0)
        pct = 100.0 * other / (hz * ncpu)
        if pct < NOISY_PCT or time.monotonic() - t0 >= max_wait:
            break
    if time.monotonic() - t0 > 1.5:
        state = "quiet" if pct < NOISY_PCT else f"still busy ({pct:.0f}%), measuring anyway"
        say(f"    (waited {time.monotonic() - t0:.0f} s for other processes to calm down: {state})")


def measure_shop(
    shop: str, server: Server, paths: dict[str, str], product_link: re.Pattern, args: argparse.Namespace
) -> dict[str, PageResult]:
    def wrk(path: str, measured: bool = True, **kw) -> WrkResult:
        waited = server.wait_idle()
        if waited > 2:
            say(
                f"    (waited {waited:.1f} s for {shop}'s workers to finish requests left queued by the last run)"
            )
        if measured and args.settle > 0:
            settle(server, args.settle)
        t0, busy0, srv0, kids0 = time.monotonic(), _busy_ticks(), server._cpu_ticks(), _children_ticks()
        w = run_wrk(server.port, path, **kw)
        wall = (time.monotonic() - t0) * os.sysconf("SC_CLK_TCK") * (os.cpu_count() or 1)
        srv = server._cpu_ticks() - srv0
        other = (_busy_ticks() - busy0) - srv - (_children_ticks() - kids0)
        if w.requests:
            w.server_cpu_ms = 1000.0 * srv / os.sysconf("SC_CLK_TCK") / w.requests
        w.other_cpu_pct = max(0.0, 100.0 * other / wall) if wall else None
        return w

    results = {p.name: check_page(shop, p, server.port, paths[p.name], product_link) for p in PAGES}
    good = [p for p in PAGES if results[p.name].ok]
    for p in good:
        r = results[p.name]
        extra = f", sets cookies: {', '.join(r.set_cookies)}" if r.set_cookies else ""
        say(
            f"  {shop:5} {p.name:8} {r.path:32} 200, {r.html_kb:6.1f} KB HTML, "
            f"{r.product_links:3d} product links{extra}"
        )
        if p.name in {"home", "category", "search"} and r.product_links == 0:
            loud(f"{shop} {p.name} page {r.path} lists no products: the measurement is of an empty page")
    if not good:
        return results
    say(f"  warming up ({args.warmup:g} s per page) ...")
    for p in good:
        wrk(
            paths[p.name],
            measured=False,
            duration=args.warmup,
            connections=args.connections,
            threads=args.threads,
        )
    for n in range(1, args.rounds + 1):
        for p in good:
            w = wrk(paths[p.name], duration=args.duration, connections=args.connections, threads=args.threads)
            results[p.name].rounds.append(w)
            if w.requests == 0:
                loud(
                    f"{shop} {p.name}: wrk completed no request in {args.duration:g} s (server stuck or too slow)"
                )
            noise = f"  other processes {w.other_cpu_pct:.0f}% CPU" if w.other_cpu_pct is not None else ""
            if w.other_cpu_pct is not None and w.other_cpu_pct >= NOISY_PCT:
                noise += " (NOISY)"
            errs = (
                f"  ERRORS: {w.non_2xx} non-2xx, {w.socket_errors} socket"
                if (w.non_2xx or w.socket_errors)
                else ""
            )
            say(
                f"  {shop:5} round {n}/{args.rounds} {p.name:8} {w.rps:8.1f} req/s  p50 {fmt_ms(w.p50_ms):>9}  "
                f"p99 {fmt_ms(w.p99_ms):>9}  CPU/req {fmt_ms(w.server_cpu_ms):>8}  ({w.requests} requests)"
                f"{noise}{errs}"
            )
    if args.single > 0:
        for p in good:
            w = wrk(paths[p.name], duration=args.single, connections=1, threads=1)
            results[p.name].single_ms = w.p50_ms
            say(
                f"  {shop:5} 1 connection {p.name:8} p50 {fmt_ms(w.p50_ms):>9} per request ({w.rps:.1f} req/s)"
            )
    return results


# ------------------------------------------------------------------------------------------------ page weight


def first_load(url: str) -> dict:
    """Loads `url` once in a fresh Chromium context (empty cache) and sums what crossed the wire.

    Bytes are CDP Network.loadingFinished.encodedDataLength (headers + body as received, i.e. compressed as
    served); Playwright's request.sizes() (responseHeadersSize + responseBodySize) is kept as a cross-check.
    """
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 800})
            page = context.new_page()
            cdp = context.new_cdp_session(page)
            reqs: dict[str, dict] = {}
            hops: list[dict] = []  # redirect hops count as requests too

            def will_send(e):
                rid = e["requestId"]
                if e.get("redirectResponse") and rid in reqs:
                    old = reqs.pop(rid)
                    old["bytes"] = e["redirectResponse"].get("encodedDataLength", 0)
                    old["status"] = e["redirectResponse"].get("status")
                    hops.append(old)
                reqs[rid] = {
                    "url": e["request"]["url"],
                    "type": e.get("type", "Other"),
                    "bytes": 0,
                    "status": None,
                    "encoding": "",
                    "done": False,
                }

            def received(e):
                if e["requestId"] in reqs:
                    resp = e["response"]
                    headers = {k.lower(): v for k, v in resp.get("headers", {}).items()}
                    reqs[e["requestId"]].update(
                        status=resp.get("status"), encoding=headers.get("content-encoding", "")
                    )

            def finished(e):
                if e["requestId"] in reqs:
                    reqs[e["requestId"]].update(bytes=e.get("encodedDataLength", 0), done=True)

            def failed(e):
                if e["requestId"] in reqs:
                    reqs[e["requestId"]].update(done=True, status=f"failed: {e.get('errorText')}")

            cdp.on("Network.requestWillBeSent", will_send)
            cdp.on("Network.responseReceived", received)
            cdp.on("Network.loadingFinished", finished)
            cdp.on("Network.loadingFailed", failed)
            cdp.send("Network.enable")

            pw_requests = []
            page.on("requestfinished", lambda r: pw_requests.append(r))
            response = page.goto(url, wait_until="load", timeout=60000)
            try:
                page.wait_for_load_state("networkidle", timeout=15000)
            except Exception:
                pass
            page.wait_for_timeout(500)
            status = response.status if response else None
            pw_bytes = 0
            for r in pw_requests:
                try:
                    s = r.sizes()
                    pw_bytes += s["responseBodySize"] + s["responseHeadersSize"]
                except Exception:
                    pass
            context.close()
        finally:
            browser.close()

    items = [r for r in hops + list(reqs.values()) if r["url"].startswith(("http://", "https://"))]
    by_type: dict[str, list[int]] = {}
    for r in items:
        t = by_type.setdefault(r["type"], [0, 0])
        t[0] += 1
        t[1] += r["bytes"]
    doc = next((r for r in items if r["type"] == "Document"), None)
    return {
        "url": url,
        "status": status,
        "requests": len(items),
        "kb": sum(r["bytes"] for r in items) / 1024,
        "playwright_kb": pw_bytes / 1024,
        "playwright_requests": len(pw_requests),
        "by_type": {k: {"requests": v[0], "kb": round(v[1] / 1024, 1)} for k, v in sorted(by_type.items())},
        "html_encoding": (doc or {}).get("encoding", ""),
        "items": [
            {
                "url": r["url"],
                "type": r["type"],
                "status": r["status"],
                "bytes": r["bytes"],
                "encoding": r["encoding"],
            }
            for r in items
        ],
    }


def first_load_safe(url: str) -> dict | None:
    try:
        return first_load(url)
    except Exception as exc:
        loud(f"first-load measurement of {url} failed: {exc!r}")
        return None


# ------------------------------------------------------------------------------------------------ the shops


def ours_env(work: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "bench_settings",
            "PYTHONPATH": os.pathsep.join([str(work), str(REPO)]),
            "BENCH_STATIC_ROOT": str(work / "static"),
            "DATABASE_URL": f"sqlite:///{work / 'bench.sqlite3'}",
            "MEDIA_ROOT": str(work / "media"),
            "DEBUG": "False",
            "PAYMENT_SANDBOX": "True",  # the demo shopper and its saved card pay through the sandbox gateway
            "SECRET_KEY": "bench-only-not-a-secret-2f9c1d7e5b3a48e0a6c4b2d0f8e6a4c2",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "False",
            "SESSION_COOKIE_SECURE": "False",
            "CSRF_COOKIE_SECURE": "False",
            "SECURE_HSTS_SECONDS": "0",
            "LOG_LEVEL": "WARNING",
            "PYTHONDONTWRITEBYTECODE": "1",
        }
    )
    return env


SETTINGS_SHIM = '''\
"""Generated by bench/run.py: the project's settings, unchanged except STATIC_ROOT, which points into the
bench's temp dir so collectstatic never writes into the source tree."""
import os
from pathlib import Path

from storefront.settings import *  # noqa: F401,F403

STATIC_ROOT = Path(os.environ["BENCH_STATIC_ROOT"])
'''


def manage(env: dict[str, str], *argv: str, timeout: float = 1800) -> str:
    cmd = [str(VENV_BIN / "python"), "manage.py", *argv]
    proc = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True, timeout=timeout)
    if proc.returncode != 0:
        raise RuntimeError(
            f"`manage.py {' '.join(argv)}` failed ({proc.returncode}):\n"
            f"{textwrap.indent((proc.stdout + proc.stderr)[-4000:], '    ')}"
        )
    return proc.stdout


CATALOGUE_PROBE = """
import json
from storefront.catalog.models import Category, Product
print(json.dumps({
    "products": Product.objects.count(),
    "active": Product.objects.filter(is_active=True).count(),
    "categories": Category.objects.count(),
    "first_product": Product.objects.filter(is_active=True).order_by("id").values_list("slug", flat=True).first(),
    "first_category": Category.objects.order_by("position", "id").values_list("slug", flat=True).first(),
}))
"""


def prepare_ours(work: Path) -> tuple[dict[str, str], dict]:
    (work / "media").mkdir(parents=True, exist_ok=True)
    (work / "bench_settings.py").write_text(SETTINGS_SHIM)
    env = ours_env(work)
    for argv, label in (
        (("migrate", "--noinput"), "migrate"),
        (("seed_demo", "--draw-images"), "seed_demo"),
        (("collectstatic", "--noinput"), "collectstatic"),
    ):
        t0 = time.monotonic()
        out = manage(env, *argv)
        last = [line for line in out.splitlines() if line.strip()][-1:] or [""]
        say(f"  {label:14} {time.monotonic() - t0:6.1f} s  {last[0].strip()[:90]}")
    probe = json.loads(manage(env, "shell", "-c", CATALOGUE_PROBE).strip().splitlines()[-1])
    say(
        f"  catalogue: {probe['products']} products ({probe['active']} active) in {probe['categories']} categories"
    )
    return env, probe


def resolve_ours_paths(port: int, probe: dict) -> dict[str, str]:
    paths = {p.name: p.ours for p in PAGES}
    fallbacks = {
        "product": ("/product/{}/", probe.get("first_product")),
        "category": ("/category/{}/", probe.get("first_category")),
    }
    for name, (pattern, slug) in fallbacks.items():
        try:
            status = fetch(port, paths[name]).status
        except OSError:
            continue
        if status == 404 and slug:
            new = pattern.format(slug)
            say(f"  note: {paths[name]} is 404; using the first {name} in the database instead: {new}")
            paths[name] = new
    return paths


def resolve_oscar_paths(port: int) -> dict[str, str]:
    """The peer's README names its URLs; if the build named them differently, take them from /catalogue/."""
    paths = {p.name: p.oscar for p in PAGES}
    try:
        listing = fetch(port, "/catalogue/")
    except OSError:
        return paths
    hrefs = [urlsplit(urljoin("http://127.0.0.1/catalogue/", h)).path for h in links_of(listing.body)]
    found = {
        "category": next((h for h in hrefs if re.fullmatch(r"/catalogue/category/[^/]+/", h)), None),
        "product": next((h for h in hrefs if re.fullmatch(r"/catalogue/[^/]+_\d+/", h)), None),
    }
    for name, alt in found.items():
        try:
            status = fetch(port, paths[name]).status
        except OSError:
            continue
        if status == 404 and alt:
            say(f"  note: Oscar {paths[name]} is 404; using {alt} (first one linked from /catalogue/)")
            paths[name] = alt
    return paths


def peer_available(kit: Path) -> bool:
    return (kit / "setup.sh").is_file() and (kit / "shop").is_dir()


def build_peer(kit: Path, root: Path) -> None:
    if (root / ".built").exists():
        say(f"  Oscar peer already built in {root}")
        return
    say(f"  building the Oscar peer in {root} (first time: several minutes) ...")
    t0 = time.monotonic()
    root.parent.mkdir(parents=True, exist_ok=True)
    log = root.parent / f"{root.name}-setup.log"
    with open(log, "wb") as fh:
        proc = subprocess.run(
            ["bash", str(kit / "setup.sh"), str(root)],
            stdout=fh,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    if proc.returncode != 0 or not (root / ".built").exists():
        raise RuntimeError(f"peer setup failed ({proc.returncode}); see {log}")
    say(f"  built in {time.monotonic() - t0:.0f} s")


def oscar_env() -> dict[str, str]:
    drop = {
        "DJANGO_SETTINGS_MODULE",
        "PYTHONPATH",
        "DATABASE_URL",
        "MEDIA_ROOT",
        "DEBUG",
        "SECRET_KEY",
        "ALLOWED_HOSTS",
        "VIRTUAL_ENV",
    }
    env = {k: v for k, v in os.environ.items() if k not in drop and not k.startswith("BENCH_")}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


# ------------------------------------------------------------------------------------------------ report


def verdict(page: Page, ours: PageResult, oscar: PageResult | None) -> tuple[str, list[str]]:
    if not ours.ok:
        return "NOT MEASURED", [f"{page.name}: ours not measured ({ours.problem})"]
    misses: list[str] = []
    notes: list[str] = []
    if page.p99_target_ms is not None:
        if ours.p99 is None or ours.p99 > page.p99_target_ms:
            misses.append(f"p99 {fmt_ms(ours.p99)} > {page.p99_target_ms:g} ms")
    if page.ratio_target is not None:
        if oscar is not None and oscar.ok and oscar.rps:
            ratio = ours.rps / oscar.rps
            if ratio < page.ratio_target:
                misses.append(f"{ratio:.1f}x < {page.ratio_target:g}x")
        else:
            notes.append("ratio n/a")
    if ours.errors:
        misses.append(f"{ours.errors} errors")
    if page.p99_target_ms is None and page.ratio_target is None:
        return "(no target)", []
    if misses:
        return "MISSED: " + "; ".join(misses), [f"{page.name}: " + "; ".join(misses)]
    return "met" + (f" ({', '.join(notes)})" if notes else ""), []


def print_report(
    args,
    ours: dict[str, PageResult],
    oscar: dict[str, PageResult] | None,
    weights: dict[str, dict | None],
    probe: dict,
) -> list[str]:
    missed: list[str] = []
    say()
    say("=" * 110)
    say(
        f"Storefront benchmark  |  wrk -t{args.threads} -c{args.connections}, median of {args.rounds} x "
        f"{args.duration:g} s rounds  |  gunicorn -w 2, DEBUG off, SQLite  |  {os.cpu_count()} CPUs"
    )
    say(
        f"load average at the end: {open('/proc/loadavg').read().split()[0]}  |  "
        f"ours: {probe.get('products')} products seeded"
        + (
            ""
            if oscar is None
            else "  |  Oscar peer: 1,000 products (peer kit), served after ours, never at the same time"
        )
    )
    say("=" * 110)
    header = ["page", "ours req/s", "ours p50", "ours p99", "oscar req/s", "ratio", "target met?"]
    rows = []
    for p in PAGES:
        o = ours[p.name]
        x = oscar.get(p.name) if oscar else None
        ratio = (o.rps / x.rps) if (o.ok and x is not None and x.ok and x.rps) else None
        text, miss = verdict(p, o, x)
        missed += miss
        target = []
        if p.ratio_target:
            target.append(f">= {p.ratio_target:g}x")
        if p.p99_target_ms:
            target.append(f"p99 <= {p.p99_target_ms:g} ms")
        rows.append(
            [
                p.name,
                fmt_rps(o.rps) if o.ok else "ERROR",
                fmt_ms(o.p50),
                fmt_ms(o.p99),
                ("-" if x is None else (fmt_rps(x.rps) if x.ok else "ERROR")),
                "-" if ratio is None else f"{ratio:.1f}x",
                text + (f"  [{', '.join(target)}]" if target else ""),
            ]
        )
    widths = [max(len(str(r[i])) for r in rows + [header]) for i in range(len(header))]

    def line(r):
        return "  ".join(
            str(c).ljust(widths[i]) if i in (0, 6) else str(c).rjust(widths[i]) for i, c in enumerate(r)
        )

    say(line(header))
    say("-" * len(line(header)))
    for r in rows:
        say(line(r))

    say()
    say(
        "Details (median of rounds; '1 conn' = p50 latency with a single connection; 'CPU/req' = gunicorn CPU time "
        "per request under load, which other processes on the machine barely affect):"
    )
    for shop, res in (("ours", ours), ("oscar", oscar)):
        if not res:
            continue
        for p in PAGES:
            r = res[p.name]
            if not r.ok:
                say(f"  {shop:5} {p.name:8} {r.path:34} NOT MEASURED: {r.problem}")
                continue
            per_round = ", ".join(f"{w.rps:.1f}" for w in r.rounds)
            say(
                f"  {shop:5} {p.name:8} {r.path:34} {fmt_rps(r.rps):>8} req/s  p50 {fmt_ms(r.p50):>9}  "
                f"p99 {fmt_ms(r.p99):>9}  1 conn {fmt_ms(r.single_ms):>9}  CPU/req {fmt_ms(r.server_cpu_ms):>9}  HTML {r.html_kb:5.1f} KB  "
                f"errors {r.errors}  other CPU {'-' if r.other_cpu is None else f'{r.other_cpu:.0f}%'}  "
                f"rounds [{per_round}]"
            )

    say()
    say(
        f"Product page, first load in Chromium with an empty cache (target: <= {WEIGHT_MAX_KB:g} KB in "
        f"<= {WEIGHT_MAX_REQUESTS} requests, compressed as served):"
    )
    if not weights:
        say("  (skipped)")
    for shop, w in weights.items():
        if w is None:
            say(f"  {shop:5} not measured")
            if shop == "ours":
                missed.append("first load: not measured")
            continue
        parts = ", ".join(f"{k.lower()} {v['requests']}/{v['kb']:.1f} KB" for k, v in w["by_type"].items())
        status = f"HTTP {w['status']}" if w["status"] != 200 else ""
        ok = w["status"] == 200 and w["kb"] <= WEIGHT_MAX_KB and w["requests"] <= WEIGHT_MAX_REQUESTS
        mark = ""
        if shop == "ours":
            mark = "met" if ok else "MISSED"
            if not ok:
                missed.append(f"first load: {w['kb']:.1f} KB in {w['requests']} requests {status}".rstrip())
        bad = [
            f"{urlsplit(i['url']).path} {i['status']}"
            for i in w["items"]
            if not (isinstance(i["status"], int) and i["status"] < 400)
        ]
        bad_txt = f"  not OK: {', '.join(bad)};" if bad else ""
        say(
            f"  {shop:5} {w['kb']:7.1f} KB in {w['requests']:2d} requests  {mark:6} {status}"
            f"  [{parts}]{bad_txt}  (Playwright sizes: {w['playwright_kb']:.1f} KB / {w['playwright_requests']} req; "
            f"HTML content-encoding: {w['html_encoding'] or 'none'})"
        )
    if oscar:
        say()
        say(
            "Cross-check less sensitive to other load: gunicorn CPU time per request (Oscar / ours ~ the req/s ratio "
            "a quiet machine would show, when wrk's own CPU is small):"
        )
        for p in PAGES:
            o, x = ours[p.name], oscar.get(p.name)
            if o.server_cpu_ms and x is not None and x.server_cpu_ms:
                say(
                    f"  {p.name:8} ours {fmt_ms(o.server_cpu_ms):>9}  oscar {fmt_ms(x.server_cpu_ms):>9}  "
                    f"-> {x.server_cpu_ms / o.server_cpu_ms:5.1f}x"
                )
    noisy = [
        f"{shop} {p.name} ({r.other_cpu:.0f}%)"
        for shop, res in (("ours", ours), ("oscar", oscar or {}))
        for p in PAGES
        if (r := res.get(p.name)) is not None and r.other_cpu is not None and r.other_cpu >= NOISY_PCT
    ]
    if noisy:
        say()
        say(
            f"NOTE: other processes on this machine used >= {NOISY_PCT:g}% of the CPUs during: {', '.join(noisy)}. "
            "Those figures are pessimistic; rerun when the machine is quiet."
        )
    say()
    if missed:
        say("TARGETS MISSED:")
        for m in missed:
            say(f"  MISSED  {m}")
    else:
        say(
            "All targets met."
            if oscar
            else "All targets that do not need the peer were met (no Oscar ratios)."
        )
    return missed


# ------------------------------------------------------------------------------------------------ main


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.ArgumentDefaultsHelpFormatter
    )
    ap.add_argument("--duration", type=float, default=10.0, help="seconds per wrk round")
    ap.add_argument("--rounds", type=int, default=3, help="wrk rounds per page (the median is reported)")
    ap.add_argument("--warmup", type=float, default=3.0, help="seconds of wrk warm-up per page")
    ap.add_argument(
        "--single",
        type=float,
        default=3.0,
        help="seconds of a 1-connection wrk run per page (server time per request; 0 = skip)",
    )
    ap.add_argument(
        "--settle",
        type=float,
        default=30.0,
        help="before each measured round wait up to this many seconds for other processes to go "
        "below 10%% CPU (shared machines; 0 = don't wait)",
    )
    ap.add_argument("--connections", type=int, default=16)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument(
        "--header",
        action="append",
        default=[],
        help='extra header for wrk, e.g. "Cookie: sessionid=x" to measure pages as a visitor with a '
        "session sees them (no whole-page cache)",
    )
    ap.add_argument("--quick", action="store_true", help="1 round x 3 s, 1 s warm-up (a smoke run)")
    ap.add_argument("--no-peer", action="store_true", help="skip the Oscar peer (no ratios)")
    ap.add_argument("--no-weight", action="store_true", help="skip the Chromium first-load measurement")
    ap.add_argument("--peer-kit", type=Path, default=DEFAULT_PEER_KIT)
    ap.add_argument(
        "--peer-root",
        type=Path,
        default=DEFAULT_PEER_ROOT,
        help="where the peer is built (outside the project tree)",
    )
    ap.add_argument(
        "--workdir",
        type=Path,
        help="reuse this dir for our bench db/media/static (kept; seed_demo is idempotent). "
        "Default: a fresh temp dir, removed afterwards",
    )
    ap.add_argument("--keep", action="store_true", help="keep the temp dir (db, media, static, server logs)")
    ap.add_argument("--json", type=Path, help="also write the results as JSON to this file")
    args = ap.parse_args(argv)
    if args.quick:
        args.duration, args.rounds, args.warmup, args.single = 3.0, 1, 1.0, 1.0
    if args.rounds < 1 or args.duration < 1:
        ap.error("--rounds and --duration must be >= 1")
    if args.connections < args.threads:
        ap.error("--connections must be >= --threads (wrk)")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    WRK_HEADERS[:] = args.header
    signal.signal(signal.SIGTERM, _on_sigterm)
    signal.signal(signal.SIGINT, signal.default_int_handler)  # also when started in the background
    for tool in ("wrk",):
        if not shutil.which(tool):
            say(f"error: {tool} not found (apt-get install {tool})")
            return 2
    if not (VENV_BIN / "gunicorn").exists():
        say(f"error: {VENV_BIN / 'gunicorn'} not found; create the venv first")
        return 2

    temp = args.workdir is None
    work = Path(tempfile.mkdtemp(prefix="storefront-bench-")) if temp else args.workdir.resolve()
    work.mkdir(parents=True, exist_ok=True)
    use_peer = not args.no_peer and peer_available(args.peer_kit)
    if not args.no_peer and not use_peer:
        say(f"note: no peer kit at {args.peer_kit}; measuring ours only (no ratios)")
    ours: dict[str, PageResult] = {}
    oscar: dict[str, PageResult] | None = None
    weights: dict[str, dict | None] = {}
    probe: dict = {}
    try:
        say(f"[1/4] preparing our shop in {work}")
        env, probe = prepare_ours(work)

        say("[2/4] serving our shop: gunicorn -w 2 storefront.wsgi:application")
        port = free_port()
        server = Server(
            "ours",
            [str(VENV_BIN / "gunicorn"), "-w", "2", "-b", f"127.0.0.1:{port}", "storefront.wsgi:application"],
            REPO,
            env,
            port,
            "/healthz",
            work / "gunicorn-ours.log",
        )
        server.start()
        try:
            paths = resolve_ours_paths(port, probe)
            ours = measure_shop("ours", server, paths, re.compile(r"^/(?:[\w-]+/)?product/[^/]+/$"), args)
            if not args.no_weight and ours["product"].ok:
                weights["ours"] = first_load_safe(f"http://127.0.0.1:{port}{paths['product']}")
            elif not args.no_weight:
                weights["ours"] = None
        finally:
            server.stop()

        if use_peer:
            say(f"[3/4] Oscar peer ({args.peer_kit} -> {args.peer_root})")
            build_peer(args.peer_kit, args.peer_root)
            port = free_port()
            shop_dir = args.peer_root / "shop"
            peer = Server(
                "oscar",
                [
                    str(args.peer_root / "venv" / "bin" / "gunicorn"),
                    "-w",
                    "2",
                    "-b",
                    f"127.0.0.1:{port}",
                    "shop.wsgi:application",
                ],
                shop_dir,
                oscar_env(),
                port,
                "/catalogue/",
                work / "gunicorn-oscar.log",
            )
            peer.start(timeout=180)
            try:
                opaths = resolve_oscar_paths(port)
                oscar = measure_shop("oscar", peer, opaths, re.compile(r"^/catalogue/[^/]+_\d+/$"), args)
                if not args.no_weight and oscar["product"].ok:
                    weights["oscar"] = first_load_safe(f"http://127.0.0.1:{port}{opaths['product']}")
            finally:
                peer.stop()
        else:
            say("[3/4] Oscar peer skipped")

        say("[4/4] report")
        missed = print_report(args, ours, oscar, weights, probe)
        if args.json:
            args.json.write_text(
                json.dumps(
                    {
                        "settings": {
                            k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()
                        },
                        "catalogue": probe,
                        "ours": {k: v.as_dict() for k, v in ours.items()},
                        "oscar": {k: v.as_dict() for k, v in oscar.items()} if oscar else None,
                        "first_load": weights,
                        "missed": missed,
                    },
                    indent=2,
                )
            )
            say(f"JSON written to {args.json}")
        return 0
    except KeyboardInterrupt:
        say("\ninterrupted; stopping the servers")
        return 130
    except SystemExit:
        say("\nterminated; stopping the servers")
        raise
    except RuntimeError as exc:
        loud(f"benchmark aborted: {exc}")
        return 1
    finally:
        stop_all()
        if temp and not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        elif temp or args.keep:
            say(f"(bench files kept in {work})")


if __name__ == "__main__":
    sys.exit(main())
