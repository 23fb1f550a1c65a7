"""One-click and family payment in real Chromium: a keyboard-only journey with JavaScript off (Buy now, then
Cancel this order), and axe-core (WCAG 2.2 A/AA) on each new page in every edition.

Marked `browser`; skipped without /usr/bin/chromium (failed instead under CI=true), like tests/browser.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pytest
from django.urls import reverse

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "browser"))
from browserkit import EDITIONS, browser_type_launch_args, by_text, require_chromium, run_axe, tab_to  # noqa: E402,F401

from storefront.checkout.models import Order  # noqa: E402

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PASSWORD = "correct-horse-battery-staple"  # tests/conftest.py
BUY = re.compile(r"^Buy( now)?$")  # the elder edition's primary action reads "Buy"


def sign_in(page, live_server, username: str) -> None:
    page.goto(live_server.url + reverse("accounts:login"))
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()


@pytest.fixture
def ready_user(user, address, make_saved_card):
    make_saved_card(user, is_default=True)
    return user


def test_buy_now_and_cancel_by_keyboard_with_javascript_off(browser, live_server, ready_user, product):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in(page, live_server, ready_user.username)
        page.goto(live_server.url + product.get_absolute_url())
        tab_to(page, by_text("Buy now", "button"))
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.locator("h1").inner_text() == "Thank you, your order is confirmed"
        assert "Estimated delivery" in page.locator("main").inner_text()
        order = Order.objects.get()
        assert order.status == Order.Status.PAID
        tab_to(page, by_text("Cancel this order", "button"))
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.locator("h1").inner_text() == f"Cancel order {order.number}?"  # asks first (issue 17)
        order.refresh_from_db()
        assert order.status == Order.Status.PAID
        tab_to(page, by_text("Yes, cancel this order", "button"))
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.locator("h1").inner_text() == "Your order is cancelled"
        order.refresh_from_db()
        product.refresh_from_db()
        assert order.status == Order.Status.CANCELLED and product.stock == 5
    finally:
        context.close()


@pytest.mark.parametrize("edition", EDITIONS)
def test_new_pages_have_no_axe_violations(
    browser, live_server, ready_user, product, edition, make_user, make_saved_card, make_cart
):
    from storefront.family import services

    payer = make_user("pat", first_name="Pat")
    make_saved_card(payer, is_default=True)
    invite = services.create_invite(payer=payer)
    services.accept_invite(code=invite.invite_code, beneficiary=ready_user)
    make_cart(user=ready_user, lines=[(product, 1)])
    problems: list[str] = []
    context = browser.new_context()
    page = context.new_page()
    try:
        sign_in(page, live_server, ready_user.username)
        page.goto(f"{live_server.url}/?edition={edition}")

        def check(label: str, path: str | None = None) -> None:
            if path:
                page.goto(live_server.url + path)
            problems.extend(run_axe(page, edition, f"one-click/family: {label}"))

        check("product with Buy now", product.get_absolute_url())
        with page.expect_navigation():
            page.get_by_role("button", name=BUY).click()
        check("one-click confirmation")
        order = Order.objects.get()
        page.goto(live_server.url + product.get_absolute_url())
        with page.expect_navigation():
            page.get_by_role("button", name=BUY).click()
        assert page.locator("h1").inner_text() == "You have just bought this"
        check("one-click: ask before a repeat")
        check("order detail with cancel and buy again", order.get_absolute_url())
        check("cancel: are you sure?", reverse("checkout:cancel", args=[order.number]))
        check("orders", reverse("checkout:orders"))
        check("one-click set-up", reverse("checkout:oneclick_setup"))
        with page.expect_navigation():
            page.get_by_role("button", name="Save card").click()
        check("one-click set-up (errors)")
        check("account", reverse("accounts:account"))
        check("family (beneficiary)", reverse("family:home"))
        with page.expect_navigation():
            page.get_by_role("button", name="Ask Pat to pay").click()
        check("family request (beneficiary)")
        request_url = page.url
        page.context.clear_cookies()
        sign_in(page, live_server, payer.username)
        page.goto(f"{live_server.url}/?edition={edition}")
        check("family (payer)", reverse("family:home"))
        page.goto(request_url)
        check("family request (payer)")
        check(
            "family invitation",
            reverse("family:join", args=[services.create_invite(payer=ready_user).invite_code]),
        )
    finally:
        context.close()
    assert not problems, "\n".join(problems)
