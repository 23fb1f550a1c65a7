"""Helpers for the browser tests (imported by conftest.py and the test modules): editions, signing in,
axe-core runs and their per-edition tally, and focus inspection."""

from __future__ import annotations

import io
import os
from collections import defaultdict
from dataclasses import dataclass, field

import pytest

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
EDITIONS = ["standard", "elder", "screen-reader", "cross-border"]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

# The demo shopper made by `seed_demo` (saved address, saved card, one delivered order).
SHOPPER = "shopper"
SHOPPER_PASSWORD = "basket-demo-2026"

_IMAGES: dict[str, dict] = {}


@dataclass
class Shop:
    url: str
    product: object  # in stock, several left, has reviews
    last_one: object  # stock 1
    sold_out: object
    other: object  # a second product in the same category
    category_slug: str
    order_number: str
    user: object
    products: list = field(default_factory=list)

    def __call__(self, path: str) -> str:
        return self.url + path


def seed_catalogue():
    """A small catalogue (12 products, images drawn once per session), one product with 1 left, one sold out,
    reviews on the main product, and the demo shopper with an address, a saved card and a delivered order."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from storefront.catalog.models import Product, Review

    call_command(
        "seed_demo",
        limit=12,
        no_reviews=True,
        no_images=bool(_IMAGES),
        draw_images=not _IMAGES,
        stdout=io.StringIO(),
    )
    if _IMAGES:
        for slug, variants in _IMAGES.items():
            Product.objects.filter(slug=slug).update(image_variants=variants)
    else:
        _IMAGES.update(dict(Product.objects.values_list("slug", "image_variants")))
    products = list(Product.objects.filter(category__slug="fruit").order_by("id"))
    main, other, last_one, sold_out = products[0], products[1], products[2], products[3]
    Product.objects.filter(pk=main.pk).update(stock=20)
    Product.objects.filter(pk=other.pk).update(stock=20)
    Product.objects.filter(pk=last_one.pk).update(stock=1)
    Product.objects.filter(pk=sold_out.pk).update(stock=0)
    User = get_user_model()
    for i, (rating, title) in enumerate([(5, "Great value"), (5, "Lovely"), (4, "Good"), (4, "Fine")]):
        reviewer = User.objects.create(username=f"reviewer{i}", first_name=f"Reviewer {i}")
        Review.objects.create(
            product=main, user=reviewer, rating=rating, title=title, body="Does the job well."
        )
    Product.objects.filter(pk=main.pk).update(rating_average=4.5, rating_count=4)
    # the home page features products with 3+ reviews
    Product.objects.filter(pk__in=[other.pk, last_one.pk]).update(rating_average=4, rating_count=3)
    user, order = _shopper(User)
    fresh = {p.pk: p for p in Product.objects.all()}
    return dict(
        product=fresh[main.pk],
        other=fresh[other.pk],
        last_one=fresh[last_one.pk],
        sold_out=fresh[sold_out.pk],
        category_slug="fruit",
        order_number=order.number,
        user=user,
        products=list(fresh.values()),
    )


def _shopper(User):
    """The demo shopper with a known password, a saved address, a saved card and one delivered order (made by
    seed_demo; made here if seed_demo ever stops making them)."""
    from datetime import date

    from django.utils import timezone

    from storefront.accounts.models import Address, SavedPaymentMethod
    from storefront.catalog.models import Product
    from storefront.checkout import payments, placement
    from storefront.checkout.gateways import get_gateway
    from storefront.checkout.gateways.base import CardDetails
    from storefront.checkout.models import Order

    user, _ = User.objects.get_or_create(
        username=SHOPPER, defaults={"email": "shopper@example.com", "first_name": "Min-jun"}
    )
    user.set_password(SHOPPER_PASSWORD)
    user.save()
    address = user.addresses.first() or Address.objects.create(
        user=user,
        full_name="Min-jun Kim",
        street_address="1600 Amphitheatre Parkway",
        city="Mountain View",
        country_area="CA",
        postal_code="94043",
        country="US",
        is_default=True,
    )
    token = get_gateway().tokenize(CardDetails("4242424242424242", 12, date.today().year + 3, "123"))
    if not SavedPaymentMethod.objects.filter(user=user).exists():
        SavedPaymentMethod.objects.create(
            user=user,
            token=token.token,
            brand=token.brand,
            last4=token.last4,
            exp_month=token.exp_month,
            exp_year=token.exp_year,
            is_default=True,
        )
    order = Order.objects.filter(user=user).first()
    if order is None:
        product = Product.objects.filter(stock__gt=5).order_by("-id").first()
        order, _ = placement.place_order(
            user=user,
            lines=[placement.WantedLine(product.pk, 1)],
            address=address.as_snapshot(),
            idempotency_key="browser-tests-order",
            payment_method_label="Visa •••• 4242",
        )
        order = payments.collect(order, token.token)
        now = timezone.now()
        Order.objects.filter(pk=order.pk).update(
            status=Order.Status.DELIVERED, shipped_at=now, delivered_at=now
        )
    return user, order


# --- launch fixtures (imported by tests/browser/conftest.py and by browser tests elsewhere) ---------------


@pytest.fixture(autouse=True, scope="session")
def require_chromium():
    """Without Debian's Chromium: skip locally, fail under CI=true."""
    if not os.path.exists(CHROMIUM):
        message = f"{CHROMIUM} is missing: install Debian's chromium package (apt-get install -y chromium)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true: {message}", pytrace=False)
        pytest.skip(message)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


