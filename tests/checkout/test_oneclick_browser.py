"""One-click and family payment in real Chromium: a keyboard-only journey with JavaScript off (Buy now, then
Cancel this order), and axe-core (WCAG 2.2 A/AA) on each new page in every edition.

Marked `browser`; skipped without /usr/bin/chromium (failed instead under CI=true), like tests/browser.
"""

from __future__ import annotations

import os
import re

import pytest
from django.urls import reverse

from storefront.checkout.models import Order

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
EDITIONS = ["standard", "elder", "screen-reader", "cross-border"]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PASSWORD = "correct-horse-battery-staple"  # tests/conftest.py
BUY = re.compile(r"^Buy( now)?$")  # the elder edition's primary action reads "Buy"


@pytest.fixture(autouse=True, scope="module")
def _require_chromium():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true: {CHROMIUM} is missing", pytrace=False)
        pytest.skip(f"{CHROMIUM} is missing")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM,
            "args": ["--no-sandbox", "--disable-gpu", "--no-first-run"]}


def sign_in(page, live_server, username: str) -> None:
    page.goto(live_server.url + reverse("accounts:login"))
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()


def tab_to(page, name: str, limit: int = 80) -> None:
    """Press Tab until the focused element's text starts with `name` (keyboard only: no clicks)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        text = page.evaluate("() => (document.activeElement.innerText || '').trim()")
        if text.startswith(name):
            return
    raise AssertionError(f"{name!r} is not reachable with Tab")


def axe_violations(page, edition: str, label: str) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
    if edition == "elder":
        options["rules"] = {"color-contrast-enhanced": {"enabled": True}}
    found = Axe().run(page, options=options).response["violations"]
    return [f"[{edition}] {label}: {v['id']} at {', '.join(str(t) for n in v['nodes'] for t in n['target'])}"
            for v in found]


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
        tab_to(page, "Buy now")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.locator("h1").inner_text() == "Thank you, your order is confirmed"
        assert "Estimated delivery" in page.locator("main").inner_text()
        order = Order.objects.get()
        assert order.status == Order.Status.PAID
        tab_to(page, "Cancel this order")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.locator("h1").inner_text() == "Your order is cancelled"
        order.refresh_from_db()
        product.refresh_from_db()
        assert order.status == Order.Status.CANCELLED and product.stock == 5
    finally:
        context.close()


@pytest.mark.parametrize("edition", EDITIONS)
def test_new_pages_have_no_axe_violations(browser, live_server, ready_user, product, edition, make_user,
                                          make_saved_card, make_cart):
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
            problems.extend(axe_violations(page, edition, label))

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
        check("family invitation", reverse("family:join", args=[services.create_invite(payer=ready_user)
                                                                 .invite_code]))
    finally:
        context.close()
    assert not problems, "\n".join(problems)
