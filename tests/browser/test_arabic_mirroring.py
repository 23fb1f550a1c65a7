"""Arabic mirrors the layout, in real Chromium: the product page and the checkout review and pay pages, in the
standard and cross-border editions, measured from the DOM and compared with the same pages in English.

Right to left, the reading start is on the right: the shop's name (the home link) is at the right of the
header and the cart link towards the left; the product picture (first in the source) is to the right of the
buy box on a wide screen; checkout step 1 is to the right of step 2; the language label is to the right of its
select. Prices keep their digits in reading order left to right (numbers stay left-to-right inside
right-to-left text).

Readable in Arabic as well: a price's Latin currency symbol keeps its order ("US$", not "$US"), and
Latin-script content shown in an Arabic page (an English product description used as the fallback, a US
delivery address) reads left to right: its first character is left of its last on the same line
("1600 Amphitheatre Parkway", not "Amphitheatre Parkway 1600"; "Apples ... range.", not ".Apples ... range").

Full-page screenshots of every page measured go to $SCREENSHOT_DIR (default tests/browser/artifacts/, ignored
by git), named <language>-<edition>-<page>.png.
"""

from __future__ import annotations

import os
import re
from decimal import Decimal
from pathlib import Path

import pytest
from browserkit import new_context, set_edition, sign_in

pytestmark = pytest.mark.browser

EDITIONS = ["standard", "cross-border"]
SCREENSHOT_DIR = Path(os.environ.get("SCREENSHOT_DIR") or Path(__file__).parent / "artifacts")

GEOMETRY_JS = """(selectors) => {
  const out = {};
  for (const [name, selector] of Object.entries(selectors)) {
    const el = document.querySelector(selector);
    if (!el) { out[name] = null; continue; }
    const r = el.getBoundingClientRect();
    out[name] = {left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: r.width, height: r.height,
                 center: r.left + r.width / 2, direction: getComputedStyle(el).direction};
  }
  out.viewport = document.documentElement.clientWidth;
  out.dir = document.documentElement.dir;
  return out;
}"""

# Every digit of the element's visible text with its on-screen x, in logical (source) order.
DIGITS_JS = """(selector) => {
  const el = document.querySelector(selector);
  if (!el) return null;
  const digits = [];
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (node.parentElement.closest(".visually-hidden")) continue;
    for (let i = 0; i < node.data.length; i++) {
      if (!/[0-9\\u0660-\\u0669\\u06F0-\\u06F9]/.test(node.data[i])) continue;
      const range = document.createRange();
      range.setStart(node, i);
      range.setEnd(node, i + 1);
      const box = range.getBoundingClientRect();
      digits.push({digit: node.data[i], left: box.left, right: box.right});
    }
  }
  return {text: el.innerText.trim(), direction: getComputedStyle(el).direction, digits};
}"""

# Each whitespace-separated token of the element's visible text that has Latin letters ("US$"), with the x of
# each of its characters: such a token must read left to right.
LATIN_TOKENS_JS = """(selector) => {
  const el = document.querySelector(selector);
  if (!el) return null;
  const tokens = [];
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (node.parentElement.closest(".visually-hidden")) continue;
    for (const match of node.data.matchAll(/[^\\s\\u200e\\u200f\\u061c\\u2066-\\u2069]+/g)) {
      if (!/[A-Za-z]/.test(match[0])) continue;
      const chars = [];
      for (let i = match.index; i < match.index + match[0].length; i++) {
        const range = document.createRange();
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        chars.push([node.data[i], range.getBoundingClientRect().left]);
      }
      tokens.push({token: match[0], chars});
    }
  }
  return tokens;
}"""

# Text nodes under the selector in Latin script only (no Arabic letters): the on-screen x of their first and
# last visible characters, when both are on one line.
LATIN_LINES_JS = """(selector) => {
  const out = [];
  for (const el of document.querySelectorAll(selector)) {
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const node = walker.currentNode;
      const text = node.data;
      if (node.parentElement.closest(".visually-hidden")) continue;
      if (!/[A-Za-z]/.test(text) || /[\\u0600-\\u06FF]/.test(text)) continue;
      const first = text.search(/\\S/);
      const last = text.length - 1 - text.split("").reverse().join("").search(/\\S/);
      if (first < 0 || last <= first) continue;
      const box = (i) => { const r = document.createRange(); r.setStart(node, i); r.setEnd(node, i + 1);
                           return r.getBoundingClientRect(); };
      const a = box(first), b = box(last);
      if (Math.abs(a.top - b.top) > 3) continue;  // wrapped over several lines
      const classes = el.className ? "." + el.className.split(" ").join(".") : "";
      out.push({text: text.trim(), first: a.left, last: b.left, tag: el.tagName.toLowerCase() + classes});
    }
  }
  return out;
}"""

