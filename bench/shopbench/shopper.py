"""A shopper with a session and a cart (`--shopper`): our catalogue pages measured with the session cookie a real
shopper sends (issue 12: >= 150 req/s, p99 <= 100 ms), and, with `--shopper-variant NAME=VALUE`, the same pages
of a second server started with one environment variable changed (e.g. the page cache's kill switch,
PAGE_CACHE_SESSIONS=0), side by side in one run."""

from __future__ import annotations

import argparse
import re
from urllib.parse import urlencode

import requests

from shopbench.common import fmt_ms, fmt_rps, say
from shopbench.config import Page
from shopbench.load import PageResult, measure_shop
from shopbench.serve import Server

TARGET_RPS, TARGET_P99_MS = 150.0, 100.0  # issue 12, with a session and a cart (stated at 100,000 products)

PAGES = [
    Page("home", "/", "", None, TARGET_P99_MS),
    Page("category", "/category/fruit/", "", None, TARGET_P99_MS),
    Page("filtered", "/category/fruit/?in_stock=on&sort=price", "", None, TARGET_P99_MS),
    Page("search", "/search/?q=bananna", "", None, TARGET_P99_MS),
    Page("product", "/product/sunny-apples/", "", None, TARGET_P99_MS),
]
PRODUCT_LINK = re.compile(r"^/(?:[\w-]+/)?product/[^/]+/$")


def shopper_cookie(port: int, product_path: str) -> str:
    """A visitor with a session and one item in the cart, made through the shop's own forms (JS off): the Cookie
    header wrk sends."""
    browser = requests.Session()
    html = browser.get(f"http://127.0.0.1:{port}{product_path}").text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    product = re.search(r'name="product" value="(\d+)"', html)
    if token is None or product is None:
        raise RuntimeError(f"no add-to-cart form on {product_path}")
    r = browser.post(
        f"http://127.0.0.1:{port}/cart/add/",
        data={"product": product.group(1), "quantity": 1, "csrfmiddlewaretoken": token.group(1)},
        headers={"Referer": f"http://127.0.0.1:{port}{product_path}"},
        allow_redirects=False,
    )
    if r.status_code not in (302, 303) or "sessionid" not in browser.cookies:
        raise RuntimeError(f"could not fill a cart (HTTP {r.status_code})")
    browser.get(f"http://127.0.0.1:{port}{product_path}")  # shows (and so clears) the "added" message
    if "1 item" not in browser.get(f"http://127.0.0.1:{port}/").text:
        raise RuntimeError("the cart is not shown as 1 item")
    return "Cookie: " + "; ".join(f"{k}={v}" for k, v in browser.cookies.items())


def shopper_paths(ours: dict[str, str]) -> dict[str, str]:
    """The shopper's pages, on the category and product the comparison measured (they may have fallen back)."""
    category = ours["category"]
    return {
        "home": ours["home"],
        "category": category,
        "filtered": f"{category}?{urlencode({'in_stock': 'on', 'sort': 'price'})}",
        "search": ours["search"],
        "product": ours["product"],
    }


def measure(label: str, server: Server, ours_paths: dict[str, str], args: argparse.Namespace):
    paths = shopper_paths(ours_paths)
    cookie = shopper_cookie(server.port, paths["product"])
    say(f"  {label}: a shopper with a session and 1 item in the cart")
    return measure_shop(label, server, paths, PRODUCT_LINK, args, pages=PAGES, headers=[*args.header, cookie])


def print_side_by_side(results: dict[str, dict[str, PageResult]]) -> list[str]:
    """One row per page, one column group per server (the first: the shop as configured); returns the pages on
    which the first missed the target."""
    labels = list(results)
    say()
    say(
        f"With a session and a cart (issue 12 target: >= {TARGET_RPS:g} req/s, p99 <= {TARGET_P99_MS:g} ms, stated "
        "at 100,000 products; CPU/req = gunicorn CPU per request)"
    )
    say(f"{'page':10}" + "".join(f" | {label:^38}" for label in labels))
    say(f"{'':10}" + "".join(f" | {'req/s':>8} {'p99':>9} {'CPU/req':>9} {'errors':>7} " for _ in labels))
    missed = []
    for page in PAGES:
        cells = []
        for label in labels:
            r = results[label][page.name]
            cells.append(
                f" | {fmt_rps(r.rps):>8} {fmt_ms(r.p99):>9} {fmt_ms(r.server_cpu_ms):>9} {r.errors:>7} "
                if r.ok
                else f" | {'NOT MEASURED':^38}"
            )
        say(f"{page.name:10}" + "".join(cells))
        r = results[labels[0]][page.name]
        if not r.ok or (r.rps or 0) < TARGET_RPS or (r.p99 or 1e9) > TARGET_P99_MS or r.errors:
            missed.append(f"shopper {page.name}: {fmt_rps(r.rps)} req/s, p99 {fmt_ms(r.p99)}")
    say("Shopper target " + ("MISSED: " + "; ".join(missed) if missed else f"met ({labels[0]})."))
    return missed
