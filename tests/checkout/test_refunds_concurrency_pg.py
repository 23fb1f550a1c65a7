"""Ten merchants' clicks on "Refund this amount" at once, on PostgreSQL: one refund at the gateway, one refund
row, one payment record; and a return received by ten clicks restocks once. Each thread is its own admin
session on its own connection (real races); they skip on SQLite."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from racekit import run_in_threads

from storefront.checkout import fulfilment, payments, returns
from storefront.checkout.models import Payment, Refund
from storefront.sandbox.models import SandboxCardCharge

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def received(make_user, make_product, place, tokenize):
    product = make_product("Race Plums", price="4.00", stock=10)
    order, _ = place((product, 3))
    order = payments.collect(order, tokenize())
    fulfilment.deliver(fulfilment.ship(order, carrier="Post", tracking_number="R1"))
    ret = returns.request(order, quantities={order.lines.get().pk: 3}, reason="damaged", kind="refund")
    return product, order, ret


def merchants(make_user, n: int) -> list[Client]:
    staff = make_user("race-merchant", is_staff=True, is_superuser=True)
    clients = []
    for _ in range(n):
        client = Client()
        client.force_login(staff)
        clients.append(client)
    return clients


def test_ten_refund_clicks_make_one_refund(make_user, received):
    _product, order, ret = received
    returns.receive(ret)
    clients = merchants(make_user, 10)
    url = reverse("admin:checkout_returnrequest_refund", args=[ret.pk])
    data = {f"qty_{order.lines.get().pk}": "3", "confirm": "1"}

    results = run_in_threads(10, lambda i: clients[i].post(url, data).status_code)

    assert results == [302] * 10, results
    assert SandboxCardCharge.objects.filter(kind="refund").count() == 1
    refund = Refund.objects.get()
    assert refund.status == Refund.Status.SUCCEEDED and refund.amount == order.total == Decimal(
        SandboxCardCharge.objects.get(kind="refund").amount
    )
    assert Payment.objects.filter(kind=Payment.Kind.REFUND).count() == 1
    assert order.events.filter(transition="refund").count() == 1


def test_ten_receive_clicks_restock_once(make_user, received):
    product, _order, ret = received
    product.refresh_from_db()
    before = product.stock
    clients = merchants(make_user, 10)
    url = reverse("admin:checkout_returnrequest_receive", args=[ret.pk])

    results = run_in_threads(10, lambda i: clients[i].post(url).status_code)

    assert results == [302] * 10, results
    product.refresh_from_db()
    assert product.stock == before + 3
    assert ret.order.events.filter(transition="return_receive").count() == 1