# --- browser helpers --------------------------------------------------------------------------------------


def new_context(browser, **kwargs):
    args = {"viewport": {"width": 1280, "height": 900}, "locale": "en-US", **kwargs}
    ctx = browser.new_context(**args)
    ctx.set_default_timeout(10_000)
    ctx.set_default_navigation_timeout(20_000)
    return ctx


def set_edition(page, shop: Shop, slug: str) -> None:
    page.goto(shop(f"/?edition={slug}"))
    assert f"edition-{slug}" in (page.get_attribute("html", "class") or "")


def sign_in(page, shop: Shop, next_path: str = "") -> None:
    page.goto(shop("/account/signin/" + (f"?next={next_path}" if next_path else "")))
    page.fill("#id_username", SHOPPER)
    page.fill("#id_password", SHOPPER_PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()


# --- axe --------------------------------------------------------------------------------------------------

AXE_RESULTS: dict[str, dict] = defaultdict(lambda: {"pages": 0, "violations": 0, "failing": []})


def axe_options(edition: str) -> dict:
    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
    if edition == "elder":
        options["rules"] = {"color-contrast-enhanced": {"enabled": True}}
    return options


def run_axe(page, edition: str, label: str, record: bool = True) -> list[str]:
    """Run axe-core on the page as it is now; record it for the summary and return readable violations."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options=axe_options(edition))
    violations = results.response["violations"]
    problems = []
    for v in violations:
        for node in v["nodes"]:
            summary = " ".join(line.strip() for line in (node.get("failureSummary") or "").splitlines()[1:])
            problems.append(
                f"[{edition}] {label} ({page.url}): {v['id']} ({v['impact']}) at "
                f"{', '.join(str(t) for t in node['target'])} – {v['help']}"
                f"{' – ' + summary if summary else ''}"
            )
    if not record:
        return problems
    row = AXE_RESULTS[edition]
    row["pages"] += 1
    row["violations"] += sum(len(v["nodes"]) for v in violations)
    if violations:
        row["failing"].append(label)
    return problems


# --- HTML_CodeSniffer (pa11y's engine), the second engine beside axe --------------------------------------

HTMLCS_RESULTS: dict[str, dict] = defaultdict(lambda: {"pages": 0, "errors": 0, "warnings": 0})
HTMLCS_RUN = """(standard) => new Promise((resolve) => {
  HTMLCS.process(standard, document, () => {
    resolve(HTMLCS.getMessages().filter((m) => m.type <= HTMLCS.WARNING).map((m) => ({
      type: m.type === HTMLCS.ERROR ? "error" : "warning", code: m.code, msg: m.msg,
      html: ((m.element && m.element.outerHTML) || "").slice(0, 160)})));
  }, () => resolve([{type: "error", code: "htmlcs-failed", msg: "HTML_CodeSniffer did not run", html: ""}]), "en");
})"""


def run_htmlcs(page, edition: str, label: str) -> list[str]:
    """HTML_CodeSniffer's WCAG 2 AA errors on the page as it is now (injected like axe, so the page's CSP does
    not block it), minus the reviewed exceptions; warnings are only counted for the summary."""
    import sys
    from pathlib import Path

    tools = Path(__file__).resolve().parent.parent / "tools"
    sys.path.insert(0, str(tools))
    from checkers import HTMLCS_JS, excepted, load_exceptions, require

    require(HTMLCS_JS.exists(), f"{HTMLCS_JS} is missing: run bash .ci/node-tools")
    if not page.evaluate("() => typeof window.HTMLCS !== 'undefined'"):
        page.evaluate(HTMLCS_JS.read_text() + "\n;window.HTMLCS = HTMLCS; true")
    messages = page.evaluate(HTMLCS_RUN, "WCAG2AA")
    exceptions = load_exceptions(Path(__file__).parent / "htmlcs-exceptions.txt")
    errors = [
        m for m in messages if m["type"] == "error" and not excepted(f"{m['code']} {m['msg']}", exceptions)
    ]
    row = HTMLCS_RESULTS[edition]
    row["pages"] += 1
    row["errors"] += len(errors)
    row["warnings"] += sum(m["type"] == "warning" for m in messages)
    return [
        f"[{edition}] {label} ({page.url}): HTML_CodeSniffer {m['code']}: {m['msg']} at {m['html']}"
        for m in errors
    ]


# --- focus ------------------------------------------------------------------------------------------------

FOCUS_STATE_JS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const s = getComputedStyle(el);
  const r = el.getBoundingClientRect();
  return {
    tag: el.tagName.toLowerCase(), id: el.id || "", type: el.getAttribute("type") || "",
    name: el.getAttribute("name") || "",
    text: (el.innerText || el.value || el.getAttribute("aria-label") || "").trim().slice(0, 80),
    href: el.getAttribute("href") || "", tabindex: el.getAttribute("tabindex"),
    outlineStyle: s.outlineStyle, outlineWidth: parseFloat(s.outlineWidth) || 0,
    boxShadow: s.boxShadow,
    width: r.width, height: r.height,
  };
}"""


