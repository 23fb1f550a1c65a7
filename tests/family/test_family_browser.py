"""Family payment in real Chromium (issue 6): invite, accept, ask (product page and checkout), approve;
decline; expiry with a controllable clock; a keyboard-only journey with JavaScript off (ask on the product
page, then the payer approves from "My family"); the status change announced in the polite live region; and
axe-core (WCAG 2.2 A/AA, elder also AAA contrast) with zero violations on every new page in all four
editions.

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
from browserkit import (  # noqa: E402,F401
    EDITIONS,
    browser_type_launch_args,
    by_text,
    new_context,
    require_chromium,
    run_axe,
    tab_to,
)

from storefront.checkout.models import Order  # noqa: E402
from storefront.family.models import FamilyEvent, FamilyLink, PayRequest  # noqa: E402

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PASSWORD = "correct-horse-battery-staple"  # tests/conftest.py
BUY = re.compile(r"^Buy( now)?$")


def sign_in(page, live_server, username: str, edition: str = "standard") -> None:
    page.goto(f"{live_server.url}/?edition={edition}")
    page.goto(live_server.url + reverse("accounts:login"))
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()


def click(page, role: str, name) -> None:
    with page.expect_navigation():
        page.get_by_role(role, name=name).click()


def status_text(page) -> str:
    return page.locator(".order-status strong").inner_text()


@pytest.fixture
def family(browser, live_server, user, address, payer, payer_card):
    """Browser windows for the payer (Pat, with a saved card) and the beneficiary (Alice, with an address)."""
    contexts = []

    def window(who, *, edition: str = "standard", javascript: bool = True):
        context = new_context(browser, java_script_enabled=javascript)
        contexts.append(context)
        page = context.new_page()
        sign_in(page, live_server, who.username, edition)
        return page

    yield payer, user, window
    for context in contexts:
        context.close()


def invite_and_accept(live_server, payer_page, beneficiary_page) -> None:
    payer_page.goto(live_server.url + reverse("family:home"))
    payer_page.locator("#id_email").fill("alice@example.com")
    click(payer_page, "button", "Create invitation link")
    assert "Invitation sent" in payer_page.locator("main").inner_text()
    join_url = payer_page.locator("main a[href*='/family/join/']").first.get_attribute("href")
    beneficiary_page.goto(live_server.url + join_url)
    click(beneficiary_page, "button", "Accept: let Pat Parent pay for me")
    assert "You can now ask Pat Parent to pay" in beneficiary_page.locator("main").inner_text()


def test_invite_accept_ask_approve(family, live_server, product):
    payer, beneficiary, window = family
    payer_page, alice = window(payer), window(beneficiary)
    invite_and_accept(live_server, payer_page, alice)
    assert FamilyLink.objects.get().status == FamilyLink.Status.ACTIVE

    alice.goto(live_server.url + product.get_absolute_url())
    click(alice, "button", "Ask my family to pay")
    assert status_text(alice) == "Waiting for an answer"
    request_url = alice.url
    product.refresh_from_db()
    assert product.stock == 4 and Order.objects.get().status == Order.Status.AWAITING_FAMILY

    payer_page.goto(live_server.url + "/")
    nav = payer_page.get_by_role("navigation", name="Main")
    assert "My family (1 waiting)" in nav.inner_text()  # one line: the count is part of the link
    with payer_page.expect_navigation():
        nav.get_by_role("link", name=re.compile("^My family")).click()
    click(payer_page, "link", re.compile("^Alice Archer: "))
    assert payer_page.locator("h1").inner_text() == "Alice Archer asks you to pay"
    click(payer_page, "button", re.compile("^Approve and pay"))
    assert status_text(payer_page) == "Approved and paid"
    assert Order.objects.get().status == Order.Status.PAID
    assert "waiting" not in payer_page.get_by_role("navigation", name="Main").inner_text()

    # Alice comes back to her request: the change is said on the page and announced in the live region
    alice.goto(request_url)
    assert status_text(alice) == "Approved and paid"
    assert "has changed since you last looked" in alice.locator("main").inner_text()
    alice.wait_for_function(
        "() => document.getElementById('live-region').textContent.includes('Approved and paid')"
    )
    assert alice.evaluate(
        "() => document.activeElement === document.body || document.activeElement.id === 'main-content'"
    )  # the announcement moved no focus


def test_open_page_announces_a_decision_made_meanwhile(family, live_server, product, ask):
    """The beneficiary keeps the request page open; the payer declines; the 30-second poll announces it in
    #live-region without moving focus (the poll is sped up here by firing it by hand)."""
    payer, beneficiary, window = family
    pay_request, _created = ask((product, 1))
    alice = window(beneficiary, edition="screen-reader")
    alice.goto(live_server.url + pay_request.get_absolute_url())
    alice.get_by_role("link", name="All family payments").focus()
    from storefront.family import services

    services.decline(pay_request=pay_request, payer=payer, message="Not this week")
    alice.evaluate(
        "() => { const poll = document.querySelector('[id^=family-status-]');"
        " htmx.ajax('GET', poll.getAttribute('data-hx-get'), {target: poll, swap: 'outerHTML'}); }"
    )
    alice.wait_for_function("() => document.getElementById('live-region').textContent.includes('Declined')")
    assert alice.evaluate("() => document.activeElement.textContent") == "All family payments"


