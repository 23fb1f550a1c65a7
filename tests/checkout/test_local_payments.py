"""Local payment methods per destination (issue 5): only what the delivery country offers is shown or accepted,
and the redirect flows (confirm, fail, cancel, pending, abandoned) settle each order exactly once."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from editions import registry
from storefront.cart.models import CartLine
from storefront.checkout import oneclick, payments, reconciler
from storefront.checkout.gateways.base import ChargeRequest
from storefront.checkout.models import Order, Payment
from storefront.checkout.state import ADDRESS_KEY
from storefront.markets import payment_methods
from storefront.markets.payment_methods import Kind, PaymentMethod
from storefront.sandbox.models import SandboxWalletCharge
from storefront.sandbox.wallets import SandboxWalletGateway

LOCAL = {
    "US": [],
    "CN": ["alipay"],
    "KR": ["kakaopay"],
    "SA": ["mada"],
    "SG": ["grabpay"],
    "ID": ["ovo"],
    "DE": [],
    "GB": [],
    "FR": [],
    "JP": [],
}
ALL_LOCAL = {"alipay", "kakaopay", "mada", "grabpay", "ovo"}


@pytest.fixture
def shop_to(user_client, user, product, make_cart, make_address):
    """Signed in, two apples in the cart, a delivery address in `country` chosen."""
    make_cart(user=user, lines=[(product, 2)])

    def go(country: str):
        address = make_address(user, country=country, country_area="", postal_code="", city="CITY")
        session = user_client.session
        session[ADDRESS_KEY] = address.pk
        session.save()
        return user_client

    return go


def stock_of(product) -> int:
    product.refresh_from_db()
    return product.stock


def offered(html: str) -> set[str]:
    return set(re.findall(r'name="method" value="([^"]+)"', html))


def choose(client, method: str, key: str = "wallet-key-1", **params):
    url = reverse("checkout:pay") + (f"?currency={params['currency']}" if "currency" in params else "")
    return client.post(url, {"method": method, "idempotency_key": key})


def to_provider(client, method: str, key: str = "wallet-key-1") -> str:
    response = choose(client, method, key)
    assert response.status_code == 302 and response["Location"].startswith("/test-provider/"), response
    return response["Location"]


def provider_says(client, page: str, outcome: str, follow: bool = True):
    return client.post(page, {"outcome": outcome}, follow=follow)


def cart_is_kept(user) -> bool:
    return CartLine.objects.filter(cart__user=user).exists()


# --- what is offered where -------------------------------------------------------------------------------


def test_the_registry_offers_cards_everywhere_and_local_methods_at_home():
    for country, local in LOCAL.items():
        codes = [m.code for m in payment_methods.available_for(country)]
        assert codes == ["card", *local], country
    assert payment_methods.get("grabpay").countries == frozenset({"SG"})  # MY/PH are not destinations yet
    assert [m.code for m in payment_methods.available_for("kr")] == ["card", "kakaopay"]
    assert str(payment_methods.get("kakaopay").name) == "Kakao Pay"
    assert (
        payment_methods.get("alipay").kind is Kind.REDIRECT and payment_methods.get("card").kind is Kind.CARD
    )


@pytest.mark.parametrize("country", sorted(LOCAL))
def test_pay_page_shows_exactly_the_methods_of_the_destination(shop_to, country):
    html = shop_to(country).get(reverse("checkout:pay")).content.decode()
    assert offered(html) == {"new", *LOCAL[country]}
    assert "A new card" in html
    for code in ALL_LOCAL - set(LOCAL[country]):
        assert f'value="{code}"' not in html
    names = {"alipay": "Alipay", "kakaopay": "Kakao Pay", "mada": "Mada", "grabpay": "GrabPay", "ovo": "OVO"}
    for code in LOCAL[country]:
        assert names[code] in html
        assert f"With {names[code]}, you approve the payment on the {names[code]} page" in html
    assert ("you approve the payment" in html) == bool(LOCAL[country])


def test_saved_cards_are_offered_beside_the_local_method(shop_to, user, make_saved_card):
    card = make_saved_card(user)
    html = shop_to("KR").get(reverse("checkout:pay")).content.decode()
    assert offered(html) == {str(card.pk), "new", "kakaopay"}


def test_a_method_not_available_for_the_destination_is_a_form_error(shop_to, product):
    client = shop_to("KR")
    response = choose(client, "alipay")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Alipay is not available for delivery to South Korea. Choose another way to pay." in html
    assert 'href="#id_method_0"' in html  # in the error summary, linked to the choice
    assert not Order.objects.exists() and not SandboxWalletCharge.objects.exists()
    assert stock_of(product) == 5
    unknown = choose(client, "bitcoin")
    assert unknown.status_code == 400 and "Choose one of the ways to pay shown." in unknown.content.decode()


def test_card_fields_are_not_checked_when_paying_with_a_wallet(shop_to):
    client = shop_to("KR")
    response = choose(client, "kakaopay")  # the card form's fields are empty
    assert response.status_code == 302 and response["Location"].startswith("/test-provider/")
    html = client.get(response["Location"]).content.decode()  # what the shopper sees next: the wallet's page
    assert "Kakao Pay test payment page" in html and "Confirm payment" in html
    assert "Enter the card number." not in html
    assert Order.objects.get().payment_method_label == "Kakao Pay"


# --- redirect flows --------------------------------------------------------------------------------------


def test_confirmed_payment_pays_the_order_and_empties_the_cart(shop_to, user, product):
    client = shop_to("KR")
    page = to_provider(client, "kakaopay")
    order = Order.objects.get()
    assert order.status == Order.Status.PENDING_PAYMENT and order.payment_method_label == "Kakao Pay"
    assert stock_of(product) == 3 and cart_is_kept(user)  # reserved; the cart waits for the outcome
    payment = order.payments.get()
    assert (payment.status, payment.gateway, payment.method) == (
        Payment.Status.UNKNOWN,
        "test_wallets",
        "kakaopay",
    )
    assert payment.idempotency_key == f"order-{order.number}-charge"

    html = client.get(page).content.decode()
    assert "Kakao Pay test payment page" in html and "No real money moves." in html
    for button in ("Confirm payment", "Payment fails", "Cancel"):
        assert button in html
    assert html.count("<h1") == 1 and 'name="csrfmiddlewaretoken"' in html and 'id="main-content"' in html

    back = provider_says(client, page, "confirm", follow=False)
    assert back["Location"] == f"http://testserver{reverse('checkout:pay_return', args=[order.number])}"
    response = client.get(back["Location"], follow=True)
    assert response.redirect_chain[-1][0] == reverse("checkout:confirmation", args=[order.number])
    assert "Thank you, your order is confirmed" in response.content.decode()
    order.refresh_from_db()
    assert order.status == Order.Status.PAID and order.paid_at is not None
    payment.refresh_from_db()
    charge = SandboxWalletCharge.objects.get(kind="charge")
    assert payment.status == Payment.Status.SUCCEEDED and payment.reference == charge.reference
    assert (charge.amount, charge.currency) == (order.total, order.currency)
    assert stock_of(product) == 3 and not cart_is_kept(user)


def test_declined_payment_fails_the_order_keeps_the_cart_and_says_so(shop_to, user, product):
    client = shop_to("CN")
    page = to_provider(client, "alipay")
    response = provider_says(client, page, "fail")
    assert response.redirect_chain[-1][0] == reverse("checkout:pay")
    html = response.content.decode()
    assert "Alipay declined the payment. You have not been charged. Choose another way to pay." in html
    order = Order.objects.get()
    assert order.status == Order.Status.PAYMENT_FAILED and order.stock_released
    assert order.payments.get().status == Payment.Status.DECLINED
    assert stock_of(product) == 5 and cart_is_kept(user)
    client.get(reverse("checkout:pay_return", args=[order.number]))  # back again: nothing more happens
    assert stock_of(product) == 5


def test_cancelled_payment_cancels_the_order_and_keeps_the_cart(shop_to, user, product):
    client = shop_to("KR")
    page = to_provider(client, "kakaopay")
    response = provider_says(client, page, "cancel")
    assert response.redirect_chain[-1][0] == reverse("checkout:pay")
    assert "You cancelled the payment in Kakao Pay. Nothing was charged." in response.content.decode()
    order = Order.objects.get()
    assert order.status == Order.Status.CANCELLED and order.cancelled_at is not None
    assert order.payments.get().status == Payment.Status.CANCELLED
    assert stock_of(product) == 5 and cart_is_kept(user)
    assert SandboxWalletCharge.objects.get().status == SandboxWalletCharge.Status.CANCELLED
    # The pay page offers a fresh attempt, with a new key.
    again = to_provider(client, "kakaopay", key="wallet-key-2")
    assert Order.objects.count() == 2 and again != page and stock_of(product) == 3


def test_pending_return_waits_and_ignores_what_the_browser_claims(shop_to, product):
    client = shop_to("SA")
    page = to_provider(client, "mada")
    order = Order.objects.get()
    url = reverse("checkout:pay_return", args=[order.number])
    response = client.get(url, {"status": "succeeded", "paid": "1"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "We are waiting for Mada" in html and "Check again" in html and f'href="{page}"' in html
    order.refresh_from_db()
    assert order.status == Order.Status.PENDING_PAYMENT and stock_of(product) == 3
    provider_says(client, page, "confirm", follow=False)
    checked = client.post(url, follow=True)  # "Check again"
    assert checked.redirect_chain[-1][0] == reverse("checkout:confirmation", args=[order.number])
    order.refresh_from_db()
    assert order.status == Order.Status.PAID


def test_stopping_from_the_pending_page_cancels_at_the_provider(shop_to, product):
    client = shop_to("ID")
    page = to_provider(client, "ovo")
    order = Order.objects.get()
    response = client.post(
        reverse("checkout:pay_return", args=[order.number]), {"action": "cancel"}, follow=True
    )
    assert "You cancelled the payment in OVO. Nothing was charged." in response.content.decode()
    assert SandboxWalletCharge.objects.get().status == SandboxWalletCharge.Status.CANCELLED
    provider_says(client, page, "confirm", follow=False)  # too late: the provider closed it
    assert SandboxWalletCharge.objects.get().status == SandboxWalletCharge.Status.CANCELLED
    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED and stock_of(product) == 5


def test_double_return_and_double_confirm_settle_once(shop_to, user, product):
    client = shop_to("SG")
    page = to_provider(client, "grabpay")
    order = Order.objects.get()
    provider_says(client, page, "confirm", follow=False)
    provider_says(client, page, "confirm", follow=False)  # a second click on the provider's page
    assert SandboxWalletCharge.objects.filter(kind="charge").count() == 1
    url = reverse("checkout:pay_return", args=[order.number])
    client.get(url)
    paid_at = Order.objects.get().paid_at
    cart = user.cart
    CartLine.objects.create(cart=cart, product=product, quantity=1)  # shopping on after paying
    response = client.get(url, follow=True)  # a refresh, or the browser's back button
    assert response.redirect_chain[-1][0] == reverse("checkout:confirmation", args=[order.number])
    assert Order.objects.get().paid_at == paid_at and Payment.objects.count() == 1
    assert CartLine.objects.filter(cart=cart).count() == 1  # the new cart is not emptied again
    assert stock_of(product) == 3


def test_double_submit_of_the_pay_form_starts_one_payment(shop_to, user, product):
    client = shop_to("CN")
    first = to_provider(client, "alipay", key="same")
    second = choose(client, "alipay", key="same")
    order = Order.objects.get()
    assert second["Location"] == reverse("checkout:pay_return", args=[order.number])
    assert (
        SandboxWalletCharge.objects.count() == 1 and Payment.objects.count() == 1 and stock_of(product) == 3
    )
    assert client.get(second["Location"]).status_code == 200  # the waiting page, linking to the same payment
    assert first.startswith("/test-provider/")


def test_begin_is_idempotent_per_key(db):
    gateway = SandboxWalletGateway()
    request = ChargeRequest("", Decimal("12.50"), "SAR", "order-X-charge", "Order X")
    first = gateway.begin(request, "mada", "http://testserver/back/")
    again = gateway.begin(request, "mada", "http://testserver/back/")
    assert first == again and SandboxWalletCharge.objects.count() == 1
    assert gateway.lookup("order-X-charge").outcome.value == "pending"


def test_amount_and_currency_sent_to_the_provider_are_the_order_total_in_the_display_currency(
    shop_to, product
):
    client = shop_to("KR")
    pay_page = client.get(reverse("checkout:pay"), {"currency": "KRW"}).content.decode()
    shown = re.search(r"Total to pay: (₩[\d,]+)", pay_page).group(1)
    page = to_provider(client, "kakaopay")
    order = Order.objects.get()
    charge = SandboxWalletCharge.objects.get()
    assert order.currency == charge.currency == "KRW"
    assert charge.amount == order.total and order.total > 1000  # won, not dollars
    assert shown == f"₩{int(order.total):,}"  # what the pay page promised is what the provider asks for
    html = client.get(page).content.decode()
    assert f'{shown} <span class="currency-code">KRW</span>' in html


def test_refund_of_a_wallet_charge_goes_back_through_the_wallet(shop_to, product):
    client = shop_to("CN")
    page = to_provider(client, "alipay")
    provider_says(client, page, "confirm")
    order = Order.objects.get()
    assert order.status == Order.Status.PAID
    order = oneclick.cancel(order=order)  # the one-click "Cancel this order" within 30 minutes
    assert order.status == Order.Status.CANCELLED and stock_of(product) == 5
    refund = order.payments.get(kind=Payment.Kind.REFUND)
    assert (refund.status, refund.gateway, refund.amount) == (
        Payment.Status.SUCCEEDED,
        "test_wallets",
        order.total,
    )
    ledger = SandboxWalletCharge.objects.get(kind="refund")
    assert ledger.refund_of == order.payments.get(kind=Payment.Kind.CHARGE).reference
    assert payments.refund(order, reason="cancel")  # again: the same refund, not a second one
    assert SandboxWalletCharge.objects.filter(kind="refund").count() == 1


# --- abandoned and odd cases -----------------------------------------------------------------------------


def test_an_abandoned_payment_is_closed_after_30_minutes(shop_to, product, clock):
    client = shop_to("KR")
    page = to_provider(client, "kakaopay")
    order = Order.objects.get()
    clock.advance(minutes=29)
    assert payments.expire_abandoned_redirects() == 0
    clock.advance(minutes=2)
    assert payments.expire_abandoned_redirects() == 1
    order.refresh_from_db()
    assert order.status == Order.Status.EXPIRED and stock_of(product) == 5
    assert "not finished within 30 minutes" in order.failure_message
    provider_says(client, page, "confirm", follow=False)  # the provider closed it: nothing is charged
    assert SandboxWalletCharge.objects.get().status == SandboxWalletCharge.Status.CANCELLED
    response = client.get(reverse("checkout:pay_return", args=[order.number]), follow=True)
    assert "Nothing was charged." in response.content.decode() and stock_of(product) == 5


def test_returning_after_30_minutes_expires_it_then(shop_to, product, clock):
    client = shop_to("KR")
    to_provider(client, "kakaopay")
    order = Order.objects.get()
    clock.advance(minutes=45)
    response = client.get(reverse("checkout:pay_return", args=[order.number]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("checkout:pay")
    assert "was not finished within 30 minutes" in response.content.decode()
    assert Order.objects.get().status == Order.Status.EXPIRED


def test_a_payment_confirmed_just_before_expiry_still_counts(shop_to, product, clock):
    client = shop_to("KR")
    page = to_provider(client, "kakaopay")
    provider_says(client, page, "confirm", follow=False)
    clock.advance(hours=2)
    assert payments.expire_abandoned_redirects() == 0
    assert Order.objects.get().status == Order.Status.PAID


def test_money_arriving_for_a_cancelled_order_is_refunded(shop_to, product):
    client = shop_to("CN")
    page = to_provider(client, "alipay")
    order = Order.objects.get()
    Order.objects.filter(pk=order.pk).update(
        status=Order.Status.CANCELLED
    )  # e.g. staff cancelled it meanwhile
    provider_says(client, page, "confirm")
    assert Order.objects.get().status == Order.Status.CANCELLED
    assert order.payments.get(kind=Payment.Kind.REFUND).status == Payment.Status.SUCCEEDED


def test_a_provider_refusing_to_start_fails_the_order(place, product):
    order, _ = place((product, 1))
    unknown = PaymentMethod("nowhere", "Nowhere Pay", Kind.REDIRECT, None, "test_wallets")
    assert payments.begin_redirect(order, unknown, "http://testserver/back/") == ""
    order.refresh_from_db()
    assert order.status == Order.Status.PAYMENT_FAILED and order.failure_message
    assert stock_of(product) == 5


def test_reconciling_a_pending_wallet_order_leaves_it_waiting(shop_to):
    to_provider(shop_to("KR"), "kakaopay")
    order = reconciler.settle_if_due(Order.objects.get())  # the card-timeout check must not fail it
    assert order.status == Order.Status.PENDING_PAYMENT


def test_only_the_owner_can_use_the_return_page(shop_to, client, other_user):
    to_provider(shop_to("KR"), "kakaopay")
    order = Order.objects.get()
    client.force_login(other_user)
    assert client.get(reverse("checkout:pay_return", args=[order.number])).status_code == 404


def test_finished_provider_page_links_back_to_the_shop(shop_to):
    client = shop_to("KR")
    page = to_provider(client, "kakaopay")
    provider_says(client, page, "fail", follow=False)
    html = client.get(page).content.decode()
    assert "This payment is finished" in html and "Confirm payment" not in html
    assert "/checkout/pay/return/" in html


def test_coming_back_to_pay_releases_the_shoppers_own_abandoned_payment(shop_to, product, clock):
    client = shop_to("KR")
    to_provider(client, "kakaopay")
    assert stock_of(product) == 3
    clock.advance(minutes=31)
    assert client.get(reverse("checkout:pay")).status_code == 200
    assert Order.objects.get().status == Order.Status.EXPIRED and stock_of(product) == 5


@pytest.mark.parametrize("slug", [e.slug for e in registry.all_editions()])
def test_provider_and_waiting_pages_in_every_edition(shop_to, assert_edition_page, slug):
    client = shop_to("SG")
    client.get(reverse("home"), {"edition": slug})
    page = to_provider(client, "grabpay")
    assert_edition_page(client.get(page), slug)
    waiting = client.get(reverse("checkout:pay_return", args=[Order.objects.get().number]))
    assert waiting.status_code == 200
    assert_edition_page(waiting, slug)


# --- races (PostgreSQL: real row locks, one connection per thread) ---------------------------------------


def _pending_wallet_order(user, product, key: str) -> Order:
    from storefront.checkout import placement

    order, _ = placement.place_order(
        user=user,
        lines=[placement.WantedLine(product.pk, 3)],
        address={"country": "KR"},
        idempotency_key=key,
        payment_method_label="Kakao Pay",
    )
    payments.begin_redirect(order, payment_methods.get("kakaopay"), "http://testserver/back/")
    return order


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("outcome", ["confirm", "fail", "cancel"])
def test_concurrent_returns_settle_once(user, make_product, outcome):
    from racekit import run_in_threads

    from storefront.sandbox import wallets as sandbox_wallets

    product = make_product("Raced Pears", stock=4)
    order = _pending_wallet_order(user, product, f"race-{outcome}")
    sandbox_wallets.settle(
        Payment.objects.get().reference,
        {
            "confirm": SandboxWalletCharge.Status.SUCCEEDED,
            "fail": SandboxWalletCharge.Status.DECLINED,
            "cancel": SandboxWalletCharge.Status.CANCELLED,
        }[outcome],
    )

    results = run_in_threads(8, lambda i: payments.settle_redirect(Order.objects.get(pk=order.pk)).status)

    expected = {
        "confirm": Order.Status.PAID,
        "fail": Order.Status.PAYMENT_FAILED,
        "cancel": Order.Status.CANCELLED,
    }[outcome]
    assert set(results) == {expected}, results
    assert stock_of(product) == (1 if outcome == "confirm" else 4)  # released exactly once, or kept sold
    assert Payment.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_confirm_and_expiry_end_one_way(user, make_product):
    from racekit import run_in_threads

    from storefront.sandbox import wallets as sandbox_wallets

    product = make_product("Raced Plums", stock=4)
    order = _pending_wallet_order(user, product, "race-expiry")
    Payment.objects.update(created_at=Payment.objects.get().created_at - payments.REDIRECT_TIMEOUT)
    reference = Payment.objects.get().reference

    def work(i: int) -> str:
        if i % 2:
            return sandbox_wallets.settle(reference, SandboxWalletCharge.Status.SUCCEEDED).status
        return payments.settle_redirect(Order.objects.get(pk=order.pk)).status

    results = run_in_threads(8, work)
    assert not [r for r in results if isinstance(r, Exception)], results
    charge = SandboxWalletCharge.objects.get(kind="charge")
    order.refresh_from_db()
    if charge.status == SandboxWalletCharge.Status.SUCCEEDED:  # confirmed first: paid, stock stays sold
        assert order.status == Order.Status.PAID and stock_of(product) == 1
    else:  # closed first: the confirmation came too late, nothing charged
        assert charge.status == SandboxWalletCharge.Status.CANCELLED
        assert order.status == Order.Status.CANCELLED and stock_of(product) == 4


def test_the_scheduled_command_closes_abandoned_payments(shop_to, product, clock):
    from io import StringIO

    from django.core.management import call_command

    client = shop_to("CN")
    to_provider(client, "alipay")
    clock.advance(minutes=31)
    out = StringIO()
    call_command("expire_abandoned_payments", stdout=out)
    assert "Cancelled 1 abandoned wallet payment(s)." in out.getvalue()
    assert Order.objects.get().status == Order.Status.EXPIRED and stock_of(product) == 5


# --- an unfinished wallet payment: continue, pay another way, or cancel (issue 11, reproduction 3) ----------


def test_leaving_the_wallet_page_then_paying_by_card_reuses_the_order(
    shop_to, user, product, make_saved_card
):
    client = shop_to("KR")
    card = make_saved_card(user, is_default=True)
    page = to_provider(client, "kakaopay")
    order = Order.objects.get()
    pay_page = client.get(reverse("checkout:pay")).content.decode()
    assert "Payment not finished" in pay_page and page in pay_page  # Continue paying with Kakao Pay
    assert reverse("checkout:cancel", args=[order.number]) in pay_page
    response = client.post(reverse("checkout:pay"), {"method": str(card.pk), "idempotency_key": "card-key-2"})
    assert response["Location"] == reverse("checkout:confirmation", args=[order.number])  # not "sold out"
    order.refresh_from_db()
    assert Order.objects.count() == 1 and order.status == Order.Status.PAID and stock_of(product) == 3
    assert order.payments.get(method="kakaopay").status == Payment.Status.CANCELLED
    assert (
        SandboxWalletCharge.objects.get().status == SandboxWalletCharge.Status.CANCELLED
    )  # closed at the provider
    assert provider_says(client, page, "confirm").status_code == 200
    assert order.payments.filter(kind=Payment.Kind.CHARGE, status=Payment.Status.SUCCEEDED).count() == 1


def test_the_order_page_offers_continue_check_and_cancel_for_an_open_wallet_payment(shop_to, product):
    client = shop_to("KR")
    page = to_provider(client, "kakaopay")
    order = Order.objects.get()
    html = client.get(reverse("checkout:order", args=[order.number])).content.decode()
    assert page in html and reverse("checkout:pay_return", args=[order.number]) in html
    response = client.post(reverse("checkout:cancel", args=[order.number]), follow=True)
    assert "Nothing was charged" in response.content.decode()
    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED and stock_of(product) == 5
    assert order.events.last().source == "shopper"
    assert SandboxWalletCharge.objects.get().status == SandboxWalletCharge.Status.CANCELLED


def test_switching_to_another_wallet_that_was_paid_meanwhile_keeps_the_payment(shop_to, product, user):
    client = shop_to("KR")
    page = to_provider(client, "kakaopay")
    SandboxWalletCharge.objects.update(status=SandboxWalletCharge.Status.SUCCEEDED)  # paid in another tab
    order = Order.objects.get()
    response = client.post(reverse("checkout:cancel", args=[order.number]), follow=True)
    order.refresh_from_db()
    assert order.status == Order.Status.PAID and stock_of(product) == 3
    assert "paid a moment ago" in response.content.decode()
    assert page