def focus_state(page) -> dict | None:
    return page.evaluate(FOCUS_STATE_JS)


def focus_is_visible(state: dict | None) -> bool:
    if not state:
        return False
    outline = state["outlineStyle"] not in ("none", "") and state["outlineWidth"] > 0
    shadow = state["boxShadow"] not in ("none", "")
    return outline or shadow


# --- keyboard ---------------------------------------------------------------------------------------------


def by_id(element_id: str):
    return lambda s: s is not None and s["id"] == element_id


def by_text(text: str, tag: str | None = None):
    return lambda s: s is not None and text.lower() in s["text"].lower() and (tag is None or s["tag"] == tag)


def by_href(fragment: str):
    return lambda s: s is not None and fragment in s["href"]


def by_name(name: str, value_type: str | None = None):
    return lambda s: s is not None and s["name"] == name and (value_type is None or s["type"] == value_type)


def tab_to(page, match, *, backwards: bool = False, max_steps: int = 120, trail: list | None = None) -> dict:
    """Press Tab (or Shift+Tab) until the focused element matches; every element focused on the way must
    show a visible focus indicator (outline or box-shadow) and have a size."""
    key = "Shift+Tab" if backwards else "Tab"
    state = focus_state(page)
    if state is not None and match(state):  # already there (autofocus)
        assert focus_is_visible(state), f"no visible focus indicator on the autofocused element: {state}"
        return state
    wrapped = False
    for step in range(1, max_steps + 1):
        page.keyboard.press(key)
        state = focus_state(page)
        where = f"after {step} x {key} on {page.url}"
        if state is None and not wrapped:  # past the end of the document: the next Tab starts at the top
            wrapped = True
            continue
        assert state is not None, f"focus was lost to the document body {where}"
        assert focus_is_visible(state), f"no visible focus indicator {where}: {state}"
        assert state["width"] > 0 and state["height"] > 0, f"focus on an invisible element {where}: {state}"
        if trail is not None:
            trail.append(state)
        if match(state):
            return state
    raise AssertionError(f"never reached the wanted element with {max_steps} x {key} on {page.url}")


