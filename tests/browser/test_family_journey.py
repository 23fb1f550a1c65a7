"""Issue 17's "Done when": a grandmother (elder edition, on a 390x844 phone) and her daughter (standard edition, on
a desktop), in real Chromium, with JavaScript off and the keyboard only, walk through family payment as they
would live it: the grandmother starts the link herself ("Ask a family member to help me") and gives her daughter
the short code; the daughter accepts, names her "Mum", sets a monthly allowance, and prepares a basket for her
("Help me shop"); the grandmother confirms it with one press; the allowance pays; she cancels within 30 minutes
and the daughter's card is refunded. Every page on the way is checked with axe-core (WCAG 2.2 A/AA; the elder
edition also AAA contrast), and a screenshot of each step is saved under tests/browser/artifacts/family_journey/
(git-ignored).
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from browserkit import by_name, by_text, new_context, run_axe, tab_to
from django.urls import reverse

from storefront.checkout.models import Order
from storefront.family.models import Allowance, FamilyEvent, FamilyLink, HelpBasket, PayRequest

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct-horse-battery-staple"  # tests/conftest.py
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
ARTIFACTS = Path(__file__).parent / "artifacts" / "family_journey"


class Person:
    """One person's browser window: keyboard-only steps, an axe check and a screenshot for each page."""

    def __init__(
        self, browser, live_server, user, *, edition: str, viewport: dict, problems: list[str]
    ) -> None:
        self.browser = browser
        self.viewport = viewport
        self.context = new_context(browser, java_script_enabled=False, viewport=viewport)
        self.page = self.context.new_page()
        self.url = live_server.url
        self.user = user
        self.edition = edition
        self.problems = problems
        self.step = 0

    def goto(self, path: str) -> None:
        self.page.goto(self.url + path)

    def main_text(self) -> str:
        return self.page.locator("main").inner_text()

    def type_into(self, name: str, text: str) -> None:
        tab_to(self.page, by_name(name))
        self.page.keyboard.type(text)

    def press(self, match) -> None:
        """Tab to the control and press Enter; it must load a new page (JavaScript is off)."""
        tab_to(self.page, match)
        with self.page.expect_navigation():
            self.page.keyboard.press("Enter")

    def check(self, label: str) -> None:
        self.step += 1
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(
            path=str(ARTIFACTS / f"{self.step:02d}-{self.user.username}-{label}.png"), full_page=True
        )
        width = self.page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= self.viewport["width"], f"{label}: the page is {width}px wide (no sideways scrolling)"
        self.axe(label)

    def axe(self, label: str) -> None:
        """axe-core runs as a script, which this window has switched off: the same page is opened, signed in
        as the same person, in a window with scripts on, and checked there."""
        context = new_context(
            self.browser, viewport=self.viewport, storage_state=self.context.storage_state()
        )
        try:
            page = context.new_page()
            page.goto(self.page.url)
            self.problems.extend(run_axe(page, self.edition, f"family journey: {label}"))
        finally:
            context.close()

    def sign_in(self) -> None:
        self.goto(f"/?edition={self.edition}")
        assert f"edition-{self.edition}" in (self.page.get_attribute("html", "class") or "")
        self.goto(reverse("accounts:login"))
        self.type_into("username", self.user.username)
        self.type_into("password", PASSWORD)
        self.press(
            lambda s: (
                s is not None
                and s["tag"] == "button"
                and s["type"] == "submit"
                and "sign in" in s["text"].lower()
            )
        )

    def open_my_family(self) -> None:
        self.goto("/")
        self.press(lambda s: s is not None and s["tag"] == "a" and s["href"].endswith(reverse("family:home")))
        assert self.page.url.endswith(reverse("family:home"))


@pytest.fixture
def people(browser, live_server, make_user, make_address, make_saved_card):
    grandma = make_user("grandma_kim", display_name="Soon-ja")
    make_address(grandma, is_default=True)
    daughter = make_user("daughter_jin", display_name="Jin")
    make_saved_card(daughter, is_default=True)
    problems: list[str] = []
    her = Person(browser, live_server, grandma, edition="elder", viewport=PHONE, problems=problems)
    jin = Person(browser, live_server, daughter, edition="standard", viewport=DESKTOP, problems=problems)
    yield her, jin, problems
    her.context.close()
    jin.context.close()


