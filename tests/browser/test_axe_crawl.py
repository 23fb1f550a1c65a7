"""axe-core on every page type of the URL contract, in each of the four editions: zero violations.

One test per edition walks the pages as a shopper would (signed out, then signed in with a cart), so the
pages are seen with real content: a cart line, a chosen address, a saved card, an order.
"""

from __future__ import annotations

import pytest

from browserkit import EDITIONS, new_context, run_axe, set_edition, sign_in

pytestmark = pytest.mark.browser


def _crawl(page, shop, edition: str) -> tuple[list[str], list[str]]:
    problems: list[str] = []
    checked: list[str] = []

    def check(label: str, path: str | None = None, status: int | None = 200) -> None:
        if path is not None:
            response = page.goto(shop(path))
            if status is not None:
                assert response is not None and response.status == status, f"{label}: {path} gave {response and response.status}"
        assert f"edition-{edition}" in (page.get_attribute("html", "class") or ""), f"{label}: lost the edition"
        checked.append(label)
        problems.extend(run_axe(page, edition, label))

    set_edition(page, shop, edition)
    check("home")
    check("category", f"/category/{shop.category_slug}/")
    check("category (filtered)", f"/category/{shop.category_slug}/?min_price=abc&in_stock=on&sort=price")
    check("search", "/search/?q=apple")
    check("search (no query)", "/search/")
    check("search (no results)", "/search/?q=zzzzqqqq")
    check("product", f"/product/{shop.product.slug}/")
    check("product (sold out)", f"/product/{shop.sold_out.slug}/")
    if edition != "elder":  # the elder edition has no compare feature, but the page still exists
        page.goto(shop(f"/product/{shop.product.slug}/"))
        with page.expect_navigation():
            page.get_by_role("button", name="Add to comparison").click()
        page.goto(shop(f"/product/{shop.other.slug}/"))
        with page.expect_navigation():
            page.get_by_role("button", name="Add to comparison").click()
    check("compare", "/compare/")
    check("cart (empty)", "/cart/")
    # add to cart as a plain form post (the htmx path is tested in test_live_region)
    page.goto(shop(f"/product/{shop.product.slug}/"))
    page.fill("#qty", "2")
    page.evaluate("() => document.querySelector('form.buy-form').submit()")
    page.wait_for_load_state()
    check("product (after add)")
    check("cart", "/cart/")
    check("sign in", "/account/signin/")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    check("sign in (errors)", None)
    check("sign up", "/account/signup/")
    check("password reset", "/account/password-reset/")
    check("editions", "/editions/")
    check("404", "/no-such-page/", status=404)
    sign_in(page, shop, "/checkout/address/")
    check("checkout address", "/checkout/address/")
    with page.expect_navigation():
        page.get_by_role("button", name="Deliver to this address").click()
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
    check("404 (signed in)", "/product/no-such-product/", status=404)
    return checked, problems


@pytest.mark.parametrize("edition", EDITIONS)
def test_every_page_has_no_axe_violations(browser, shop, edition):
    context = new_context(browser)
    page = context.new_page()
    try:
        checked, problems = _crawl(page, shop, edition)
    finally:
        context.close()
    assert len(checked) >= 20
    assert not problems, f"{len(problems)} axe violation(s) in the {edition} edition:\n" + "\n".join(problems)
