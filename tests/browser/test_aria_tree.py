"""Screen-reader edition: what the accessibility tree announces (Playwright ARIA snapshots).

Landmarks (banner, navigation, search, main, contentinfo), exactly one h1 per page, product listings as
articles whose heading is the product link, prices and ratings as text, and the checkout steps, forms and
tables with their names. The templates are partial: they assert what must be there, in that order.
"""

from __future__ import annotations

import re

import pytest
from browserkit import new_context, set_edition, sign_in
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

LISTING_PATTERN_JS = """() => Array.from(document.querySelectorAll("main article.product-card")).map(a => {
  const heading = a.querySelector(":scope > h2, :scope > h3");
  const link = heading && heading.querySelector("a[href^='/product/']");
  const named = a.getAttribute("aria-labelledby") === (heading && heading.id);
  return {ok: !!(heading && link && named), name: a.innerText.split("\\n")[0]};
})"""


def money(value) -> str:
    return f"${value:.2f}"


def assert_page_skeleton(page, h1: str) -> None:
    """One of each landmark a page needs, one h1 with the expected name, the live region at hand."""
    for role in ("banner", "main", "contentinfo", "search"):
        expect(page.get_by_role(role)).to_have_count(1)
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    expect(page.get_by_role("heading", level=1)).to_have_text(h1)
    expect(page.locator("#live-region")).to_have_attribute("role", "status")
    # the edition switcher is the first navigation in the screen-reader edition's header
    expect(page.get_by_role("banner").get_by_role("navigation").first).to_have_accessible_name("Shop edition")


def assert_listing_pattern(page, minimum: int = 1) -> None:
    cards = page.evaluate(LISTING_PATTERN_JS)
    assert len(cards) >= minimum, cards
    assert all(card["ok"] for card in cards), [card for card in cards if not card["ok"]]


@pytest.fixture
def sr_page(browser, shop):
    context = new_context(browser)
    page = context.new_page()
    set_edition(page, shop, "screen-reader")
    yield page
    context.close()


def test_home_announces_landmarks_and_product_articles(sr_page, shop):
    page, p = sr_page, shop.product
    page.goto(shop("/"))
    assert_page_skeleton(page, "Fresh food and everyday things, delivered")
    expect(page.locator("body")).to_match_aria_snapshot(f"""
- link "Skip to main content"
- banner:
  - navigation "Shop edition":
    - list:
      - listitem:
        - button "Standard"
      - listitem:
        - button "Large text (elder)"
      - listitem:
        - button "Screen reader"
      - listitem:
        - button "Cross-border"
  - link "Open Basket"
  - search "Product search":
    - combobox "Search products"
    - button "Search"
  - navigation "Your account":
    - list:
      - listitem:
        - link "Sign in"
      - listitem:
        - link "Cart 0 items"
  - navigation "Main"
- main:
  - heading "Fresh food and everyday things, delivered" [level=1]
  - region "Shop by category":
    - heading "Shop by category" [level=2]
    - list:
      - listitem:
        - link "Fruit"
  - region "Popular right now":
    - heading "Popular right now" [level=2]
    - article "{p.name}":
      - heading "{p.name}" [level=3]:
        - link "{p.name}":
          - /url: /product/{p.slug}/
      - paragraph: "Price: {money(p.price)}"
      - paragraph: 4.5 out of 5 stars, 4 reviews
      - paragraph: In stock
- contentinfo:
  - navigation "Footer"
- status
""")
    assert_listing_pattern(page, minimum=3)


def test_listings_use_one_article_pattern(sr_page, shop):
    page = sr_page
    for path in (f"/category/{shop.category_slug}/", f"/search/?q={shop.product.name.split()[-1]}"):
        page.goto(shop(path))
        expect(page.get_by_role("heading", level=1)).to_have_count(1)
        expect(page.get_by_role("search")).to_have_count(1)
        assert_listing_pattern(page, minimum=3)
        sold_out = page.get_by_role("article", name=shop.sold_out.name)
        if sold_out.count():
            expect(sold_out).to_match_aria_snapshot(f"""
- heading "{shop.sold_out.name}" [level=3]:
  - link "{shop.sold_out.name}"
- paragraph: "Price: {money(shop.sold_out.price)}"
- paragraph: No reviews yet
- paragraph: Sold out
""")


def test_product_page_announces_name_price_rating_stock_and_reviews(sr_page, shop):
    page, p = sr_page, shop.product
    page.goto(shop(f"/product/{p.slug}/"))
    assert_page_skeleton(page, p.name)
    expect(page.get_by_role("main")).to_match_aria_snapshot(f"""
- navigation "Breadcrumb":
  - list:
    - listitem:
      - link "Home"
    - listitem:
      - link "Fruit"
    - listitem:
      - link "{p.name}"
- article "{p.name}":
  - heading "{p.name}" [level=1]
  - paragraph: "Price: {money(p.price)}"
  - paragraph:
    - link "4.5 out of 5 stars, 4 reviews":
      - /url: "#reviews"
  - paragraph: "In stock: {p.stock} left"
  - paragraph: You can return it within 30 days of delivery.
  - spinbutton "Quantity": "1"
  - button "Add to cart"
  - button "Add to comparison"
  - img
  - heading "About this product" [level=2]
  - heading "Reviews" [level=2]
  - paragraph: 4.5 out of 5 stars, 4 reviews
  - table "How shoppers rated it":
    - rowgroup:
      - row "Rating Share Reviews"
    - rowgroup:
      - row "5 stars 50% 2":
        - rowheader "5 stars"
  - article "Great value":
    - heading "Great value" [level=3]
    - paragraph: /5 out of 5 stars, by Reviewer 0/
  - heading "Write a review" [level=3]
""")
    # the product image has a real text alternative on the product page
    alt = page.locator("article.product-detail img").get_attribute("alt")
    assert alt and alt.strip(), "the product image needs alt text"


