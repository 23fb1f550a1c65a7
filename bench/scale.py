#!/usr/bin/env python3
"""Scale benchmark: the demo catalogue (~1k products) and the same shop grown to 100,000 products, on PostgreSQL
with the Redis cache, served as in production (gunicorn -w 2 with gunicorn.conf.py, DEBUG off).

What it does (`make bench-100k`):
  1. creates its own PostgreSQL database (BENCH_SCALE_DATABASE_URL, dropped and made again), migrates, seeds the
     demo catalogue (no pictures: the bench measures the app, not image drawing), collects static files into a
     temp dir;
  2. serves it and measures with wrk (-t2 -c16, median of --rounds rounds): home, category, filtered category,
     search (a common word, a typo, two words) and a product page, each as an anonymous visitor and as a visitor
     with a session and a cart; the time of the first request after start; the RSS (and PSS) of each worker;
  3. grows the catalogue to --products with bulk_create: every demo item from every demo brand in many variants
     and sizes, names in every content language (from storefront/catalog/demo_data.py), spread over all
     categories; then measures the same again;
  4. prints the two catalogues side by side with the issue's targets (>= 300 req/s anonymous, >= 150 with a
     session, p99 <= 100 ms) and writes --json if asked.

Run from the project root:  .venv/bin/python bench/scale.py [--quick] [--products 100000] [--json out.json]
The Redis cache is BENCH_SCALE_REDIS_URL (default redis://127.0.0.1:6379/5) with a key prefix of its own.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from shopbench import common, config, seed, serve, shopper
from shopbench import load as wrk  # noqa: E402  (bench/shopbench: Server, wrk, fetch, formatting)

FLEET = serve.Fleet()  # the servers this script started, stopped on the way out

REPO = config.REPO
PY = str(config.VENV_BIN / "python")
DATABASE_URL = os.environ.get("BENCH_SCALE_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/scale_bench")
REDIS_URL = os.environ.get("BENCH_SCALE_REDIS_URL", "redis://127.0.0.1:6379/5")
TARGET_ANON_RPS, TARGET_SESSION_RPS, TARGET_P99_MS = 300.0, 150.0, 100.0
TARGET_FIRST_REQUEST_S, TARGET_RSS_MB = 2.0, 150.0
CLK_TCK = os.sysconf("SC_CLK_TCK")

# Variants and sizes that multiply the demo's items into a big, still plausible, catalogue.
VARIANTS = (
    ("Organic", "有机", "유기농", "عضوي"),
    ("Fresh", "新鲜", "신선한", "طازج"),
    ("Premium", "优选", "프리미엄", "ممتاز"),
    ("Family Pack", "家庭装", "대용량", "عبوة عائلية"),
    ("Mini", "迷你", "미니", "صغير"),
    ("Classic", "经典", "클래식", "كلاسيكي"),
    ("Light", "清淡", "라이트", "خفيف"),
    ("Spicy", "香辣", "매운", "حار"),
    ("Sweet", "甜", "달콤한", "حلو"),
    ("Local", "本地", "국산", "محلي"),
    ("Value", "实惠", "알뜰", "اقتصادي"),
    ("Gift", "礼品", "선물용", "هدية"),
    ("Extra", "特级", "특급", "إضافي"),
    ("Natural", "天然", "자연", "طبيعي"),
    ("Seasonal", "时令", "제철", "موسمي"),
    ("Select", "精选", "엄선", "مختار"),
)
SIZES = ("Small", "Medium", "Large", "XL", "Twin Pack", "Six Pack")


def say(msg: str = "") -> None:
    print(msg, flush=True)


# ------------------------------------------------------------------------------------------ growing


def grow(total: int) -> None:
    """(In a Django process.) Add products until the catalogue has `total`; bulk_create, no signals."""
    import random
    from decimal import Decimal

    from django.db import connection
    from django.utils.text import slugify

    from storefront.catalog import demo_data, version
    from storefront.catalog.models import Brand, Category, Product
    from storefront.checkout.management.commands.seed_demo import _texts

    rng = random.Random(12)
    have = Product.objects.count()
    if have >= total:
        return
    brands = {b.name: b for b in Brand.objects.all()}
    categories = {c.slug: c for c in Category.objects.all()}
    combos = []
    for c_index, spec in enumerate(demo_data.CATEGORIES):
        for item in spec.items:
            for bw in demo_data.BRANDS:
                combos.append((c_index, spec, item, bw))
    rng.shuffle(combos)
    batch: list[Product] = []
    n = 0
    made = 0
    bar = common.progress_bar(total - have, "adding products")
    while have + made < total:
        variant = VARIANTS[(n // len(combos)) % len(VARIANTS)]
        size = SIZES[(n // (len(combos) * len(VARIANTS))) % len(SIZES)]
        c_index, spec, item, bw = combos[n % len(combos)]
        n += 1
        v = demo_data.Words(*variant)
        name_en = f"{bw.en} {v.en} {item.en} ({size})"
        specs = [[s_name, rng.choice(values)] for s_name, values in spec.specs]
        base = [3, 2, 3, 12, 4, 2, 3, 5, 25, 18, 8, 30, 45, 20][c_index % 14]
        price = (Decimal(base) + Decimal(rng.randint(0, base * 300)) / 100).quantize(Decimal("1")) - Decimal(
            "0.01"
        )
        rated = rng.random() < 0.6
        batch.append(
            Product(
                slug=f"{slugify(name_en)}-{n}",
                category=categories[spec.slug],
                brand=brands[bw.en],
                name=name_en,
                name_zh_hans=f"{bw.zh_hans}{v.zh_hans}{item.zh_hans}",
                name_ko=f"{bw.ko} {v.ko} {item.ko}",
                name_ar=f"{item.ar} {v.ar} {bw.ar}",
                **_texts(bw, item, spec.name, specs),
                specifications=specs,
                price=price,
                stock=0 if rng.random() < 0.07 else rng.choice([1, 2, 3, 5, 8, 12, 20, 50, 100]),
                rating_average=round(rng.uniform(2.5, 5.0), 2) if rated else 0,
                rating_count=rng.randint(1, 60) if rated else 0,
            )
        )
        made += 1
        if len(batch) >= 5000:
            Product.objects.bulk_create(batch)
            if bar is not None:
                bar.update(len(batch))
            else:
                print(f"    {have + made} products", flush=True)
            batch = []
    Product.objects.bulk_create(batch)
    if bar is not None:
        bar.close()
    try:  # bulk_create sends no signals: search documents (catalog.search.documents, where present) are rebuilt
        from storefront.catalog.search import documents
    except ImportError:
        documents = None
    if documents is not None and hasattr(documents, "rebuild"):
        t0 = time.monotonic()
        documents.rebuild()
        print(f"    search documents rebuilt in {time.monotonic() - t0:.0f} s", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    version.bump()


# ------------------------------------------------------------------------------------------ the shop


def env_for(work: Path, prefix: str) -> dict[str, str]:
    env = seed.ours_env(work)
    env.update(
        {
            "DATABASE_URL": DATABASE_URL,
            "CACHE_BACKEND": "django.core.cache.backends.redis.RedisCache",
            "CACHE_LOCATION": REDIS_URL,
            "CACHE_KEY_PREFIX": prefix,
            "MEDIA_ROOT": str(work / "media"),
            # No worker recycling mid-measurement (its CPU time would vanish from the server's total).
            "GUNICORN_MAX_REQUESTS": "0",
        }
    )
    return env


def prepare(work: Path, env: dict[str, str], reuse: bool = False) -> None:
    (work / "media").mkdir(parents=True, exist_ok=True)
    (work / "bench_settings.py").write_text(seed.SETTINGS_SHIM)
    name = DATABASE_URL.rsplit("/", 1)[1]
    admin = DATABASE_URL.rsplit("/", 1)[0] + "/postgres"
    steps = [("migrate", "--noinput"), ("collectstatic", "--noinput")]
    if not reuse:
        subprocess.run(
            ["psql", admin, "-qc", f'DROP DATABASE IF EXISTS "{name}"'], check=True, capture_output=True
        )
        subprocess.run(["psql", admin, "-qc", f'CREATE DATABASE "{name}"'], check=True, capture_output=True)
        steps.insert(1, ("seed_demo", "--no-images"))
    for argv in steps:
        t0 = time.monotonic()
        seed.manage(env, *argv)
        say(f"  {argv[0]:14} {time.monotonic() - t0:6.1f} s")


def probe(env: dict[str, str]) -> dict:
    code = (
        "import json; from storefront.catalog.models import Category, Product; from django.db.models import Count;"
        "c = Category.objects.annotate(n=Count('products')).order_by('-n').first();"
        "p = Product.objects.filter(is_active=True, stock__gt=0, name__contains='Milk').order_by('id').first();"
        "print(json.dumps({'products': Product.objects.count(), 'category': c.slug, 'product': p.slug}))"
    )
    return json.loads(seed.manage(env, "shell", "-c", code).strip().splitlines()[-1])


def pages(info: dict) -> dict[str, str]:
    cat = info["category"]
    return {
        "home": "/",
        "category": f"/category/{cat}/",
        "filtered": f"/category/{cat}/?min_price=2&in_stock=on&sort=price",
        "search milk": "/search/?q=milk",
        "search typo": "/search/?q=bananna",
        "search 2 words": "/search/?q=banana+milk",
        "product": f"/product/{info['product']}/",
    }


def worker_memory(server: serve.Server) -> list[tuple[float, float]]:
    """(RSS MB, PSS MB) of each gunicorn worker (children of the master)."""
    out = []
    master = server.proc.pid if server.proc else None
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            if int(stat[1]) != master:
                continue
            rss = pss = 0.0
            for line in Path(f"/proc/{entry}/smaps_rollup").read_text().splitlines():
                if line.startswith("Rss:"):
                    rss = int(line.split()[1]) / 1024
                elif line.startswith("Pss:"):
                    pss = int(line.split()[1]) / 1024
            out.append((rss, pss))
        except (OSError, IndexError, ValueError):
            continue
    return out


def start(env: dict[str, str], work: Path, label: str) -> tuple[serve.Server, float]:
    port = common.free_port()
    server = serve.Server(
        label,
        [
            PY,
            "-m",
            "gunicorn",
            "-c",
            "gunicorn.conf.py",
            "-w",
            "2",
            "-b",
            f"127.0.0.1:{port}",
            "storefront.wsgi:application",
        ],
        REPO,
        env,
        port,
        "/healthz",
        work / f"gunicorn-{label}.log",
        FLEET,
    )
    t0 = time.monotonic()
    server.start()
    return server, time.monotonic() - t0


def measure(label: str, env: dict[str, str], work: Path, args) -> dict:
    info = probe(env)
    server, boot = start(env, work, label)
    try:
        paths = pages(info)
        # The first request of each page right after start (cold caches; each worker already warmed up).
        first = {}
        for name, path in paths.items():
            first[name] = common.fetch(server.port, path).ms / 1000
        say(
            f"  {info['products']} products; server up in {boot:.1f} s; first requests: "
            + ", ".join(f"{k} {v:.2f} s" for k, v in first.items())
        )
        results: dict[str, dict] = {}
        cookie = shopper.shopper_cookie(server.port, paths["product"])
        for mode, headers in (("anonymous", []), ("session", [cookie])):
            for name, path in paths.items():
                r = common.fetch(server.port, path) if not headers else None
                if r is not None and r.status != 200:
                    raise RuntimeError(f"{path} answered {r.status}")
                wrk.run_wrk(
                    server.port, path, duration=args.warmup, connections=16, threads=2, headers=headers
                )
                server.wait_idle(timeout=60)
                rounds, cpu = [], []
                for _ in range(args.rounds):
                    ticks, load = server._cpu_ticks(), os.getloadavg()[0]
                    w = wrk.run_wrk(
                        server.port, path, duration=args.duration, connections=16, threads=2, headers=headers
                    )
                    server.wait_idle(timeout=60)  # the requests wrk left queued are served (and counted) too
                    used_ms = (server._cpu_ticks() - ticks) * 1000 / CLK_TCK
                    rounds.append(w)
                    if w.requests:
                        cpu.append(used_ms / w.requests)
                errors = sum(w.non_2xx + w.socket_errors for w in rounds)
                cpu_ms = common.median(cpu)
                row = {
                    "rps": common.median([w.rps for w in rounds]),
                    "p99": common.median([w.p99_ms for w in rounds if w.p99_ms is not None]),
                    "errors": errors,
                    "cpu_ms": cpu_ms,
                    "load": load,
                    # What 2 cores would serve if the server had them to itself: the figure that does not
                    # depend on what else this shared machine is running.
                    "capacity": (2000 / cpu_ms) if cpu_ms else None,
                }
                results[f"{name} ({mode})"] = row
                say(
                    f"    {name:15} {mode:9} {common.fmt_rps(row['rps']):>8} req/s  p99 {common.fmt_ms(row['p99']):>10}"
                    f"  server CPU {cpu_ms or 0:.1f} ms/req (2 idle cores: {row['capacity'] or 0:.0f} req/s)"
                    f"  load {load:.1f}" + (f"  {errors} errors" if errors else "")
                )
        memory = worker_memory(server)
    finally:
        server.stop()
    # A fresh start: the very first request a new server answers (the slowest page: search).
    server, _boot = start(env, work, label + "-restart")
    try:
        cold = common.fetch(server.port, paths["search typo"]).ms / 1000
    finally:
        server.stop()
    return {
        "products": info["products"],
        "pages": results,
        "first_request_s": first,
        "cold_search_s": cold,
        "workers_mb": memory,
        "boot_s": boot,
    }


def report(small: dict | None, big: dict | None) -> None:
    cols = [c for c in (small, big) if c]
    head = " | ".join(f"{c['products']:>6} products: req/s p99 cpu-ms cap" for c in cols)
    say("")
    say(
        "Scale benchmark  |  gunicorn -w 2 (gunicorn.conf.py, DEBUG off), PostgreSQL, Redis cache, wrk -t2 -c16"
    )
    say(
        "req/s and p99 as measured on this (shared) machine; cpu-ms = gunicorn CPU per request; cap = 2000/cpu-ms,"
        " the req/s two idle cores would serve"
    )
    say(f"{'page':28} | {head}  | targets (on req/s as measured)")
    names = list((big or small)["pages"])
    for name in names:
        cells = []
        for c in cols:
            row = c["pages"].get(name, {})
            cells.append(
                f"{common.fmt_rps(row.get('rps')):>7} {common.fmt_ms(row.get('p99')):>9} "
                f"{row.get('cpu_ms') or 0:5.1f} {row.get('capacity') or 0:5.0f}"
                + (" E" if row.get("errors") else "  ")
            )
        target = TARGET_SESSION_RPS if "session" in name else TARGET_ANON_RPS
        last = cols[-1]["pages"].get(name, {})
        ok = (last.get("rps") or 0) >= target and (last.get("p99") or 1e9) <= TARGET_P99_MS
        say(
            f"{name:28} | "
            + " | ".join(f"{cell:>36}" for cell in cells)
            + f"  | >= {target:.0f}, <= {TARGET_P99_MS:.0f} ms {'met' if ok else 'MISSED'}"
        )
    for c in cols:
        mem = ", ".join(f"RSS {r:.0f} MB (PSS {p:.0f} MB)" for r, p in c["workers_mb"])
        worst_first = max(c["first_request_s"].values())
        say(
            f"{c['products']:>7} products: workers {mem}; first request per page after start: slowest "
            f"{worst_first:.2f} s; first search of a fresh server {c['cold_search_s']:.2f} s"
        )
    last = cols[-1]
    rss_ok = all(r <= TARGET_RSS_MB for r, _ in last["workers_mb"])
    first_ok = (
        max(last["first_request_s"].values()) <= TARGET_FIRST_REQUEST_S
        and last["cold_search_s"] <= TARGET_FIRST_REQUEST_S
    )
    say(
        f"targets: RSS per worker <= {TARGET_RSS_MB:.0f} MB {'met' if rss_ok else 'MISSED'}; first request <= "
        f"{TARGET_FIRST_REQUEST_S:.0f} s {'met' if first_ok else 'MISSED'}"
    )


def measure_oscar(args, work: Path) -> dict | None:
    """django-oscar's matching pages on its peer kit's own catalogue (anonymous), as `make bench` serves them: a
    reference beside ours (Oscar is not grown; its kit has no 100,000-product catalogue). None without the kit."""
    from shopbench import peer

    kit, root = config.DEFAULT_PEER_KIT, config.DEFAULT_PEER_ROOT
    if args.no_peer or not peer.peer_available(kit):
        return None
    peer.build_peer(kit, root)
    port = common.free_port()
    server = peer.oscar_server(root, port, work / "gunicorn-oscar.log", FLEET)
    server.start(timeout=180)
    try:
        shop_args = config.parse_args(
            ["--duration", str(args.duration), "--rounds", str(args.rounds), "--warmup", str(args.warmup)]
        )
        shop_args.single = 0
        results = wrk.measure_shop(
            "oscar", server, peer.resolve_oscar_paths(port), peer.PRODUCT_LINK, shop_args
        )
    finally:
        server.stop()
    return {name: {"rps": r.rps, "p99": r.p99} for name, r in results.items() if r.ok}


# Oscar's page -> ours (the comparison pages of `make bench`: Oscar's search is for a word, ours for a typo)
OSCAR_PAGES = {"home": "home", "category": "category", "product": "product", "search": "search typo"}


def report_oscar(oscar: dict | None, small: dict | None, big: dict | None) -> None:
    if not oscar:
        say("django-oscar: peer kit not found (or --no-peer): no Oscar figures")
        return
    say("")
    say("django-oscar (peer kit, its own catalogue, anonymous, same wrk settings) and ours, ratio ours/Oscar")
    for page, ours_name in OSCAR_PAGES.items():
        theirs = oscar.get(page)
        if not theirs or not theirs.get("rps"):
            continue
        cells = []
        for c in (small, big):
            row = (c or {}).get("pages", {}).get(f"{ours_name} (anonymous)", {})
            if row.get("rps"):
                cells.append(
                    f"ours {c['products']} products {row['rps']:.0f} req/s ({row['rps'] / theirs['rps']:.0f}x)"
                )
        say(
            f"  {page:9} Oscar {theirs['rps']:7.1f} req/s p99 {common.fmt_ms(theirs.get('p99')):>9} | "
            + " | ".join(cells)
        )


def parse_args(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--products", type=int, default=100_000)
    ap.add_argument("--duration", type=float, default=10.0, help="seconds per wrk round")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--warmup", type=float, default=2.0)
    ap.add_argument("--quick", action="store_true", help="1 round x 3 s")
    ap.add_argument("--only-big", action="store_true", help="skip the 1k measurement")
    ap.add_argument(
        "--reuse-database",
        action="store_true",
        help="keep the database of an earlier run (grown already): measure the big catalogue only",
    )
    ap.add_argument("--json", type=Path)
    ap.add_argument(
        "--no-peer", action="store_true", help="skip django-oscar even when its peer kit is present"
    )
    ap.add_argument("--grow", type=int, help=argparse.SUPPRESS)  # internal: run inside Django
    args = ap.parse_args(argv)
    if args.quick:
        args.duration, args.rounds, args.warmup = 3.0, 1, 1.0
    return args


def _on_signal(signum, frame):  # noqa: ARG001 - stop the servers on Ctrl+C or kill, too
    raise SystemExit(128 + signum)


def main(argv=None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)
    if args.grow:
        import django

        django.setup()
        grow(args.grow)
        return 0
    if not shutil.which("wrk"):
        say("error: wrk not found")
        return 2
    work = Path(tempfile.mkdtemp(prefix="storefront-scale-"))
    env = env_for(work, f"bench-{uuid.uuid4().hex[:8]}")
    small = big = None
    try:
        say(f"[1/4] a fresh database ({DATABASE_URL}) with the demo catalogue")
        prepare(work, env, reuse=args.reuse_database)
        if not args.only_big and not args.reuse_database:
            say("[2/4] measuring the demo catalogue")
            small = measure("1k", env, work, args)
        say(f"[3/4] growing the catalogue to {args.products} products")
        t0 = time.monotonic()
        subprocess.run(
            [PY, str(Path(__file__).resolve()), "--grow", str(args.products)], cwd=REPO, env=env, check=True
        )
        say(f"  grown in {time.monotonic() - t0:.0f} s")
        env["CACHE_KEY_PREFIX"] = f"bench-{uuid.uuid4().hex[:8]}"  # a cold cache for the big catalogue
        say("[4/4] measuring the big catalogue")
        big = measure("100k", env, work, args)
        oscar = measure_oscar(args, work)
        report(small, big)
        report_oscar(oscar, small, big)
        if args.json:
            args.json.write_text(json.dumps({"1k": small, "100k": big, "oscar": oscar}, indent=2))
        return 0
    except (RuntimeError, subprocess.CalledProcessError) as exc:
        common.loud(f"benchmark aborted: {exc}")
        if small or big:
            report(small, big)
        return 1
    finally:
        FLEET.stop_all()
        subprocess.run(
            f"redis-cli -u {REDIS_URL} --scan --pattern 'bench-*' | xargs -r redis-cli -u {REDIS_URL} del",
            shell=True,
            capture_output=True,
        )
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