def htmx_settled(page, selector: str) -> None:
    """Wait until `selector` is on the page and htmx has settled what it swapped in: new content is marked
    htmx-added until htmx has wired it up (~20 ms after the swap), and a change made before that triggers
    nothing."""
    page.wait_for_function(
        "(selector) => document.querySelector(selector) && !document.querySelector('.htmx-added')",
        arg=selector,
    )


def press_and_wait(page, key: str, url_part: str | None = None) -> None:
    """Press a key that should navigate, and wait for the new page."""
    with page.expect_navigation():
        page.keyboard.press(key)
    page.wait_for_load_state()
    if url_part:
        assert url_part in page.url, f"expected {url_part} in {page.url}"


# --- elder edition measurements ---------------------------------------------------------------------------

SMALL_TARGETS_JS = """(min) => {
  const out = [];
  const seen = new Set();
  const selector = "a[href], button, input:not([type=hidden]), select, textarea, summary, " +
                   "[tabindex]:not([tabindex='-1'])";
  for (const el of document.querySelectorAll(selector)) {
    const s = getComputedStyle(el);
    if (s.visibility === "hidden" || s.display === "none") continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;  // not rendered (hidden, closed <details>)
    if (el.closest(".visually-hidden")) continue;
    // the skip link is off-screen until focused (its focused size is tested on its own)
    if (el.classList.contains("skip-link") && r.bottom < 0) continue;
    if (r.width + 0.5 < min || r.height + 0.5 < min) {
      const label = (el.innerText || el.value || el.getAttribute("aria-label") || el.name || "")
        .trim().slice(0, 50);
      const key = el.tagName + label + Math.round(r.width) + "x" + Math.round(r.height);
      if (seen.has(key)) continue;
      seen.add(key);
      const tag = el.tagName.toLowerCase() + (el.type ? " type=" + el.type : "");
      out.push(`<${tag}> "${label}" ${Math.round(r.width)}x${Math.round(r.height)}`);
    }
  }
  return out;
}"""

SMALL_TEXT_JS = """(min) => {
  const out = [];
  const seen = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (!node.textContent.trim()) continue;
    const el = node.parentElement;
    if (!el || el.closest("script, style, template, [hidden], .visually-hidden")) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    const s = getComputedStyle(el);
    if (s.display === "none" || s.visibility === "hidden") continue;
    const size = parseFloat(s.fontSize);
    if (size + 0.01 < min) {
      const key = el.tagName + size + node.textContent.trim().slice(0, 40);
      if (seen.has(key)) continue;
      seen.add(key);
      const tag = el.tagName.toLowerCase() + (el.className ? "." + el.className : "");
      out.push(`<${tag}> ${size}px "${node.textContent.trim().slice(0, 40)}"`);
    }
  }
  return out;
}"""


def small_targets(page, minimum: int = 48) -> list[str]:
    return page.evaluate(SMALL_TARGETS_JS, minimum)


def small_text(page, minimum: float = 18) -> list[str]:
    return page.evaluate(SMALL_TEXT_JS, minimum)


# --- the page walk ------------------------------------------------------------------------------------


