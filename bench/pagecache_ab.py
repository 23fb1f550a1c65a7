#!/usr/bin/env python3
"""The session page cache, on vs off, measured interleaved: the shop served twice at once from a seeded shopbench
workdir (the cache on, and PAGE_CACHE_SESSIONS=0), and each shopper page (a session with 1 item in the cart:
home, category, filtered category, search, product) measured A, B, A, B ... so both see the same noise on a
shared machine (the sequential `shopbench --shopper-variant` does not).

    PYTHONPATH=bench .venv/bin/python -m shopbench --quick --no-peer --no-weight --workdir /tmp/sf-bench  # seeds
    .venv/bin/python bench/pagecache_ab.py --workdir /tmp/sf-bench [--rounds 3] [--duration 3]
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from shopbench import common, seed, serve, shopper  # noqa: E402
from shopbench.config import REPO, VENV_BIN  # noqa: E402
from shopbench.load import run_wrk  # noqa: E402

VARIANTS = (("cache on", {}), ("PAGE_CACHE_SESSIONS=0", {"PAGE_CACHE_SESSIONS": "0"}))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--workdir", type=Path, required=True, help="a workdir shopbench seeded (bench.sqlite3)")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--duration", type=float, default=3.0)
    args = ap.parse_args()
    work = args.workdir.resolve()
    env = seed.ours_env(work)
    fleet = serve.Fleet()
    servers: dict[str, serve.Server] = {}
    try:
        for label, extra in VARIANTS:
            port = common.free_port()
            gunicorn = [
                str(VENV_BIN / "gunicorn"),
                "-w",
                "2",
                "-b",
                f"127.0.0.1:{port}",
                "storefront.wsgi:application",
            ]
            server = serve.Server(
                label, gunicorn, REPO, {**env, **extra}, port, "/healthz", work / f"ab-{port}.log", fleet
            )
            server.start()
            servers[label] = server
        base = {"home": "/", "category": "/category/fruit/", "search": "/search/?q=bananna"}
        paths = shopper.shopper_paths({**base, "product": "/product/sunny-apples/"})
        cookies = {label: shopper.shopper_cookie(s.port, paths["product"]) for label, s in servers.items()}
        results: dict[tuple[str, str], list[tuple[float, float, float, int]]] = {}
        for name, path in paths.items():
            for label, s in servers.items():  # warm-up
                run_wrk(s.port, path, duration=1, connections=16, threads=2, headers=[cookies[label]])
                s.wait_idle(timeout=30)
            for _ in range(args.rounds):
                for label, s in servers.items():
                    ticks = s._cpu_ticks()
                    w = run_wrk(
                        s.port,
                        path,
                        duration=args.duration,
                        connections=16,
                        threads=2,
                        headers=[cookies[label]],
                    )
                    s.wait_idle(timeout=30)  # the requests wrk left queued are served (and counted) too
                    cpu_ms = (s._cpu_ticks() - ticks) * 1000 / os.sysconf("SC_CLK_TCK") / max(w.requests, 1)
                    results.setdefault((name, label), []).append(
                        (w.rps, w.p99_ms or 0.0, cpu_ms, w.non_2xx + w.socket_errors)
                    )
        med = common.median
        common.say(
            f"{'page':9} | "
            + " | ".join(f"{label}: req/s, p99, CPU ms/req, errors [rounds]" for label in servers)
        )
        for name in paths:
            cells = []
            for label in servers:
                r = results[(name, label)]
                cells.append(
                    f"{med([x[0] for x in r]):7.1f} {med([x[1] for x in r]):7.1f} ms {med([x[2] for x in r]):5.2f} "
                    f"{sum(x[3] for x in r)} [{', '.join(f'{x[0]:.0f}' for x in r)}]"
                )
            common.say(f"{name:9} | " + " | ".join(cells))
        return 0
    finally:
        fleet.stop_all()


if __name__ == "__main__":
    sys.exit(main())