HEADER = {
    "brand": ".site-header a.brand",
    "cart": "#cart-link",
    "language_label": "label[for=market-language]",
    "language_select": "#market-language",
}
PRODUCT = {
    "image": ".product-key-facts .product-image",
    "summary": ".product-key-facts .product-summary",
    "breadcrumb_home": ".breadcrumbs li:first-child",
    "breadcrumb_last": ".breadcrumbs li:last-child",
}
STEPS = {f"step{n}": f".steps li:nth-child({n})" for n in (1, 2, 3)}
DESCRIPTION = ".product-detail section[aria-labelledby=about] p"
LINE_TOTAL = ".summary-table tbody tr:first-child td:last-child"


def _screenshot(page, language: str, edition: str, name: str) -> Path:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"{language}-{edition}-{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def _visit(browser, shop, language: str, edition: str) -> dict:
    """Product, checkout review and pay pages in one language: geometry, price digits and screenshots."""
    context = new_context(browser)
    context.add_cookies([{"name": "django_language", "value": language, "url": shop.url}])
    page = context.new_page()
    seen: dict = {}
    try:
        set_edition(page, shop, edition)
        sign_in(page, shop)
        # the product page, then one of it in the cart (a plain form post: no text to find in any language)
        page.goto(shop(f"/product/{shop.product.slug}/"))
        seen["product"] = page.evaluate(GEOMETRY_JS, {**HEADER, **PRODUCT})
        seen["product_price"] = page.evaluate(DIGITS_JS, ".product-summary .price-large")
        seen["product_price_tokens"] = page.evaluate(LATIN_TOKENS_JS, ".product-summary .price-large")
        seen["product_latin"] = page.evaluate(LATIN_LINES_JS, DESCRIPTION)
        seen["product_shot"] = _screenshot(page, language, edition, "product")
        with page.expect_navigation():
            page.evaluate("() => document.querySelector('form.buy-form').submit()")
        # the saved address (the first form in <main> on the address step), then review and pay
        page.goto(shop("/checkout/address/"))
        with page.expect_navigation():
            page.locator("main form:not(.address-form) button[type=submit]").first.click()
        assert page.url.endswith("/checkout/review/"), f"{language}/{edition}: not on review: {page.url}"
        seen["review"] = page.evaluate(GEOMETRY_JS, {**HEADER, **STEPS})
        seen["review_total"] = page.evaluate(DIGITS_JS, LINE_TOTAL)
        seen["review_price_tokens"] = page.evaluate(LATIN_TOKENS_JS, LINE_TOTAL)
        seen["review_latin"] = page.evaluate(LATIN_LINES_JS, "main address")
        seen["review_shot"] = _screenshot(page, language, edition, "checkout-review")
        response = page.goto(shop("/checkout/pay/"))
        assert response and response.status == 200, f"{language}/{edition}: pay page answered {response}"
        seen["pay"] = page.evaluate(GEOMETRY_JS, {**HEADER, **STEPS})
        seen["pay_total"] = page.evaluate(DIGITS_JS, ".total-line")
        seen["pay_price_tokens"] = page.evaluate(LATIN_TOKENS_JS, ".total-line")
        seen["pay_shot"] = _screenshot(page, language, edition, "checkout-pay")
        seen["html"] = page.evaluate("() => [document.documentElement.lang, document.documentElement.dir]")
    finally:
        context.close()
    return seen


def _order(boxes: dict, first: str, second: str) -> str:
    """'rtl' when `first` is right of `second`, 'ltr' when left of it (by their centres)."""
    a, b = boxes[first], boxes[second]
    assert a and b, f"missing element: {first}={a} {second}={b}"
    return "rtl" if a["center"] > b["center"] else "ltr"


def _digits_in_reading_order(label: str, found: dict | None, expected_digits: str | None = None) -> list[str]:
    """The digits, read left to right on screen, are the amount's digits in order (not reversed)."""
    if not found or not found["digits"]:
        return [f"{label}: no price digits found ({found})"]
    problems = []
    lefts = [d["left"] for d in found["digits"]]
    if any(b <= a for a, b in zip(lefts, lefts[1:])):
        problems.append(
            f"{label}: digits of {found['text']!r} are not laid out left to right: "
            f"{[(d['digit'], round(d['left'])) for d in found['digits']]}"
        )
    on_screen = "".join(d["digit"] for d in sorted(found["digits"], key=lambda d: d["left"]))
    if expected_digits is not None and on_screen != expected_digits:
        problems.append(
            f"{label}: reads {on_screen!r} on screen, expected {expected_digits!r} ({found['text']!r})"
        )
    return problems


def _amount_digits(amount: Decimal) -> str:
    return re.sub(r"\D", "", f"{amount:.2f}")