def test_ask_at_checkout_then_decline(family, live_server, product, make_cart):
    payer, beneficiary, window = family
    from storefront.family import services

    invite = services.create_invite(payer=payer)
    services.accept_invite(code=invite.invite_code, beneficiary=beneficiary)
    make_cart(user=beneficiary, lines=[(product, 2)])
    alice = window(beneficiary)
    alice.goto(live_server.url + reverse("checkout:address"))
    click(alice, "button", "Deliver to this address")
    assert "/checkout/review/" in alice.url
    alice.get_by_label("A note for them").fill("For the garden")
    click(alice, "button", "Ask my family to pay")
    assert status_text(alice) == "Waiting for an answer"
    pay_request = PayRequest.objects.get()
    assert pay_request.note == "For the garden" and pay_request.order.lines.get().quantity == 2

    payer_page = window(payer)
    payer_page.goto(live_server.url + pay_request.get_absolute_url())
    payer_page.get_by_label("Message for them").fill("Not this week")
    click(payer_page, "button", "Decline this request")
    assert status_text(payer_page) == "Declined"
    product.refresh_from_db()
    assert product.stock == 5 and Order.objects.get().status == Order.Status.CANCELLED
    alice.goto(live_server.url + pay_request.get_absolute_url())
    assert "Declined – Not this week" in alice.locator(".order-status").inner_text()


def test_request_expires_after_48_hours(family, live_server, product, ask, clock):
    payer, beneficiary, window = family
    pay_request, _created = ask((product, 1))
    payer_page = window(payer)
    payer_page.goto(live_server.url + pay_request.get_absolute_url())
    assert status_text(payer_page) == "Waiting for an answer"
    clock.advance(hours=47, minutes=59)
    payer_page.reload()
    assert status_text(payer_page) == "Waiting for an answer"
    clock.advance(minutes=2)
    payer_page.reload()
    assert status_text(payer_page) == "Expired"
    assert payer_page.get_by_role("button", name=re.compile("^Approve and pay")).count() == 0
    product.refresh_from_db()
    assert product.stock == 5
    assert FamilyEvent.objects.filter(kind=FamilyEvent.Kind.EXPIRED).count() == 1
    alice = window(beneficiary)
    alice.goto(live_server.url + pay_request.get_absolute_url())
    assert status_text(alice) == "Expired"
    assert "Nobody answered within 48 hours" in alice.locator("main").inner_text()


def test_keyboard_only_ask_and_approve_with_javascript_off(family, live_server, product, link):
    payer, beneficiary, window = family
    alice = window(beneficiary, javascript=False)
    alice.goto(live_server.url + product.get_absolute_url())
    tab_to(alice, by_text("Ask my family to pay", "button"))
    with alice.expect_navigation():
        alice.keyboard.press("Enter")
    assert status_text(alice) == "Waiting for an answer"

    pat = window(payer, javascript=False)
    pat.goto(live_server.url + "/")
    tab_to(pat, by_text("My family (1 waiting)", "a"))
    with pat.expect_navigation():
        pat.keyboard.press("Enter")
    tab_to(pat, by_text("Alice Archer:", "a"))
    with pat.expect_navigation():
        pat.keyboard.press("Enter")
    tab_to(pat, by_text("Approve and pay", "button"))
    with pat.expect_navigation():
        pat.keyboard.press("Enter")
    assert status_text(pat) == "Approved and paid"
    assert Order.objects.get().status == Order.Status.PAID


@pytest.mark.parametrize("edition", EDITIONS)
def test_new_family_pages_have_no_axe_violations(family, live_server, product, make_cart, edition):
    payer, beneficiary, window = family
    from storefront.family import services

    invite = services.create_invite(payer=payer)
    services.accept_invite(code=invite.invite_code, beneficiary=beneficiary)
    problems: list[str] = []
    alice = window(beneficiary, edition=edition)

    def check(page, label: str, path: str | None = None) -> None:
        if path:
            page.goto(path if path.startswith("http") else live_server.url + path)
        problems.extend(run_axe(page, edition, f"family: {label}"))

    check(alice, "product page with Ask my family to pay", product.get_absolute_url())
    click(alice, "button", "Ask my family to pay")
    check(alice, "request (beneficiary, waiting)")
    request_url = alice.url
    make_cart(user=beneficiary, lines=[(product, 1)])
    alice.goto(live_server.url + reverse("checkout:address"))
    click(alice, "button", "Deliver to this address")
    check(alice, "review step with Ask my family to pay")
    check(alice, "pay step with Ask my family to pay", reverse("checkout:pay"))

    pat = window(payer, edition=edition)
    check(pat, "family page (payer, 1 waiting in the nav)", reverse("family:home"))
    check(pat, "request (payer)", request_url)
    click(pat, "button", re.compile("^Approve and pay"))
    check(pat, "request (payer, approved)")

    check(alice, "request (beneficiary, status changed)", request_url)
    order = Order.objects.filter(status=Order.Status.PAID).get()
    check(alice, "order page of a family-paid order", order.get_absolute_url())
    click(alice, "button", "Cancel this order")
    check(alice, "cancel confirmation of a family-paid order")
    click(alice, "button", "Yes, cancel this order")
    check(alice, "order page after cancelling (refunded)")
    check(alice, "request (beneficiary, refunded)", request_url)
    check(pat, "request (payer, refunded)", request_url)
    assert PayRequest.objects.get(order=order).status == PayRequest.Status.REFUNDED
    assert not problems, "\n".join(problems)