def test_grandmother_and_daughter_link_basket_confirm_allowance_cancel(people, product):
    her, jin, problems = people
    stock_before = product.stock

    # 1. The grandmother starts the link from her side, on her phone.
    her.sign_in()
    her.open_my_family()
    her.check("family-page-nobody-pays-yet")
    tab_to(her.page, by_name("help-relation"))
    her.page.keyboard.type("Daughter")  # the select's type-ahead, as a keyboard user chooses
    her.press(by_text("Ask a family member to help me", "button"))
    link = FamilyLink.objects.get()
    assert (link.beneficiary, link.payer, link.payer_relation) == (her.user, None, "daughter")
    assert link.share_code in her.main_text()
    her.check("code-to-share")

    # 2. Her daughter types the code at her desk, names her "Mum" and accepts.
    jin.sign_in()
    jin.open_my_family()
    jin.type_into("code-code", link.share_code.replace("-", " ").lower())
    jin.press(by_text("Open their request", "button"))
    assert "Soon-ja asks you to help with their shopping" in jin.main_text()
    jin.check("join-request-for-help")
    tab_to(jin.page, by_name("relation"))
    jin.page.keyboard.type("Mum")
    jin.press(by_text("Accept: help Soon-ja shop", "button"))
    link.refresh_from_db()
    assert (link.status, link.payer, link.beneficiary_name) == (
        FamilyLink.Status.ACTIVE,
        jin.user,
        "Mum (Soon-ja)",
    )
    assert "You now help Mum (Soon-ja)" in jin.main_text()
    jin.check("linked-payer-page")

    # She sets a monthly allowance (the disclosure opens with Enter, no script needed).
    tab_to(jin.page, by_text("Set a monthly allowance for Mum (Soon-ja)", "summary"))
    jin.page.keyboard.press("Enter")
    jin.type_into(f"allowance-{link.pk}-monthly_limit", "50")
    jin.press(by_text("Save allowance", "button"))
    assert Allowance.objects.get(link=link).monthly_limit == Decimal("50.00")

    # 3. Help me shop: she puts apples in her own cart and sends it to Mum as a basket.
    jin.goto(product.get_absolute_url())
    jin.press(by_text("Add to cart", "button"))
    jin.open_my_family()
    jin.type_into(f"basket-{link.pk}-note", "Apples for the weekend")
    jin.press(by_text("Send my cart to Mum (Soon-ja) as a basket", "button"))
    basket = HelpBasket.objects.get()
    assert basket.status == HelpBasket.Status.OFFERED and not Order.objects.exists()
    assert "Nothing is ordered until they confirm it." in jin.main_text()
    jin.check("basket-sent")

    # 4. The grandmother sees it on her family page, with her allowance and what is left, and confirms it.
    her.open_my_family()
    text = her.main_text()
    assert "Daughter (Jin) pays for your shopping." in text
    assert "$50.00 left this month, of $50.00." in text
    her.check("basket-waiting-allowance-left")
    her.press(by_text("A basket from Daughter (Jin)", "a"))
    assert "paid at once from the monthly allowance Daughter (Jin) set for you" in her.main_text()
    her.check("basket-to-confirm")
    her.press(by_text("Confirm and order", "button"))
    basket.refresh_from_db()
    order = basket.pay_request.order
    assert basket.status == HelpBasket.Status.CONFIRMED
    assert (order.user, order.status, basket.pay_request.by_allowance) == (her.user, Order.Status.PAID, True)
    assert "Ordered. Paid from the monthly allowance Daughter (Jin) set for you." in her.main_text()
    her.check("confirmed-paid-by-allowance")

    # 5. The daughter sees what was paid, with a receipt, on her own orders page.
    jin.goto(reverse("checkout:orders"))
    assert f"Order {order.number} for Mum (Soon-ja)" in jin.main_text()
    jin.check("payer-orders-with-receipt")
    jin.press(by_text("Receipt", "a"))
    assert f"Receipt for order {order.number}" in jin.main_text()
    jin.check("receipt")

    # 6. The grandmother changes her mind within 30 minutes: the order is cancelled, the card refunded.
    her.goto(basket.get_absolute_url())
    her.press(lambda s: s is not None and s["tag"] == "button" and "cancel" in s["text"].lower())
    order.refresh_from_db()
    if order.status != Order.Status.CANCELLED:  # an edition may ask "are you sure?" first
        her.check("cancel-confirmation")
        her.press(lambda s: s is not None and s["tag"] == "button" and "cancel" in s["text"].lower())
        order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED
    assert PayRequest.objects.get(order=order).status == PayRequest.Status.REFUNDED
    product.refresh_from_db()
    assert product.stock == stock_before
    her.check("cancelled-refunded")

    # Audited on both sides: each reads the same history, naming the other the way they chose.
    kinds = list(
        FamilyEvent.objects.filter(link=link).order_by("created_at", "id").values_list("kind", flat=True)
    )
    for kind in (
        "invited",
        "accepted",
        "allowance_set",
        "basket_prepared",
        "basket_confirmed",
        "allowance",
        "refunded",
    ):
        assert kind in kinds
    jin.open_my_family()
    history = jin.page.locator("#history").locator("xpath=..").inner_text()
    assert "Basket confirmed and ordered" in history and "Mum (Soon-ja)" in history
    jin.check("payer-history")
    her.open_my_family()
    history = her.page.locator("#history").locator("xpath=..").inner_text()
    assert "Basket prepared" in history and "Daughter (Jin)" in history
    her.check("elder-history")
    assert re.search(r"Order cancelled and payment refunded", history)

    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("edition", ["standard", "elder", "screen-reader", "cross-border"])
