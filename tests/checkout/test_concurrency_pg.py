"""Concurrent checkouts on PostgreSQL: row locks keep stock exact and idempotency keys keep orders single.

Each thread has its own database connection (Django connections are per thread), so these are real races.
They skip on SQLite (which serialises writers), and fail instead under CI=true with REQUIRE_POSTGRES=1.
"""

from __future__ import annotations

import threading
from collections import Counter
from decimal import Decimal

import pytest
from django.db import connections
from racekit import run_in_threads

from storefront.catalog.models import Product
from storefront.checkout import payments, placement
from storefront.checkout.models import Order, Payment
from storefront.sandbox import models as sandbox_models

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


class StockWatcher:
    """Reads the stock over and over on its own connection while the race runs."""

    def __init__(self, product_id: int) -> None:
        self.product_id = product_id
        self.seen: list[int] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch)

    def _watch(self) -> None:
        try:
            while not self._stop.is_set():
                self.seen.append(Product.objects.values_list("stock", flat=True).get(pk=self.product_id))
        finally:
            connections.close_all()

    def __enter__(self) -> StockWatcher:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(timeout=30)


def test_ten_checkouts_race_for_the_last_three_units(make_user, make_product, tokenize):
    product = make_product("Last Bananas", price="2.00", stock=3)
    shoppers = [make_user() for _ in range(10)]
    tokens = [tokenize() for _ in range(10)]

    def checkout(i: int) -> Order:
        order, created = placement.place_order(
            user=shoppers[i],
            lines=[placement.WantedLine(product.pk, 1)],
            address={"country": "US"},
            idempotency_key=f"race-{i}",
        )
        assert created
        return payments.collect(order, tokens[i])

    with StockWatcher(product.pk) as watcher:
        results = run_in_threads(10, checkout)

    paid = [r for r in results if isinstance(r, Order)]
    sold_out = [r for r in results if isinstance(r, placement.SoldOut)]
    assert len(paid) == 3, results
    assert len(sold_out) == 7, results
    assert all(order.status == Order.Status.PAID for order in paid)
    for exc in sold_out:
        assert str(exc) == (
            "Sorry, Last Bananas sold out before your order was placed. You have not been charged."
        )
        assert [p.pk for p in exc.products] == [product.pk]
    product.refresh_from_db()
    assert product.stock == 0
    assert watcher.seen and min(watcher.seen) >= 0
    assert Order.objects.count() == 3
    assert sandbox_models.SandboxCardCharge.objects.filter(succeeded=True).count() == 3
    assert Payment.objects.filter(status=Payment.Status.SUCCEEDED).count() == 3


def test_twenty_placements_with_the_same_key_make_one_order_and_one_charge(user, make_product, tokenize):
    product = make_product("Only Banana", price="7.00", stock=1)  # a second reservation would be sold out
    token = tokenize()

    def place_and_pay(i: int) -> tuple[int, bool, str]:
        order, created = placement.place_order(
            user=user,
            lines=[placement.WantedLine(product.pk, 1)],
            address={"country": "US"},
            idempotency_key="double-click",
        )
        order = payments.collect(order, token)  # every caller tries to pay: the key must still charge once
        return order.pk, created, order.status

    results = run_in_threads(20, place_and_pay)

    errors = [r for r in results if isinstance(r, Exception)]
    assert errors == []
    assert len({order_id for order_id, _created, _status in results}) == 1
    assert Counter(created for _id, created, _status in results) == Counter({True: 1, False: 19})
    order = Order.objects.get()
    assert order.status == Order.Status.PAID
    assert order.total == Decimal("11.99")
    assert sandbox_models.SandboxCardCharge.objects.count() == 1
    assert Payment.objects.count() == 1
    product.refresh_from_db()
    assert product.stock == 0


def test_concurrent_declines_release_stock_exactly_once(user, make_product, tokenize):
    product = make_product("Declined Figs", stock=4)
    order, _ = placement.place_order(
        user=user,
        lines=[placement.WantedLine(product.pk, 3)],
        address={"country": "US"},
        idempotency_key="decline-race",
    )
    token = tokenize("4000000000000002")

    results = run_in_threads(8, lambda i: payments.collect(Order.objects.get(pk=order.pk), token).status)

    assert set(results) == {Order.Status.PAYMENT_FAILED}, results
    product.refresh_from_db()
    assert product.stock == 4
    assert not Payment.objects.filter(status=Payment.Status.SUCCEEDED).exists()
