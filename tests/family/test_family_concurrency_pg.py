"""Family payment races on PostgreSQL with real connections: many approvals of one request charge once, and
many identical asks make one request and one reservation. Skipped on SQLite (see tests/conftest.py)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from racekit import run_in_threads

from storefront.checkout import placement
from storefront.checkout.models import Order, Payment
from storefront.family import services
from storefront.family.models import PayRequest
from storefront.sandbox.models import SandboxCardCharge as GatewayLedger

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_ten_simultaneous_approvals_charge_once(ask, product, payer_client, payer_card):
    pay_request, _ = ask((product, 2))
    cookies = payer_client.cookies

    def approve(i: int) -> int:
        client = Client()
        client.cookies = cookies
        return client.post(
            reverse("family:approve", args=[pay_request.public_id]), {"method": str(payer_card.pk)}
        ).status_code

    assert set(run_in_threads(10, approve)) == {302}
    pay_request.refresh_from_db()
    assert pay_request.status == PayRequest.Status.APPROVED
    assert Order.objects.get().status == Order.Status.PAID
    assert GatewayLedger.objects.filter(kind="charge").count() == 1
    assert Payment.objects.count() == 1
    product.refresh_from_db()
    assert product.stock == 3


def test_ten_identical_asks_make_one_request(link, user, address, product):
    lines = [placement.WantedLine(product.pk, 2)]

    def asking(i: int):
        return services.ask_to_pay(beneficiary=user, lines=lines, address=address.as_snapshot())

    results = run_in_threads(10, asking)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert len({r[0].pk for r in results}) == 1 and sum(r[1] for r in results) == 1
    assert PayRequest.objects.count() == 1 and Order.objects.count() == 1
    product.refresh_from_db()
    assert product.stock == 3


def test_ten_double_clicks_on_ask_my_family_make_one_request(link, user, user_client, address, product):
    """The product page's "Ask my family to pay" sent ten times at once with its one idempotency key."""
    cookies = user_client.cookies

    def asking(i: int) -> str:
        client = Client()
        client.cookies = cookies
        return client.post(
            reverse("family:ask_product"), {"product": product.pk, "idempotency_key": "family-" + "f" * 32}
        )["Location"]

    results = run_in_threads(10, asking)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert PayRequest.objects.count() == 1 and Order.objects.count() == 1
    assert set(results) == {PayRequest.objects.get().get_absolute_url()}
    product.refresh_from_db()
    assert product.stock == 4


def test_concurrent_cancels_of_a_family_paid_order_refund_the_payer_once(
    ask, product, payer, payer_card, user_client
):
    from storefront.family.models import FamilyEvent

    pay_request, _ = ask((product, 1))
    services.approve(pay_request=pay_request, payer=payer, method=payer_card)
    order = Order.objects.get()
    cookies = user_client.cookies

    def cancelling(i: int) -> int:
        client = Client()
        client.cookies = cookies
        return client.post(reverse("checkout:cancel", args=[order.number])).status_code

    assert set(run_in_threads(8, cancelling)) == {302}
    pay_request.refresh_from_db()
    assert pay_request.status == PayRequest.Status.REFUNDED
    assert GatewayLedger.objects.filter(kind="refund", succeeded=True).count() == 1
    assert FamilyEvent.objects.filter(pay_request=pay_request, kind=FamilyEvent.Kind.REFUNDED).count() == 1
    product.refresh_from_db()
    assert product.stock == 5


def test_ten_simultaneous_basket_confirmations_order_and_charge_once(
    link, payer, payer_card, user, address, product
):
    """Help me shop: one press, pressed ten times at once (double taps, two devices), is one order, one
    reservation and one charge to the payer's card."""
    basket = services.prepare_basket(link=link, payer=payer, lines=[placement.WantedLine(product.pk, 2)])
    before = product.stock

    def confirming(i: int):
        return services.confirm_basket(basket=basket, beneficiary=user, address=address.as_snapshot())

    results = run_in_threads(10, confirming)
    assert not [r for r in results if isinstance(r, Exception)], results
    basket.refresh_from_db()
    assert basket.pay_request.status == PayRequest.Status.APPROVED
    assert Order.objects.count() == 1 and GatewayLedger.objects.filter(kind="charge").count() == 1
    product.refresh_from_db()
    assert product.stock == before - 2
