"""Load measurement: wrk runs, CPU-noise accounting, page checks and measuring one shop's pages."""

from __future__ import annotations

import argparse
import os
import re
import resource
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser

from shopbench.common import fetch, fmt_ms, loud, median, say
from shopbench.config import NOISY_PCT, PAGES, Page
from shopbench.serve import Server

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


def run_wrk(
    port: int,
    path: str,
    *,
    duration: float,
    connections: int,
    threads: int,
    timeout_s: int = 30,
    headers: Sequence[str] = (),
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
    for header in headers:  # extra request headers (--header)
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


def check_page(
    shop: str, page: Page, port: int, path: str, product_link: re.Pattern, headers: Sequence[str] = ()
) -> PageResult:
    """The page must answer 200 with HTML; otherwise say so loudly and do not measure it."""
    result = PageResult(page.name, path)
    try:
        r = fetch(port, path, headers=headers)
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
    shop: str,
    server: Server,
    paths: dict[str, str],
    product_link: re.Pattern,
    args: argparse.Namespace,
    pages: Sequence[Page] = PAGES,
    headers: Sequence[str] | None = None,
) -> dict[str, PageResult]:
    """Checks, warms up and measures `pages` (default: the shop comparison's), sending `headers` (default:
    --header) with every request."""
    sent = list(args.header if headers is None else headers)

    def wrk(path: str, measured: bool = True, **kw) -> WrkResult:
        waited = server.wait_idle()
        if waited > 2:
            say(
                f"    (waited {waited:.1f} s for {shop}'s workers to finish requests left queued by the last run)"
            )
        if measured and args.settle > 0:
            settle(server, args.settle)
        t0, busy0, srv0, kids0 = time.monotonic(), _busy_ticks(), server._cpu_ticks(), _children_ticks()
        w = run_wrk(server.port, path, headers=sent, **kw)
        wall = (time.monotonic() - t0) * os.sysconf("SC_CLK_TCK") * (os.cpu_count() or 1)
        srv = server._cpu_ticks() - srv0
        other = (_busy_ticks() - busy0) - srv - (_children_ticks() - kids0)
        if w.requests:
            w.server_cpu_ms = 1000.0 * srv / os.sysconf("SC_CLK_TCK") / w.requests
        w.other_cpu_pct = max(0.0, 100.0 * other / wall) if wall else None
        return w

    results = {p.name: check_page(shop, p, server.port, paths[p.name], product_link, sent) for p in pages}
    good = [p for p in pages if results[p.name].ok]
    for p in good:
        r = results[p.name]
        extra = f", sets cookies: {', '.join(r.set_cookies)}" if r.set_cookies else ""
        say(
            f"  {shop:5} {p.name:8} {r.path:32} 200, {r.html_kb:6.1f} KB HTML, "
            f"{r.product_links:3d} product links{extra}"
        )
        if p.name in {"home", "category", "filtered", "search"} and r.product_links == 0:
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
