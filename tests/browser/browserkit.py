"""Helpers for the browser tests (imported by conftest.py and the test modules): editions, signing in,
axe-core runs and their per-edition tally, and focus inspection."""

from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import dataclass, field

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic",
                 "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost"]
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
    from storefront.checkout.models import Order

    call_command("seed_demo", limit=12, no_reviews=True, no_images=bool(_IMAGES), stdout=open(os.devnull, "w"))
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
    for i, (rating, title) in enumerate([(5, "Great value"), (4, "Good")]):
        reviewer = User.objects.create(username=f"reviewer{i}", first_name=f"Reviewer {i}")
        Review.objects.create(product=main, user=reviewer, rating=rating, title=title, body="Does the job well.")
    Product.objects.filter(pk=main.pk).update(rating_average=4.5, rating_count=2)
    user = User.objects.get(username=SHOPPER)
    order = Order.objects.filter(user=user).first()
    fresh = {p.pk: p for p in Product.objects.all()}
    return dict(product=fresh[main.pk], other=fresh[other.pk], last_one=fresh[last_one.pk],
                sold_out=fresh[sold_out.pk], category_slug="fruit", order_number=order.number if order else "",
                user=user, products=list(fresh.values()))


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


def run_axe(page, edition: str, label: str) -> list[str]:
    """Run axe-core on the page as it is now; record it for the summary and return readable violations."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options=axe_options(edition))
    violations = results.response["violations"]
    problems = []
    for v in violations:
        for node in v["nodes"]:
            problems.append(f"[{edition}] {label} ({page.url}): {v['id']} ({v['impact']}) at "
                            f"{', '.join(str(t) for t in node['target'])} – {v['help']}"
                            f"{(' – ' + node.get('failureSummary', '').splitlines()[-1].strip()) if node.get('failureSummary') else ''}")
    row = AXE_RESULTS[edition]
    row["pages"] += 1
    row["violations"] += sum(len(v["nodes"]) for v in violations)
    if violations:
        row["failing"].append(label)
    return problems


# --- focus ------------------------------------------------------------------------------------------------

FOCUS_STATE_JS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const s = getComputedStyle(el);
  const r = el.getBoundingClientRect();
  return {
    tag: el.tagName.toLowerCase(), id: el.id || "", type: el.getAttribute("type") || "",
    name: el.getAttribute("name") || "", text: (el.innerText || el.value || el.getAttribute("aria-label") || "").trim().slice(0, 80),
    href: el.getAttribute("href") || "", tabindex: el.getAttribute("tabindex"),
    outlineStyle: s.outlineStyle, outlineWidth: parseFloat(s.outlineWidth) || 0, boxShadow: s.boxShadow,
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
    for step in range(1, max_steps + 1):
        page.keyboard.press(key)
        state = focus_state(page)
        where = f"after {step} x {key} on {page.url}"
        assert state is not None, f"focus was lost to the document body {where}"
        assert focus_is_visible(state), f"no visible focus indicator {where}: {state}"
        assert state["width"] > 0 and state["height"] > 0, f"focus is on an invisible element {where}: {state}"
        if trail is not None:
            trail.append(state)
        if match(state):
            return state
    raise AssertionError(f"never reached the wanted element with {max_steps} x {key} on {page.url}")


def press_and_wait(page, key: str, url_part: str | None = None) -> None:
    """Press a key that should navigate, and wait for the new page."""
    with page.expect_navigation():
        page.keyboard.press(key)
    page.wait_for_load_state()
    if url_part:
        assert url_part in page.url, f"expected {url_part} in {page.url}"
