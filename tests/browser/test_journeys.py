"""The shopper journey end to end in real Chromium: home → search → product → cart → sign in → address →
review → pay → confirmation → order page.

Once with the mouse (standard edition), and once by keyboard only in every edition: Tab, Shift+Tab, Enter,
Space and arrow keys through `page.keyboard`, no clicks, with a visible focus indicator on every element
that receives focus on the way (outline or box-shadow from getComputedStyle).
"""

from __future__ import annotations

import re

import pytest
from browserkit import (
    EDITIONS,
    SHOPPER,
    SHOPPER_PASSWORD,
    by_href,
    by_id,
    by_name,
    by_text,
    focus_state,
    new_context,
    press_and_wait,
    set_edition,
    tab_to,
)
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def _order_number_from(url: str) -> str:
    match = re.search(r"/checkout/confirmation/([^/]+)/", url)
    assert match, url
    return match.group(1)


def test_shopper_journey_with_the_mouse(browser, shop):
    from storefront.catalog.models import Product
    from storefront.checkout.models import Order

    context = new_context(browser)
    page = context.new_page()
    set_edition(page, shop, "standard")
    page.get_by_label("Search products").fill(shop.product.name)
    with page.expect_navigation():
        page.get_by_role("button", name="Search", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Search results")
    with page.expect_navigation():
        page.get_by_role("article").get_by_role("link", name=shop.product.name).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(shop.product.name)
    page.get_by_label("Quantity").fill("2")
    page.get_by_role("button", name="Add to cart").click()
    expect(page.locator("#cart-status")).to_contain_text("Added")
    with page.expect_navigation():
        page.locator("#cart-status").get_by_role("link", name="View cart").click()
    expect(page.get_by_role("row", name=re.compile(re.escape(shop.product.name)))).to_be_visible()
    with page.expect_navigation():
        page.get_by_role("link", name="Go to checkout").click()
    assert "/account/signin/" in page.url
    page.get_by_label("Username or email").fill(SHOPPER)
    page.get_by_label("Password").fill(SHOPPER_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("main").get_by_role("button", name="Sign in").click()
    assert page.url.endswith("/checkout/address/")
    with page.expect_navigation():
        page.get_by_role("button", name="Deliver to this address").click()
    assert page.url.endswith("/checkout/review/")
    expect(page.get_by_role("table", name="Your order")).to_contain_text(shop.product.name)
    with page.expect_navigation():
        page.get_by_role("link", name="Continue to payment").click()
    assert page.url.endswith("/checkout/pay/")
    page.get_by_role("radio", name="A new card").check()
    page.get_by_label("Card number").fill("4242 4242 4242 4242")
    page.get_by_label("Expiry month").select_option("12")
    page.get_by_label("Expiry year").select_option(index=2)
    page.get_by_label("Security code").fill("123")
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile("Place order and pay")).click()
    assert "/checkout/confirmation/" in page.url, page.url
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you, your order is confirmed")
    number = _order_number_from(page.url)
    with page.expect_navigation():
        page.get_by_role("link", name="Track this order").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Order {number}")
    expect(page.get_by_role("table", name="Items in this order")).to_contain_text(shop.product.name)
    context.close()

    order = Order.objects.get(number=number)
    assert order.is_paid
    assert [(line.product_id, line.quantity) for line in order.lines.all()] == [(shop.product.pk, 2)]
    assert Product.objects.get(pk=shop.product.pk).stock == shop.product.stock - 2


@pytest.mark.parametrize("edition", EDITIONS)
def test_shopper_journey_by_keyboard_only(browser, shop, edition):
    from storefront.checkout.models import Order

    context = new_context(browser)
    page = context.new_page()
    set_edition(page, shop, edition)
    trail: list[dict] = []

    # Home: the first Tab reaches the skip link, which moves focus to <main>; Shift+Tab goes back to it.
    first = tab_to(page, lambda s: True, max_steps=1)
    assert "skip-link" in page.evaluate("() => document.activeElement.className"), first
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main-content"
    tab_to(page, by_href("#main-content"), backwards=True, max_steps=40, trail=trail)

    # Search by typing in the header search box and pressing Enter.
    tab_to(page, by_id("site-search-q"), trail=trail)
    page.keyboard.type(shop.product.name.split()[-1])
    press_and_wait(page, "Enter", "/search/?q=")
    assert page.locator("h1").inner_text().startswith("Search results")

    # Results: Tab to the product's heading link inside its article, Enter opens the product page.
    product_href = f"/product/{shop.product.slug}/"
    tab_to(page, lambda s: s["tag"] == "a" and s["href"].startswith(product_href), trail=trail)
    assert page.evaluate("() => !!document.activeElement.closest('article h2, article h3')")
    press_and_wait(page, "Enter", f"/product/{shop.product.slug}/")

    # Product: quantity 2, then "Add to cart" (htmx), then the "View cart" link in the status message.
    tab_to(page, by_id("qty"), trail=trail)
    page.keyboard.press("Control+A")
    page.keyboard.type("2")
    tab_to(page, by_text("Add to cart", "button"), max_steps=3, trail=trail)
    page.keyboard.press("Enter")
    expect(page.locator("#live-region")).to_contain_text("Added", timeout=10_000)
    expect(page.locator("#cart-link")).to_contain_text("2 items")
    # Shift+Tab back to the quantity box and forward again: the focus order follows the form
    tab_to(page, by_id("qty"), backwards=True, max_steps=3, trail=trail)
    tab_to(page, by_text("View cart", "a"), max_steps=3, trail=trail)
    press_and_wait(page, "Enter", "/cart/")

    # Cart: Go to checkout → sign-in page (login required).
    tab_to(page, by_text("Go to checkout", "a"), trail=trail)
    press_and_wait(page, "Enter", "/account/signin/")
    tab_to(page, by_id("id_username"), trail=trail)
    page.keyboard.type(SHOPPER)
    tab_to(page, by_id("id_password"), max_steps=1, trail=trail)
    page.keyboard.type(SHOPPER_PASSWORD)
    press_and_wait(page, "Enter", "/checkout/address/")

    # Address: the saved address radio is checked; Tab reaches it, Space keeps it chosen, Space on the button.
    tab_to(page, by_name("address", "radio"), trail=trail)
    page.keyboard.press("Space")
    assert page.evaluate("() => document.activeElement.checked")
    tab_to(page, by_text("Deliver to this address", "button"), max_steps=3, trail=trail)
    press_and_wait(page, "Space", "/checkout/review/")

    # Review → pay.
    tab_to(page, by_text("Continue to payment", "a"), trail=trail)
    press_and_wait(page, "Enter", "/checkout/pay/")

    # Pay: arrow keys move the "method" radio from the saved card to "A new card", then the card fields.
    state = tab_to(page, by_name("method", "radio"), trail=trail)
    assert page.evaluate("() => document.activeElement.checked"), state
    for _ in range(5):
        if page.evaluate("() => document.activeElement.value") == "new":
            break
        page.keyboard.press("ArrowDown")
    assert page.evaluate("() => document.activeElement.value === 'new' && document.activeElement.checked")
    assert focus_state(page) is not None
    if edition == "screen-reader":  # a new card's details are a step of their own; focus goes to them
        tab_to(page, by_text("Place order and pay", "button"), trail=trail)
        press_and_wait(page, "Enter", "/checkout/pay/")
        assert page.evaluate("() => document.activeElement.id") == "card-fields"
    tab_to(page, by_id("id_card-number"), trail=trail)
    page.keyboard.type("4242 4242 4242 4242")
    tab_to(page, by_id("id_card-exp_month"), max_steps=1, trail=trail)
    page.keyboard.press("End")  # December
    tab_to(page, by_id("id_card-exp_year"), max_steps=1, trail=trail)
    page.keyboard.press("ArrowDown")  # next year
    page.keyboard.press("ArrowDown")
    assert page.input_value("#id_card-exp_month") == "12"
    tab_to(page, by_id("id_card-cvc"), max_steps=1, trail=trail)
    page.keyboard.type("123")
    tab_to(page, by_text("Place order and pay", "button"), max_steps=4, trail=trail)
    press_and_wait(page, "Enter", "/checkout/confirmation/")
    number = _order_number_from(page.url)
    expect(page.locator("h1")).to_have_text("Thank you, your order is confirmed")

    # Confirmation → the order page.
    tab_to(page, by_text("Track this order", "a"), trail=trail)
    press_and_wait(page, "Enter", f"/orders/{number}/")
    expect(page.locator("h1")).to_have_text(f"Order {number}")
    context.close()

    assert Order.objects.get(number=number).is_paid
    assert len(trail) > 30  # every one of these had a visible focus indicator (checked in tab_to)


@pytest.mark.parametrize("edition", ["standard", "screen-reader"])
def test_search_suggestions_combobox_by_keyboard(browser, shop, edition):
    """ARIA 1.2 combobox: typing opens the listbox (announced), arrows move aria-activedescendant, Escape
    closes it and keeps the text, Enter on a highlighted option opens that product."""
    context = new_context(browser)
    page = context.new_page()
    set_edition(page, shop, edition)
    tab_to(page, by_id("site-search-q"))
    box = page.locator("#site-search-q")
    listbox = page.locator("#search-suggestions")
    expect(box).to_have_attribute("aria-expanded", "false")
    page.keyboard.type(shop.product.name.split()[-1][:4], delay=30)
    expect(listbox).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    expect(page.locator("#live-region")).to_contain_text("suggestion")
    options = listbox.get_by_role("option")
    assert options.count() >= 2
    page.keyboard.press("ArrowDown")
    first_id = options.nth(0).get_attribute("id")
    expect(box).to_have_attribute("aria-activedescendant", first_id)
    expect(options.nth(0)).to_have_attribute("aria-selected", "true")
    page.keyboard.press("ArrowDown")
    expect(box).to_have_attribute("aria-activedescendant", options.nth(1).get_attribute("id"))
    expect(options.nth(0)).to_have_attribute("aria-selected", "false")
    page.keyboard.press("ArrowUp")
    expect(box).to_have_attribute("aria-activedescendant", first_id)
    assert focus_state(page)["id"] == "site-search-q"  # focus stays in the box the whole time
    page.keyboard.press("Escape")
    expect(listbox).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(box).not_to_have_value("")
    page.keyboard.press("ArrowDown")
    expect(listbox).to_be_visible()
    wanted = options.nth(0).inner_text()
    target = options.nth(0).get_attribute("data-href")
    press_and_wait(page, "Enter", target)
    expect(page.get_by_role("heading", level=1)).to_have_text(wanted)
    context.close()
