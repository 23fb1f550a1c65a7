"""A Korean shopper pays with Kakao Pay in real Chromium, in every edition, choosing and confirming by keyboard
only: only Korea's methods are offered, the test provider's page and the way back pass axe, cancelling keeps
the cart, confirming places the order."""

from __future__ import annotations

import pytest
from browserkit import (
    EDITIONS,
    by_name,
    by_text,
    new_context,
    press_and_wait,
    run_axe,
    set_edition,
    sign_in,
    tab_to,
)
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("edition", EDITIONS)
def test_kakao_pay_cancel_then_confirm(browser, shop, edition):
    from storefront.accounts.models import Address
    from storefront.checkout.models import Order

    Address.objects.create(
        user=shop.user,
        full_name="Kim Min-jun",
        street_address="세종대로 175",
        city="종로구",
        country_area="서울특별시",
        postal_code="03172",
        country="KR",
    )
    context = new_context(browser)
    page = context.new_page()
    problems: list[str] = []
    try:
        set_edition(page, shop, edition)
        page.goto(shop(f"/product/{shop.product.slug}/"))
        page.locator("form.buy-form button[type=submit]").click()
        page.locator("#cart-status .message").wait_for()
        sign_in(page, shop, "/checkout/address/")
        page.get_by_label("세종대로 175", exact=False).check()
        with page.expect_navigation():
            page.get_by_role("button", name="Deliver to this address").click()
        assert "Import duty" in page.locator("main").inner_text()  # landed cost before payment
        page.goto(shop("/checkout/pay/"))
        expect(page.locator("input[name=method][value=kakaopay]")).to_have_count(1)
        expect(page.locator("input[name=method][value=alipay]")).to_have_count(0)
        total = page.locator(".total-line").inner_text()

        def pay_with_kakao() -> None:  # by keyboard only: Tab to the choice, arrows to Kakao Pay, Enter
            tab_to(page, by_name("method", "radio"))
            for _ in range(6):
                if page.is_checked("input[name=method][value=kakaopay]"):
                    break
                page.keyboard.press("ArrowDown")
            assert page.is_checked("input[name=method][value=kakaopay]")
            tab_to(page, by_text("Place order and pay", "button"))
            press_and_wait(page, "Enter", "/test-provider/")
            expect(page.get_by_role("heading", level=1)).to_have_text("Kakao Pay test payment page")

        pay_with_kakao()
        problems += run_axe(page, edition, "wallet provider page")
        tab_to(page, by_text("Cancel", "button"))
        press_and_wait(page, "Enter")
        expect(page.locator("main")).to_contain_text(
            "You cancelled the payment in Kakao Pay. Nothing was charged."
        )
        problems += run_axe(page, edition, "pay page after a cancelled wallet payment")
        pay_with_kakao()
        tab_to(page, by_text("Confirm payment", "button"))
        press_and_wait(page, "Enter")
        expect(page.get_by_role("heading", level=1)).to_have_text("Thank you, your order is confirmed")
        problems += run_axe(page, edition, "confirmation after a wallet payment")
        cancelled, paid = Order.objects.filter(user=shop.user, payment_method_label="Kakao Pay").order_by(
            "pk"
        )
        assert cancelled.status == Order.Status.CANCELLED and paid.is_paid
        assert (
            paid.destination == "KR" and str(paid.shipping) == "9.00"
        )  # Korea's fee, under its duty-free limit
        assert total.split(":")[-1].strip() in page.locator("main").inner_text()  # what was shown was paid
    finally:
        context.close()
    assert not problems, "\n".join(problems)