def test_cart_and_checkout_announce_tables_steps_and_forms(sr_page, shop):
    page, p = sr_page, shop.product
    page.goto(shop(f"/product/{p.slug}/"))
    page.get_by_role("button", name="Add to cart").click()
    expect(page.locator("#live-region")).to_contain_text("Added")

    page.goto(shop("/cart/"))
    assert_page_skeleton(page, "Your cart")
    expect(page.get_by_role("main")).to_match_aria_snapshot(f"""
- heading "Your cart" [level=1]
- table "Items in your cart":
  - rowgroup:
    - row "Product Price Quantity Total Actions":
      - columnheader "Product"
      - columnheader "Price"
      - columnheader "Quantity"
      - columnheader "Total"
      - columnheader "Actions"
  - rowgroup:
    - row:
      - cell "{p.name}":
        - link "{p.name}"
      - cell "{money(p.price)}"
      - cell:
        - spinbutton "Quantity of {p.name}": "1"
        - button "Update {p.name}"
      - 'cell "Line total: {money(p.price)}"'
      - cell:
        - button "Remove {p.name}"
  - rowgroup:
    - row "Subtotal {money(p.price)}"
- table "Estimated cost, delivered to United States"
- paragraph:
  - link "Go to checkout"
""")

    sign_in(page, shop, "/checkout/address/")
    assert_page_skeleton(page, "Where should we deliver?")
    expect(page.get_by_role("main")).to_match_aria_snapshot("""
- navigation "Checkout steps":
  - list:
    - listitem: Delivery address
    - listitem: Review
    - listitem: Pay
- heading "Where should we deliver?" [level=1]
- group "Deliver to":
  - radio /Min-jun Kim, 1600 Amphitheatre Parkway/ [checked]
- button "Deliver to this address"
- heading "Or use a new address" [level=2]
- combobox "Country"
- button "Update the form for this country"
- textbox "Full name"
- textbox "Street address"
- textbox "City"
- combobox "State"
- textbox "ZIP code"
- button "Save and deliver here"
""")
    expect(page.get_by_role("navigation", name="Checkout steps").locator("[aria-current=step]")).to_have_text(
        "Delivery address"
    )

    with page.expect_navigation():
        page.get_by_role("button", name="Deliver to this address").click()
    assert_page_skeleton(page, "Review your order")
    expect(page.get_by_role("main")).to_match_aria_snapshot(f"""
- navigation "Checkout steps":
  - list:
    - listitem:
      - link "Delivery address"
    - listitem: Review
    - listitem: Pay
- heading "Review your order" [level=1]
- region "Delivery address":
  - heading "Delivery address" [level=2]
  - paragraph:
    - link "Change delivery address"
- table "Your order":
  - rowgroup:
    - row "{p.name} 1 {money(p.price)}":
      - rowheader "{p.name}"
  - rowgroup:
    - row /Total to pay/
- paragraph:
  - link "Continue to payment"
""")

    with page.expect_navigation():
        page.get_by_role("link", name="Continue to payment").click()
    assert_page_skeleton(page, "Pay for your order")
    expect(page.get_by_role("main")).to_match_aria_snapshot("""
- navigation "Checkout steps"
- heading "Pay for your order" [level=1]
- paragraph: /Total to pay/
- group "Pay with":
  - radio "Visa ending in 4242" [checked]
  - radio "A new card"
- button /Place order and pay/
""")
    # the card fields are not in the way while a saved card is chosen: a new card is a step of its own
    expect(page.get_by_role("group", name="New card details")).to_have_count(0)
    page.get_by_role("radio", name="A new card").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Place order and pay").click()
    expect(page.get_by_role("group", name="New card details")).to_match_aria_snapshot("""
- textbox "Card number"
- combobox "Expiry month"
- combobox "Expiry year"
- textbox "Security code"
- checkbox /Save this card/
""")
    # the hint is announced with the security code field
    expect(page.get_by_role("textbox", name="Security code")).to_have_accessible_description(
        "The last 3 digits on the back of the card."
    )

    # an empty new-card submit: the error summary is an alert, names each problem and links to the field
    with page.expect_navigation():
        page.get_by_role("button", name="Place order and pay").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("There is a problem")
    expect(summary.get_by_role("link", name="Enter the card number.")).to_have_attribute(
        "href", "#id_card-number"
    )
    expect(page.get_by_role("textbox", name="Card number")).to_have_attribute("aria-invalid", "true")
    expect(page).to_have_title(re.compile(r"^Error: "))