def ui_text(text: str, language: str | None = None) -> str:
    """An interface text (a msgid) as the shop shows it in `language` (None or "en": the English itself), for
    finding buttons by their accessible name in a translated page."""
    if not language or language == "en":
        return text
    from django.utils import translation

    with translation.override(language):
        return translation.gettext(text)


def walk_pages(page, shop, edition: str, visit, language: str | None = None) -> list[str]:
    """Visit every page type of the URL contract as a shopper would (signed out, then signed in with a cart
    and a chosen address); call `visit(label)` on each. Returns the labels visited.

    `language`: the pages' language, for the buttons found by name (the caller sets the django_language cookie
    on the browser context); None: English."""
    checked: list[str] = []
    exact = bool(language) and language != "en"  # 이 주소로 배송 is also inside 저장하고 이 주소로 배송

    def check(label: str, path: str | None = None, status: int | None = 200) -> None:
        if path is not None:
            response = page.goto(shop(path))
            if status is not None:
                got = response.status if response else None
                assert got == status, f"{label}: {path} answered {got}, expected {status}"
        html_class = page.get_attribute("html", "class") or ""
        assert f"edition-{edition}" in html_class, f"{label}: lost the edition ({html_class})"
        checked.append(label)
        visit(label)

    set_edition(page, shop, edition)
    check("home")
    check("category", f"/category/{shop.category_slug}/")
    check("category (filtered)", f"/category/{shop.category_slug}/?min_price=abc&in_stock=on&sort=price")
    check("search", "/search/?q=apple")
    combobox = page.locator("input#site-search-q[role=combobox]")
    if combobox.count():  # editions with search suggestions: the open listbox, an option highlighted
        combobox.fill("")
        combobox.press_sequentially(shop.product.name.split()[-1][:4], delay=30)
        page.locator("#search-suggestions [role=option]").first.wait_for(state="visible")
        combobox.press("ArrowDown")
        check("search suggestions (open)")
        combobox.press("Escape")
    page.goto(shop(f"/category/{shop.category_slug}/"))
    if page.locator(".filters-summary").is_visible():  # phones: the filters sit behind a disclosure
        page.locator(".filters-summary").click()
        check("category (filters opened)")
    page.locator("form.filters input[name=in_stock]").check()
    page.locator("form.filters button[type=submit]").click()
    page.wait_for_url("**in_stock=on**")
    page.locator("#results-heading").wait_for()
    check("category (filtered with htmx)")
    check("search (no query)", "/search/")
    check("search (no results)", "/search/?q=zzzzqqqq")
    check("product", f"/product/{shop.product.slug}/")
    check("product (sold out)", f"/product/{shop.sold_out.slug}/")
    if edition != "elder":  # the elder edition has no compare feature, but the page still exists
        page.goto(shop(f"/product/{shop.product.slug}/"))
        with page.expect_navigation():
            page.get_by_role("button", name=ui_text("Add to comparison", language), exact=exact).click()
        page.goto(shop(f"/product/{shop.other.slug}/"))
        with page.expect_navigation():
            page.get_by_role("button", name=ui_text("Add to comparison", language), exact=exact).click()
    check("compare", "/compare/")
    check("cart (empty)", "/cart/")
    # add to cart as a plain form post (the htmx path is tested in test_live_region)
    page.goto(shop(f"/product/{shop.product.slug}/"))
    page.fill("#qty", "2")
    with page.expect_navigation():
        page.evaluate("() => document.querySelector('form.buy-form').submit()")
    check("product (after add)")
    page.locator("form.buy-form button[type=submit]").click()  # htmx: status message and live region
    page.locator("#cart-status .message").wait_for()
    check("product (after htmx add)")
    check("cart", "/cart/")
    check("sign in", "/account/signin/")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    check("sign in (errors)", None)
    check("sign up", "/account/signup/")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    check("sign up (errors)", None)
    check("password reset", "/account/password-reset/")
    check("editions", "/editions/")
    check("404", "/no-such-page/", status=404)
    sign_in(page, shop, "/checkout/address/")
    check("checkout address", "/checkout/address/")
    with page.expect_navigation():
        page.get_by_role("button", name=ui_text("Deliver to this address", language), exact=exact).click()
    assert page.url.endswith("/checkout/review/")
    check("checkout review")
    check("checkout pay", "/checkout/pay/")
    page.check("input[name=method][value=new]")
    with page.expect_navigation():
        page.locator("form.pay-form button[type=submit]").click()
    check("checkout pay (errors)", None)
    if shop.order_number:
        check("confirmation", f"/checkout/confirmation/{shop.order_number}/")
        check("order detail", f"/orders/{shop.order_number}/")
    check("orders", "/orders/")
    check("account", "/account/")
    check("addresses", "/account/addresses/")
    with page.expect_navigation():
        page.locator("main form.address-form button.button-primary[type=submit]").click()
    check("addresses (errors)", None)
    # Korea with htmx: the country's fields, then a province's cities in the city box's list
    address_form = page.locator("main form.address-form")
    with page.expect_response(lambda response: response.request.method == "POST"):
        address_form.locator("select[name=country]").select_option("KR")
    htmx_settled(page, "select[name=country_area] option[value='부산광역시']")
    with page.expect_response(lambda response: response.request.method == "POST"):
        address_form.locator("select[name=country_area]").select_option("부산광역시")
    page.locator("#id_city-options option[value='해운대구']").wait_for(state="attached")
    check("addresses (Korea, a province's cities)", None)
    if shop.order_number:  # a return: its form (and errors), the refund preview, the return page, its label
        check("return start", f"/orders/{shop.order_number}/return/")
        with page.expect_navigation():
            page.locator("main form button[name=review]").click()
        check("return start (errors)", None)
        page.locator("main form select[name^=qty_]").first.select_option("1")
        page.check("main input[name=reason][value=damaged]")
        with page.expect_navigation():
            page.locator("main form button[name=review]").click()
        check("return review", None)
        with page.expect_navigation():
            page.locator("main form button[name=confirm]").click()
        check("return detail", None)
        label = page.locator("main a[href$='/label/']").first.get_attribute("href")
        with page.expect_navigation():
            page.locator("main form button[type=submit]").click()  # no tracking code yet
        check("return detail (errors)", None)
        check("return label", label)
        check("order detail (with a return)", f"/orders/{shop.order_number}/")
    check("404 (signed in)", "/product/no-such-product/", status=404)
    return checked