def test_new_family_pages_are_axe_clean_in_every_edition(
    browser, live_server, make_user, make_address, make_saved_card, product, edition
):
    """The pages issue 17 added or changed, as each side sees them, with JavaScript off: the starting page, the
    code to share, the join page for a request for help, both family pages, a basket waiting and confirmed,
    the payer's orders with receipts, the receipt, the family card page and the account's name field."""
    from storefront.checkout.placement import WantedLine
    from storefront.family import services

    grandma = make_user("grandma_kim", display_name="Soon-ja")
    make_address(grandma, is_default=True)
    daughter = make_user("daughter_jin", display_name="Jin")
    make_saved_card(daughter, is_default=True)
    problems: list[str] = []
    viewport = PHONE if edition == "elder" else DESKTOP
    her = Person(browser, live_server, grandma, edition=edition, viewport=viewport, problems=problems)
    jin = Person(browser, live_server, daughter, edition=edition, viewport=viewport, problems=problems)
    try:
        her.sign_in()
        jin.sign_in()
        for person, label in ((her, "starting"), (jin, "starting-payer")):
            person.goto(reverse("family:home"))
            person.axe(f"family {label}")
        link = services.ask_for_help(beneficiary=grandma, relation="daughter")
        her.goto(reverse("family:home"))
        her.axe("family: code to share")
        jin.goto(reverse("family:join", args=[link.invite_code]))
        jin.axe("family: join a request for help")
        link = services.accept(code=link.invite_code, by=daughter, relation="mother")
        services.set_allowance(link=link, payer=daughter, monthly_limit=Decimal("50"))
        basket = services.prepare_basket(link=link, payer=daughter, lines=[WantedLine(product.pk, 1)])
        for person, label in ((her, "beneficiary"), (jin, "payer")):
            person.goto(reverse("family:home"))
            person.axe(f"family page ({label})")
            person.goto(basket.get_absolute_url())
            person.axe(f"basket waiting ({label})")
        services.confirm_basket(
            basket=basket, beneficiary=grandma, address=grandma.addresses.get().as_snapshot()
        )
        basket.refresh_from_db()
        for person, label in ((her, "beneficiary"), (jin, "payer")):
            person.goto(basket.get_absolute_url())
            person.axe(f"basket confirmed ({label})")
        for path, label in (
            (reverse("checkout:orders"), "payer's orders with receipts"),
            (reverse("family:receipt", args=[basket.pay_request.public_id]), "receipt"),
            (reverse("family:add_card") + "?next=/family/", "family card page"),
            (basket.pay_request.get_absolute_url(), "request (payer)"),
            (reverse("accounts:account"), "account with the name field"),
        ):
            jin.goto(path)
            jin.axe(label)
    finally:
        her.context.close()
        jin.context.close()
    assert not problems, "\n".join(problems)
