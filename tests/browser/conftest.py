"""Real-browser fixtures: Debian's Chromium through Playwright, a seeded live server, axe-core and focus helpers.

Every test in this folder is marked `browser`. Without /usr/bin/chromium the tests skip locally and fail
under CI=true. The axe results of the crawl are summed per edition and printed at the end of the run.
"""

from __future__ import annotations

import os
import shutil
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic",
                 "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost"]
EDITIONS = ["standard", "elder", "screen-reader", "cross-border"]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
HERE = Path(__file__).parent

# The demo shopper made by `seed_demo` (saved address, saved card, one delivered order).
SHOPPER = "shopper"
SHOPPER_PASSWORD = "basket-demo-2026"


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def pytest_collection_modifyitems(config, items):
    for item in items:
        if HERE in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(autouse=True, scope="session")
def _require_chromium():
    if not os.path.exists(CHROMIUM):
        message = f"{CHROMIUM} is missing: install Debian's chromium package (apt-get install -y chromium)"
        if in_ci():
            pytest.fail(f"CI=true: {message}", pytrace=False)
        pytest.skip(message)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1280, "height": 900}, "locale": "en-US"}


# --- settings and data -----------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def _media_root(tmp_path_factory):
    return tmp_path_factory.mktemp("browser-media")


@pytest.fixture(autouse=True)
def _test_settings(settings, _media_root):
    """Overrides the shared one: product images must outlive a single test (they are drawn once)."""
    settings.MEDIA_ROOT = _media_root
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.AXES_ENABLED = True


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


@pytest.fixture
def shop(live_server, _test_settings) -> Shop:
    return Shop(url=live_server.url, **seed_catalogue())


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


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if not AXE_RESULTS:
        return
    tr = terminalreporter
    tr.section("axe-core per edition (WCAG 2.2 A/AA; elder also AAA contrast)")
    tr.write_line(f"{'edition':<14} | {'pages checked':>13} | {'violations':>10}")
    tr.write_line(f"{'-' * 14}-+-{'-' * 13}-+-{'-' * 10}")
    for edition in EDITIONS:
        if edition in AXE_RESULTS:
            row = AXE_RESULTS[edition]
            tr.write_line(f"{edition:<14} | {row['pages']:>13} | {row['violations']:>10}")
            if row["failing"]:
                tr.write_line(f"{'':<14}   failing pages: {', '.join(row['failing'])}")


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
