"""The elder edition's first screen (issue 17), in real Chromium at a phone's 390x844 and at 1280x900.

On a product page the name, the price, the stock and the primary action ("Buy" for a shopper set up for one-click,
"Add to cart" for everyone) are inside the first screen; on a category and on search results the first result is.
Settings (language, currency, shop edition) sit behind one labelled disclosure that works with JavaScript off.
Screenshots of each first screen are saved in tests/browser/artifacts/elder-first-screen/ (SCREENSHOT_DIR to move
them; ignored by git), named <page>-<size>-<js|no-js>.png.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from browserkit import EDITIONS, new_context, run_axe, set_edition, sign_in, small_targets
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

SCREENSHOT_DIR = (
    Path(os.environ.get("SCREENSHOT_DIR") or Path(__file__).parent / "artifacts") / "elder-first-screen"
)
SIZES = {"phone-390x844": {"width": 390, "height": 844}, "desktop-1280x900": {"width": 1280, "height": 900}}

BOX_JS = """(selector) => {
  const el = document.querySelector(selector);
  if (!el) return null;
  const r = el.getBoundingClientRect();
  return {top: r.top + window.scrollY, bottom: r.bottom + window.scrollY, width: r.width, height: r.height};
}"""


def _first_screen_misses(page, selectors: dict[str, str]) -> list[str]:
    """The named parts whose box is not wholly inside the first screen (the viewport, not scrolled)."""
    height = page.viewport_size["height"]
    misses = []
    for name, selector in selectors.items():
        box = page.evaluate(BOX_JS, selector)
        if box is None or box["height"] == 0:
            misses.append(f"{name} ({selector}) is missing or not shown")
        elif box["top"] < 0 or box["bottom"] > height:
            misses.append(
                f"{name} ({selector}) at {box['top']:.0f}-{box['bottom']:.0f} px, screen {height} px"
            )
    return misses


# name, price, stock and the primary action; signed in, "Buy" as well
PRODUCT = {
    "name": "#product-title",
    "price": ".product-summary .price",
    "stock": ".product-summary .stock",
    "Add to cart": "form.buy-form button[type=submit]",
}
LISTING = {
    "first result's name": ".results .product-card .product-name",
    "first result's price": ".results .product-card .price",
}


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("size", SIZES, ids=list(SIZES))
def test_elder_first_screen_shows_what_matters(browser, shop, size, javascript):
    context = new_context(browser, viewport=SIZES[size], java_script_enabled=javascript)
    page = context.new_page()
    misses: list[str] = []
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    try:
        set_edition(page, shop, "elder")

        def look(label: str, path: str, selectors: dict[str, str]) -> None:
            page.goto(shop(path))
            page.screenshot(
                path=str(SCREENSHOT_DIR / f"{label}-{size}-{'js' if javascript else 'no-js'}.png")
            )
            misses.extend(f"{label}: {miss}" for miss in _first_screen_misses(page, selectors))
            misses.extend(f"{label}: target under 48x48px: {x}" for x in small_targets(page, 48))
            if javascript:
                misses.extend(run_axe(page, "elder", f"{label} ({size})", record=False))

        look("product", f"/product/{shop.product.slug}/", PRODUCT)
        look("category", f"/category/{shop.category_slug}/", LISTING)
        look("search", f"/search/?q={shop.product.name.split()[-1]}", LISTING)
        sign_in(page, shop)  # the demo shopper is set up for one-click: "Buy" is the primary action
        look(
            "product (signed in)",
            f"/product/{shop.product.slug}/",
            {**PRODUCT, "Buy": ".oneclick .buy-now-form button"},
        )
        look("category (signed in)", f"/category/{shop.category_slug}/", LISTING)
    finally:
        context.close()
    assert not misses, f"screenshots in {SCREENSHOT_DIR}\n" + "\n".join(misses)


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_elder_settings_sit_behind_one_labelled_button_and_the_menu_at_the_foot(browser, shop, javascript):
    context = new_context(browser, viewport=SIZES["phone-390x844"], java_script_enabled=javascript)
    page = context.new_page()
    set_edition(page, shop, "elder")
    page.goto(shop(f"/product/{shop.product.slug}/"))
    settings = page.locator("details.elder-settings")
    expect(settings).to_have_count(1)
    expect(settings.locator("summary")).to_have_text("Settings")
    for hidden in ("#market-language", "#market-currency", ".edition-switcher"):
        expect(page.locator(hidden)).to_be_hidden()
    assert page.locator(".market-bar:visible").count() == 0  # no bar of its own outside the disclosure
    settings.locator("summary").click()
    expect(page.locator("#market-language")).to_be_visible()
    expect(page.locator("#market-currency")).to_be_visible()
    expect(page.get_by_role("button", name="Standard")).to_be_visible()
    assert not small_targets(page, 48), small_targets(page, 48)
    # the settings still work from inside it: the currency changes and the page comes back
    page.select_option("#market-currency", "KRW")
    with page.expect_navigation():
        page.get_by_role("button", name="Show prices").click()
    assert f"/product/{shop.product.slug}/" in page.url
    assert {c["name"]: c["value"] for c in context.cookies()}.get("currency") == "KRW"
    # "Menu" goes to the menu at the foot of the page
    page.get_by_role("link", name="Menu").click()
    menu = page.get_by_role("navigation", name="Menu")
    expect(menu.get_by_role("link", name="My orders")).to_be_visible()
    expect(menu.get_by_role("link", name="Help")).to_be_in_viewport()
    if javascript:
        assert not run_axe(page, "elder", "product, settings open (phone)", record=False)
    context.close()


@pytest.mark.parametrize("edition", [e for e in EDITIONS if e != "elder"])
def test_the_other_editions_keep_their_header(browser, shop, edition):
    """The elder header is the elder edition's own: the others still show the edition switcher, the market bar
    and their navigation rows, and have no settings disclosure or foot menu."""
    context = new_context(browser, viewport=SIZES["phone-390x844"])
    page = context.new_page()
    set_edition(page, shop, edition)
    page.goto(shop(f"/product/{shop.product.slug}/"))
    expect(page.locator(".edition-switcher")).to_be_visible()
    expect(page.locator("#market-language")).to_be_visible()
    expect(page.locator("header .main-nav")).to_be_visible()
    expect(page.locator("details.elder-settings, #site-menu")).to_have_count(0)
    context.close()


@pytest.mark.parametrize("size", SIZES, ids=list(SIZES))
def test_elder_cancel_confirmation_and_address_book_targets_and_axe(browser, shop, size):
    """The pages added or changed for issue 17, at both sizes: 48x48 px targets and axe-clean."""
    from storefront.checkout import oneclick

    context = new_context(browser, viewport=SIZES[size])
    page = context.new_page()
    problems: list[str] = []
    try:
        set_edition(page, shop, "elder")
        sign_in(page, shop)
        order = oneclick.buy(
            user=shop.user, lines=oneclick.buy_now_lines(shop.other, 2), idempotency_key=oneclick.new_key()
        )
        for label, path in (
            ("order with cancel", order.get_absolute_url()),
            ("cancel: are you sure?", f"/orders/{order.number}/cancel/?next={order.get_absolute_url()}"),
            ("address book, back to the product", f"/account/addresses/?next=/product/{shop.product.slug}/"),
        ):
            page.goto(shop(path))
            problems.extend(f"{label}: target under 48x48px: {x}" for x in small_targets(page, 48))
            problems.extend(run_axe(page, "elder", f"{label} ({size})", record=False))
        page.goto(shop(order.get_absolute_url()))
        with page.expect_navigation():
            page.get_by_role("button", name="Cancel this order").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(f"Cancel order {order.number}?")
        with page.expect_navigation():
            page.get_by_role("link", name="No, keep my order").click()
        assert page.url.endswith(order.get_absolute_url())
        order.refresh_from_db()
        assert order.status == order.Status.PAID
    finally:
        context.close()
    assert not problems, "\n".join(problems)
