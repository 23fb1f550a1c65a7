#!/usr/bin/env python
"""Lighthouse accessibility scores of the product and cart pages in every edition (target: 100 each).

Serves the shop like bench/run.py does (own SQLite and media in a temp dir, gunicorn, DEBUG off), installs npm's
`lighthouse` into bench/.cache/ on first use (it downloads no browser) and runs it against Debian's Chromium on
127.0.0.1, so it needs no internet. Prints a table of scores and every audit that did not pass.

    .venv/bin/python bench/lighthouse.py [--workdir DIR] [--runs N]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from shopbench import common, config, seed, serve  # noqa: E402  (bench/shopbench: Server, seed helpers, output)

FLEET = serve.Fleet()  # the servers this script started, stopped on the way out

CACHE = config.REPO / "bench" / ".cache" / "lighthouse"
EDITIONS = ("standard", "elder", "screen-reader", "cross-border")
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --no-first-run --disable-sync --disable-quic"
)


def lighthouse_bin() -> Path:
    binary = CACHE / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        common.say("  installing lighthouse from npm into bench/.cache/ (once)")
        subprocess.run(
            [
                "npm",
                "install",
                "--silent",
                "--no-audit",
                "--no-fund",
                "--prefix",
                str(CACHE),
                "lighthouse@12",
            ],
            check=True,
        )
    return binary


def audit(binary: Path, url: str) -> tuple[float, list[str]]:
    env = dict(os.environ, CHROME_PATH=config.CHROMIUM)
    proc = subprocess.run(
        [
            str(binary),
            url,
            "--output=json",
            "--quiet",
            "--only-categories=accessibility",
            f"--chrome-flags={CHROME_FLAGS}",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=180,
    )
    if proc.returncode != 0 or not proc.stdout.strip():
        raise RuntimeError(f"lighthouse failed on {url}: {proc.stderr[-2000:]}")
    report = json.loads(proc.stdout)
    score = report["categories"]["accessibility"]["score"] * 100
    failing = [
        f"{a['id']}: {a['title']}"
        for a in report["audits"].values()
        if a.get("score") is not None and a["scoreDisplayMode"] == "binary" and a["score"] < 1
    ]
    return score, failing


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--workdir", type=Path, help="reuse a seeded bench dir (seed_demo is idempotent)")
    ap.add_argument("--runs", type=int, default=1, help="runs per page (the median is reported)")
    args = ap.parse_args()
    binary = lighthouse_bin()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="storefront-lighthouse-"))
    work.mkdir(parents=True, exist_ok=True)
    env, probe = seed.prepare_ours(work)
    port = common.free_port()
    server = serve.Server(
        "ours",
        [
            str(config.VENV_BIN / "gunicorn"),
            "-w",
            "2",
            "-b",
            f"127.0.0.1:{port}",
            "storefront.wsgi:application",
        ],
        config.REPO,
        env,
        port,
        "/healthz",
        work / "gunicorn-lighthouse.log",
        FLEET,
    )
    server.start()
    rows, problems = [], []
    try:
        for edition in EDITIONS:
            for page, path in (("product", f"/product/{probe['first_product']}/"), ("cart", "/cart/")):
                url = f"http://127.0.0.1:{port}{path}?edition={edition}"
                scores = []
                for _ in range(args.runs):
                    score, failing = audit(binary, url)
                    scores.append(score)
                    problems += [f"{edition} {page}: {f}" for f in failing]
                rows.append((edition, page, statistics.median(scores)))
                common.say(f"  {edition:14} {page:8} {rows[-1][2]:5.0f}")
    finally:
        FLEET.stop_all()
    common.say("\nLighthouse accessibility (target 100)\nedition        | page     | score\n" + "-" * 34)
    for edition, page, score in rows:
        common.say(f"{edition:14} | {page:8} | {score:5.0f}{'' if score == 100 else '  MISSED'}")
    for line in sorted(set(problems)):
        common.say(f"  not passed: {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
