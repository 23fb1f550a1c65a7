"""A return in a real browser, in the elder and screen-reader editions: the shopper asks (keyboard only),
reviews the refund, prints the label and registers the tracking code; the merchant receives the parcel and
refunds it through the admin's confirmation pages; the shopper sees the refund in the order's history. axe
checks every shopper page on the way. A second run does the shopper's part with JavaScript off."""

from __future__ import annotations

import re

import pytest
from browserkit import new_context, run_axe, set_edition, sign_in

pytestmark = pytest.mark.browser


def _merchant(browser, shop, make_return_refund) -> None:
    from django.contrib.auth import get_user_model

    User = get_user_model()
    if not User.objects.filter(username="merchant").exists():
        User.objects.create_superuser("merchant", "merchant@example.com", "merchant-pass-123")
    context = new_context(browser)
    page = context.new_page()
    try:
        page.goto(shop("/admin/login/?next=/admin/checkout/returnrequest/"))
        page.fill("#id_username", "merchant")
        page.fill("#id_password", "merchant-pass-123")
        with page.expect_navigation():
            page.locator("input[type=submit]").click()
        make_return_refund(page)
    finally:
        context.close()


@pytest.mark.parametrize(
    ("edition", "javascript"), [("elder", True), ("screen-reader", True), ("screen-reader", False)]
)
def test_request_label_receive_refund(browser, shop, edition, javascript):
    from storefront.checkout.models import Refund, ReturnRequest
    from storefront.sandbox.models import SandboxCardCharge

    context = new_context(browser, java_script_enabled=javascript)
    page = context.new_page()
    problems: list[str] = []

    def axe(label: str) -> None:
        if javascript:  # axe runs in the page: only with scripts on
            problems.extend(run_axe(page, edition, f"returns: {label}"))

    try:
        set_edition(page, shop, edition)
        sign_in(page, shop, f"/orders/{shop.order_number}/")
        assert page.url.endswith(f"/orders/{shop.order_number}/")
        link = page.get_by_role("link", name="Return or exchange items")
        link.focus()
        with page.expect_navigation():
            page.keyboard.press("Enter")
        axe("start")
        quantity = page.locator("main select[name^=qty_]").first
        quantity.focus()
        quantity.select_option("1")
        page.get_by_label("It arrived damaged or faulty").focus()
        page.keyboard.press("Space")
        page.get_by_role("button", name="Review the return").focus()
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.get_by_role("table", name="Your refund").is_visible()
        axe("review")
        page.get_by_role("button", name="Confirm the return").focus()
        with page.expect_navigation():
            page.keyboard.press("Enter")
        ret = ReturnRequest.objects.get()
        assert page.url.endswith(ret.get_absolute_url())
        axe("detail")
        with page.expect_navigation():
            page.get_by_role("link", name="Print the return label").click()
        assert ret.code in page.locator("main").inner_text()
        axe("label")
        page.go_back()
        page.get_by_label("Tracking code").fill("RR123456789KR")
        with page.expect_navigation():
            page.get_by_role("button", name="I have sent the parcel").click()
        ret.refresh_from_db()
        assert ret.status == ReturnRequest.Status.SENT

        def receive_and_refund(admin) -> None:
            admin.goto(shop(f"/admin/checkout/returnrequest/{ret.pk}/change/"))
            with admin.expect_navigation():
                admin.get_by_role("link", name="Received").click()
            with admin.expect_navigation():
                admin.get_by_role("button", name="Received").click()
            with admin.expect_navigation():
                admin.get_by_role("link", name="Refund", exact=True).click()
            with admin.expect_navigation():
                admin.get_by_role("button", name="Show the refund").click()
            assert admin.get_by_role("table", name="Refund to the original payment method").is_visible()
            with admin.expect_navigation():
                admin.get_by_role("button", name="Refund this amount").click()
            assert "Refunded" in admin.locator(".messagelist").inner_text()

        _merchant(browser, shop, receive_and_refund)
        refund = Refund.objects.get()
        assert refund.status == Refund.Status.SUCCEEDED
        assert SandboxCardCharge.objects.filter(kind="refund").count() == 1
        page.goto(shop(f"/orders/{shop.order_number}/"))
        history = page.locator("section[aria-labelledby=history]").inner_text()
        for step in ["Return requested", "Return parcel sent", "Return parcel received"]:
            assert step in history
        assert re.search(r"Refunded in full|Partly refunded", history)
        axe("order after refund")
    finally:
        context.close()
    assert not problems, "\n".join(problems)