@pytest.mark.parametrize("edition", EDITIONS)
def test_arabic_product_and_checkout_pages_mirror_the_english_layout(browser, shop, edition):
    english = _visit(browser, shop, "en", edition)
    arabic = _visit(browser, shop, "ar", edition)
    assert arabic["html"] == ["ar", "rtl"] and english["html"] == ["en", "ltr"]
    problems: list[str] = []

    def expect(label: str, got: str, want: str, shot: Path) -> None:
        if got != want:
            problems.append(f"{label}: runs {got}, expected {want} (screenshot {shot})")

    for lang, seen in (("en", english), ("ar", arabic)):
        want = "rtl" if lang == "ar" else "ltr"
        for page_name in ("product", "review", "pay"):
            boxes, shot = seen[page_name], seen[f"{page_name}_shot"]
            where = f"[{edition}] {lang} {page_name}"
            # header: the shop's name at the reading start, the cart link after it
            expect(f"{where}: header (a.brand then #cart-link)", _order(boxes, "brand", "cart"), want, shot)
            # the brand sits in the starting half of the page
            start_half = (boxes["brand"]["center"] > boxes["viewport"] / 2) == (lang == "ar")
            if not start_half:
                problems.append(
                    f"{where}: a.brand is not in the {'right' if lang == 'ar' else 'left'} half "
                    f"of the header ({boxes['brand']}) (screenshot {shot})"
                )
            # the language label comes before its select in the market bar
            expect(
                f"{where}: market bar (label then #market-language)",
                _order(boxes, "language_label", "language_select"),
                want,
                shot,
            )
        product, shot = seen["product"], seen["product_shot"]
        expect(
            f"[{edition}] {lang} product: .product-image then .product-summary",
            _order(product, "image", "summary"),
            want,
            shot,
        )
        if abs(product["image"]["top"] - product["summary"]["top"]) > 2:
            problems.append(
                f"[{edition}] {lang} product: picture and buy box are not side by side at 1280px "
                f"({product['image']} / {product['summary']})"
            )
        expect(
            f"[{edition}] {lang} product: breadcrumbs (home then product)",
            _order(product, "breadcrumb_home", "breadcrumb_last"),
            want,
            shot,
        )
        for page_name in ("review", "pay"):
            boxes, shot = seen[page_name], seen[f"{page_name}_shot"]
            for first, second in (("step1", "step2"), ("step2", "step3")):
                expect(
                    f"[{edition}] {lang} {page_name}: .steps ({first} then {second})",
                    _order(boxes, first, second),
                    want,
                    shot,
                )
        # prices: digits in reading order, whatever the page direction
        price = _amount_digits(shop.product.price)
        problems += _digits_in_reading_order(
            f"[{edition}] {lang} product .price-large", seen["product_price"], price
        )
        problems += _digits_in_reading_order(f"[{edition}] {lang} review line total", seen["review_total"])
        problems += _digits_in_reading_order(f"[{edition}] {lang} pay .total-line", seen["pay_total"])

    # the mirror: what is left in English is right in Arabic, about as far from the other edge
    for page_name in ("product", "review", "pay"):
        en, ar = english[page_name], arabic[page_name]
        width = ar["viewport"]
        for name in ("brand", "cart"):
            mirrored = width - ar[name]["right"]
            if abs(mirrored - en[name]["left"]) > 24:
                shots = f"{english[page_name + '_shot']} / {arabic[page_name + '_shot']}"
                problems.append(
                    f"[{edition}] {page_name}: {HEADER[name]} starts {en[name]['left']:.0f}px "
                    f"from the left in English but {mirrored:.0f}px from the right in Arabic "
                    f"(screenshots {shots})"
                )
    assert not problems, f"{len(problems)} mirroring problem(s):\n" + "\n".join(problems)


def _latin_reads_left_to_right(label: str, seen: dict, page_name: str) -> list[str]:
    problems = []
    shot = seen[f"{page_name}_shot"]
    for token in seen.get(f"{page_name}_price_tokens") or []:
        lefts = [left for _char, left in token["chars"]]
        if any(b <= a for a, b in zip(lefts, lefts[1:])):
            shown = "".join(c for c, _left in sorted(token["chars"], key=lambda c: c[1]))
            problems.append(
                f"{label} {page_name}: the price's {token['token']!r} shows as {shown!r} (screenshot {shot})"
            )
    for line in seen.get(f"{page_name}_latin") or []:
        if line["first"] > line["last"]:
            problems.append(
                f"{label} {page_name}: Latin text in <{line['tag']}> reads right to left: "
                f"{line['text'][:60]!r} starts at x={line['first']:.0f}, ends at "
                f"x={line['last']:.0f} (screenshot {shot})"
            )
    return problems


@pytest.mark.parametrize("edition", EDITIONS)
def test_arabic_prices_addresses_and_english_content_stay_readable(browser, shop, edition):
    arabic = _visit(browser, shop, "ar", edition)
    assert arabic["product_price_tokens"], "no Latin currency symbol in the price: choose USD for this test"
    assert arabic["review_latin"], "no Latin-script address on the review page"
    problems: list[str] = []
    for page_name in ("product", "review", "pay"):
        problems += _latin_reads_left_to_right(f"[{edition}] ar", arabic, page_name)
    assert not problems, f"{len(problems)} text(s) hard to read in Arabic:\n" + "\n".join(problems)
