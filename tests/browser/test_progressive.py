"""Progressive enhancement in a real browser: the same forms with htmx (JavaScript on) and as plain HTML
(JavaScript off).

- "Add to cart" on a product page: with htmx the page stays put, #live-region says what changed and the
  header count updates; without JavaScript the form POSTs and redirects back with the same message.
- Listing filters: with htmx the results update in place and the URL is pushed (shareable, back works);
  without JavaScript the same form is a GET.
"""

from __future__ import annotations

import re

import pytest
from browserkit import new_context, set_edition
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def _mark_document(page) -> None:
    """A flag that survives only while the document does: proves htmx did not reload the page."""
    page.evaluate("() => { window.__sameDocument = true; }")


def _same_document(page) -> bool:
    return page.evaluate("() => window.__sameDocument === true")


# --- add to cart -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("edition", ["standard", "screen-reader"])
def test_add_to_cart_with_htmx_announces_in_the_live_region(browser, shop, edition):
    context = new_context(browser)
    page = context.new_page()
    set_edition(page, shop, edition)
    page.goto(shop(f"/product/{shop.product.slug}/"))
    region = page.locator("#live-region")
    expect(region).to_have_attribute("role", "status")
    expect(region).to_have_attribute("aria-live", "polite")
    expect(region).to_have_text("")
    expect(page.locator("#cart-link")).to_contain_text("0 items")
    _mark_document(page)

    page.get_by_label("Quantity").fill("2")
    page.get_by_role("button", name="Add to cart").click()
    expect(region).to_have_text(f"Added {shop.product.name} to your cart. You now have 2.")
    expect(page.locator("#cart-link")).to_contain_text("2 items")
    expect(page.locator("#cart-status")).to_contain_text(f"Added {shop.product.name} to your cart")
    expect(page.locator("#cart-status").get_by_role("link", name="View cart")).to_be_visible()
    assert _same_document(page), "htmx should not reload the page"
    assert page.url.endswith(f"/product/{shop.product.slug}/")
    # the live region is still one element, still a polite status region, after the out-of-band swap
    assert page.locator("#live-region").count() == 1
    expect(region).to_have_attribute("role", "status")

    # The cart refuses more than the stock: the refusal is announced the same way and the count is kept.
    page.goto(shop(f"/product/{shop.last_one.slug}/"))
    _mark_document(page)
    page.get_by_role("button", name="Add to cart").click()
    expect(region).to_contain_text(f"Added {shop.last_one.name} to your cart")
    expect(page.locator("#cart-link")).to_contain_text("3 items")
    page.get_by_role("button", name="Add to cart").click()
    expect(region).to_contain_text("left in stock")
    expect(page.locator("#cart-link")).to_contain_text("3 items")
    assert _same_document(page)

    # On the cart page, changing a quantity with htmx is announced too.
    page.goto(shop("/cart/"))
    _mark_document(page)
    page.get_by_label(f"Quantity of {shop.product.name}").fill("3")
    page.get_by_role("button", name=f"Update {shop.product.name}").click()
    expect(region).to_have_text(f"{shop.product.name}: quantity is now 3.")
    expect(page.locator("#cart-link")).to_contain_text("4 items")
    assert _same_document(page)
    context.close()


def test_add_to_cart_without_javascript_is_a_plain_post_and_redirect(browser, shop):
    context = new_context(browser, java_script_enabled=False)
    page = context.new_page()
    set_edition(page, shop, "standard")
    page.goto(shop(f"/product/{shop.product.slug}/"))
    page.get_by_label("Quantity").fill("2")
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Add to cart").click()
    assert navigation.value is not None and navigation.value.status == 200
    assert page.url.endswith(f"/product/{shop.product.slug}/")  # redirected back (POST/redirect/GET)
    message = page.locator(".messages [role=status]")
    expect(message).to_contain_text(f"Added {shop.product.name} to your cart. You now have 2.")
    expect(page.locator("#cart-link")).to_contain_text("2 items")
    page.goto(shop("/cart/"))
    expect(page.get_by_label(f"Quantity of {shop.product.name}")).to_have_value("2")
    # and a refused add says why, as a message after the redirect
    page.goto(shop(f"/product/{shop.sold_out.slug}/"))
    expect(page.get_by_role("button", name="Add to cart")).to_have_count(0)
    expect(page.get_by_text("Sold out")).to_be_visible()
    context.close()


# --- filters -----------------------------------------------------------------------------------------------


def _result_names(page) -> list[str]:
    return page.locator("#results article h3 a").all_inner_texts()


def test_filters_with_htmx_update_results_in_place_and_push_a_shareable_url(browser, shop):
    context = new_context(browser)
    page = context.new_page()
    set_edition(page, shop, "standard")
    page.goto(shop(f"/category/{shop.category_slug}/"))
    before = _result_names(page)
    assert shop.sold_out.name in before
    heading_before = page.locator("#results-heading").inner_text()
    _mark_document(page)

    page.get_by_label("In stock only").check()
    page.get_by_label("Sort by").select_option("price")
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"in_stock=on"))
    expect(page.locator("#results-heading")).not_to_have_text(heading_before)
    after = _result_names(page)
    assert shop.sold_out.name not in after
    assert len(after) == len(before) - 1
    assert _same_document(page), "htmx should swap #results, not reload the page"
    assert "sort=price" in page.url
    # the change is announced, focus moves to the new results heading (not lost to <body>)
    expect(page.locator("#live-region")).to_have_text(page.locator("#results-heading").inner_text())
    expect(page.locator("#results-heading")).to_be_focused()
    # one #results and one filter form: the swap replaced the section instead of nesting a copy
    assert page.locator("#results").count() == 1
    assert page.locator("form.filters").count() == 1
    price_texts = page.locator("#results article .price").all_inner_texts()
    prices = [float(re.sub(r"[^0-9.]", "", p)) for p in price_texts]
    assert prices == sorted(prices)

    # The pushed URL is shareable: opened fresh, the server renders the same filtered results.
    shared = context.new_page()
    shared.goto(page.url)
    assert _result_names(shared) == after
    expect(shared.get_by_label("In stock only")).to_be_checked()
    shared.close()

    # Back restores the unfiltered listing.
    page.go_back()
    expect(page).not_to_have_url(re.compile(r"in_stock=on"))
    expect(page.locator("#results article")).to_have_count(len(before))
    context.close()


def test_filters_without_javascript_work_by_get(browser, shop):
    context = new_context(browser, java_script_enabled=False)
    page = context.new_page()
    set_edition(page, shop, "standard")
    page.goto(shop(f"/search/?q={shop.product.name.split()[-1]}"))
    before = _result_names(page)
    page.get_by_label("In stock only").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Apply filters").click()
    assert "in_stock=on" in page.url and "q=" in page.url  # GET keeps the query
    after = _result_names(page)
    assert after and set(after) <= set(before)
    assert all(shop.sold_out.name != name for name in after)
    expect(page.get_by_label("In stock only")).to_be_checked()
    context.close()
