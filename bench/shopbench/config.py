"""The benchmark's settings: paths, the pages measured with their targets, thresholds, and the command line."""

from __future__ import annotations

import argparse
import os
from dataclasses import dataclass
from pathlib import Path

DESCRIPTION = (
    "Storefront performance benchmark: ours vs. the django-oscar peer, one shop at a time, on 127.0.0.1."
)

REPO = Path(__file__).resolve().parent.parent.parent
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


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(
        description=DESCRIPTION, formatter_class=argparse.ArgumentDefaultsHelpFormatter
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
    ap.add_argument(
        "--shopper",
        action="store_true",
        help="also measure our home, category, filtered category, search and product pages as a shopper with a "
        "session and 1 item in the cart (a real session cookie; target >= 150 req/s, p99 <= 100 ms)",
    )
    ap.add_argument(
        "--shopper-variant",
        metavar="NAME=VALUE",
        help="with --shopper: serve ours a second time with this environment variable (e.g. "
        "PAGE_CACHE_SESSIONS=0, the page cache's kill switch) and show both side by side",
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
    if args.shopper_variant is not None and (not args.shopper or "=" not in args.shopper_variant):
        ap.error("--shopper-variant needs --shopper and takes NAME=VALUE")
    if args.connections < args.threads:
        ap.error("--connections must be >= --threads (wrk)")
    return args
