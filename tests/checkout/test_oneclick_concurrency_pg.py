"""One-click races on PostgreSQL through the real views: many shoppers pressing "Buy now" for the last unit,
one shopper's double click arriving on several connections at once, tabs with their own keys, and cancels.

Each thread drives its own test client, so each request has its own database connection: real races. They
skip on SQLite, and fail instead under CI=true with REQUIRE_POSTGRES=1 (see tests/conftest.py).
"""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from racekit import run_in_threads

from storefront.checkout import oneclick
from storefront.checkout.models import Order, Payment
from storefront.sandbox.models import SandboxCardCharge as GatewayLedger

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def ready_shopper(make_user, make_address, make_saved_card):
    def make():
        shopper = make_user()
        make_address(shopper)
        make_saved_card(shopper, is_default=True)
        client = Client()
        client.force_login(shopper)
        return shopper, client

    return make


def test_twenty_shoppers_buy_now_the_last_unit_one_order_one_charge(ready_shopper, make_product):
    product = make_product("Last Lantern", price="12.00", stock=1)
    shoppers = [ready_shopper() for _ in range(20)]

    def press(i: int):
        _shopper, client = shoppers[i]
        return client.post(
            reverse("checkout:buy_now"), {"product": product.pk, "idempotency_key": oneclick.new_key()}
        )

    responses = run_in_threads(20, press)

    assert not [r for r in responses if isinstance(r, Exception)], responses
    assert all(r.status_code == 302 for r in responses)
    order = Order.objects.get()
    assert order.status == Order.Status.PAID
    done_url = reverse("checkout:oneclick_done", args=[order.number])
    winners = [r for r in responses if r["Location"] == done_url]
    assert len(winners) == 1
    assert sum(r["Location"] == product.get_absolute_url() for r in responses) == 19  # told: sold out
    assert GatewayLedger.objects.filter(kind="charge").count() == 1
    assert Payment.objects.filter(status=Payment.Status.SUCCEEDED).count() == 1
    product.refresh_from_db()
    assert product.stock == 0


def test_twenty_copies_of_one_click_make_one_order_and_one_charge(ready_shopper, make_product):
    product = make_product("Only Kettle", price="20.00", stock=1)
    _shopper, first = ready_shopper()
    session = first.cookies
    key = oneclick.new_key()

    def press(i: int):
        client = Client()
        client.cookies = session  # the same browser: double clicks, retries, a second tab re-posting
        return client.post(reverse("checkout:buy_now"), {"product": product.pk, "idempotency_key": key})

    responses = run_in_threads(20, press)

    assert not [r for r in responses if isinstance(r, Exception)], responses
    order = Order.objects.get()
    assert {r["Location"] for r in responses} == {reverse("checkout:oneclick_done", args=[order.number])}
    assert order.status == Order.Status.PAID
    assert GatewayLedger.objects.filter(kind="charge").count() == 1
    assert Payment.objects.count() == 1
    product.refresh_from_db()
    assert product.stock == 0


def test_concurrent_cancels_refund_once_and_restock_once(ready_shopper, make_product):
    product = make_product("Cancel Cups", price="60.00", stock=2)
    _shopper, client = ready_shopper()
    client.post(reverse("checkout:buy_now"), {"product": product.pk, "idempotency_key": oneclick.new_key()})
    order = Order.objects.get()
    cookies = client.cookies

    def cancel(i: int):
        c = Client()
        c.cookies = cookies
        return c.post(reverse("checkout:cancel", args=[order.number])).status_code

    assert set(run_in_threads(10, cancel)) == {302}
    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED
    assert GatewayLedger.objects.filter(kind="refund").count() == 1
    assert Payment.objects.filter(kind=Payment.Kind.REFUND).count() == 1
    product.refresh_from_db()
    assert product.stock == 2


def test_cancel_after_the_window_is_refused_on_postgres(ready_shopper, make_product):
    product = make_product("Late Lamp", stock=2)
    _shopper, client = ready_shopper()
    client.post(reverse("checkout:buy_now"), {"product": product.pk, "idempotency_key": oneclick.new_key()})
    order = Order.objects.get()
    later = order.placed_at + timedelta(minutes=30, seconds=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        client.post(reverse("checkout:cancel", args=[order.number]))
    order.refresh_from_db()
    assert order.status == Order.Status.PAID and timezone.now() < later
    assert not GatewayLedger.objects.filter(kind="refund").exists()


def test_ten_tabs_with_their_own_keys_at_once_make_one_order(ready_shopper, make_product):
    product = make_product("Tab Teapot", price="15.00", stock=5)
    _shopper, first = ready_shopper()
    cookies = first.cookies

    def press(i: int):
        client = Client()
        client.cookies = cookies
        return client.post(
            reverse("checkout:buy_now"), {"product": product.pk, "idempotency_key": oneclick.new_key()}
        )

    responses = run_in_threads(10, press)

    assert not [r for r in responses if isinstance(r, Exception)], responses
    assert sorted(r.status_code for r in responses) == [200] * 9 + [302]
    assert all("You have just bought this" in r.content.decode() for r in responses if r.status_code == 200)
    assert Order.objects.count() == 1
    assert GatewayLedger.objects.filter(kind="charge").count() == 1
    product.refresh_from_db()
    assert product.stock == 4
