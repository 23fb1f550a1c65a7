"""The elder edition as an elderly shopper lives it (issue 17), in real Chromium on a phone: "Buy" buys the
quantity in the box, with and without JavaScript (htmx drives "Add to cart" in the same form)."""

from __future__ import annotations

import pytest
from browserkit import new_context, set_edition, sign_in

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_buy_buys_the_quantity_in_the_box(browser, shop, javascript):
    from storefront.checkout.models import Order

    context = new_context(browser, viewport=PHONE, java_script_enabled=javascript)
    page = context.new_page()
    set_edition(page, shop, "elder")
    sign_in(page, shop)
    page.goto(shop(f"/product/{shop.product.slug}/"))
    page.fill("#qty", "3")
    with page.expect_navigation():
        page.get_by_role("button", name="Buy", exact=True).click()
    assert "/checkout/one-click/" in page.url, page.url
    order = Order.objects.filter(user=shop.user).order_by("-id").first()
    assert [(line.product_id, line.quantity) for line in order.lines.all()] == [(shop.product.pk, 3)]
    assert order.number in page.url
    context.close()
