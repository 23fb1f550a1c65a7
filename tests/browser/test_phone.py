"""A shopper on a phone (390 CSS px): results before filters, the cart's thumbnails and free-delivery nudge,
the back-in-stock form; each page axe-clean as a phone shows it."""

from __future__ import annotations

import pytest
from browserkit import new_context, run_axe, set_edition
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def _top(page, selector: str) -> float:
    return page.locator(selector).first.bounding_box()["y"]


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_on_a_phone_results_come_first_and_filters_open_from_a_disclosure(browser, shop, javascript):
    context = new_context(browser, viewport=PHONE, java_script_enabled=javascript)
    page = context.new_page()
    set_edition(page, shop, "standard")
    page.goto(shop(f"/category/{shop.category_slug}/"))
    summary = page.locator("summary.filters-summary")
    expect(summary).to_have_text("Filter and sort")
    expect(page.locator("form.filters")).to_be_hidden()
    # Only the one-line disclosure and the results heading sit between the page title and the first result
    # (the expanded form used to push it ~700 px further down).
    box = summary.bounding_box()
    assert 0 < _top(page, ".product-card") - (box["y"] + box["height"]) < 150
    if javascript:
        assert not run_axe(page, "standard", "category (phone, filters closed)", record=False)
    summary.click()
    expect(page.get_by_label("In stock only")).to_be_visible()
    page.get_by_label("In stock only").check()
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**in_stock=on**")
    page.locator("#results-heading").wait_for()
    assert shop.sold_out.name not in page.locator("#results").inner_text()
    if javascript:
        assert not run_axe(page, "standard", "category (phone, filters open)", record=False)
    context.close()


def test_on_a_desktop_the_filters_stay_beside_the_results(browser, shop):
    context = new_context(browser)
    page = context.new_page()
    page.goto(shop(f"/category/{shop.category_slug}/"))
    expect(page.locator("summary.filters-summary")).to_be_hidden()
    expect(page.get_by_label("In stock only")).to_be_visible()
    context.close()


def test_phone_cart_shows_thumbnails_and_the_free_delivery_nudge(browser, shop):
    context = new_context(browser, viewport=PHONE)
    page = context.new_page()
    set_edition(page, shop, "standard")
    page.goto(shop(f"/product/{shop.product.slug}/"))
    with page.expect_navigation():
        page.evaluate("() => document.querySelector('form.buy-form').submit()")
    page.goto(shop("/cart/"))
    thumbnail = page.locator(".cart-product img").first
    expect(thumbnail).to_be_visible()
    assert thumbnail.evaluate("img => img.complete && img.naturalWidth > 0")  # the picture really loaded
    if shop.product.price < 50:
        expect(page.locator(".free-delivery-nudge")).to_contain_text("more for free delivery")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    assert not run_axe(page, "standard", "cart (phone)", record=False)
    context.close()


def test_phone_sold_out_product_takes_a_back_in_stock_request(browser, shop):
    from storefront.catalog.models import StockAlert

    context = new_context(browser, viewport=PHONE)
    page = context.new_page()
    set_edition(page, shop, "standard")
    page.goto(shop(f"/product/{shop.sold_out.slug}/"))
    page.get_by_label("Your e-mail address").fill("ming@example.com")
    with page.expect_navigation():
        page.get_by_role("button", name="Notify me when back in stock").click()
    expect(page.locator("main")).to_contain_text("We will e-mail ming@example.com once")
    assert StockAlert.objects.filter(product=shop.sold_out, email="ming@example.com").exists()
    assert not run_axe(page, "standard", "sold-out product (phone)", record=False)
    context.close()