LOW_CONTRAST_JS = """(minimum) => {
  // WCAG relative luminance contrast of each visible text against the first opaque background behind it.
  const parse = (c) => { const m = c.match(/[\\d.]+/g) || []; return m.map(Number); };
  const lum = ([r, g, b]) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const background = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c.length >= 3 && (c.length < 4 || c[3] > 0.99)) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const out = [];
  const seen = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const el = node.parentElement;
    if (!node.textContent.trim() || !el) continue;
    if (el.closest("script, style, template, [hidden], .visually-hidden")) continue;
    const r = el.getBoundingClientRect();
    const s = getComputedStyle(el);
    if (r.width === 0 || r.height === 0 || s.visibility === "hidden" || parseFloat(s.opacity) === 0) continue;
    const fg = parse(s.color).slice(0, 3);
    const bg = background(el);
    const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
    const ratio = (a + 0.05) / (b + 0.05);
    if (ratio + 0.005 < minimum) {
      const key = s.color + "/" + bg.join(",");
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(`"${node.textContent.trim().slice(0, 30)}" ${s.color} on rgb(${bg.join(", ")}) = ` +
               `${ratio.toFixed(2)}:1`);
    }
  }
  return out;
}"""


def low_contrast_text(page, minimum: float = 7.0) -> list[str]:
    """Text under `minimum`:1 against its nearest opaque background (solid colours only)."""
    return page.evaluate(LOW_CONTRAST_JS, minimum)
