"""The report: per-page verdicts against the targets and the printed table (returns what was missed)."""

from __future__ import annotations

import os
from urllib.parse import urlsplit

from shopbench.common import fmt_ms, fmt_rps, say
from shopbench.config import NOISY_PCT, PAGES, WEIGHT_MAX_KB, WEIGHT_MAX_REQUESTS, Page
from shopbench.load import PageResult

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
