"""Orders in the shopper's currency: converted once at placement with the current rate and the one rounding rule;
the rate is copied onto the order, so a later rate never changes what was charged."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from storefront.checkout import payments, placement
from storefront.markets.models import ExchangeRate
from storefront.markets.pricing import totals_for


@pytest.fixture
def order_in(user, address, product, make_product):
    apples, bread = product, make_product("Bread", price="2.49", stock=100)
    apples.stock = 100
    apples.save(update_fields=["stock"])

    def make(currency: str, key: str = "k1"):
        lines = [placement.WantedLine(apples.pk, 3), placement.WantedLine(bread.pk, 1)]
        order, _created = placement.place_order(
            user=user, lines=lines, address=address.as_snapshot(), idempotency_key=key, currency=currency
        )
        return order

    return make


def test_an_order_in_won_is_what_the_shopper_was_shown(order_in):
    order = order_in("KRW")
    shown = totals_for([(Decimal("3.50"), 3), (Decimal("2.49"), 1)], "KRW", Decimal("1385"))
    assert (order.currency, order.exchange_rate) == ("KRW", Decimal("1385"))
    assert (order.subtotal, order.shipping, order.total) == (shown.subtotal, shown.shipping, shown.total)
    assert order.total == Decimal("14544") + Decimal("3449") + Decimal("6911")
    assert order.total_base == Decimal("10.50") + Decimal("2.49") + Decimal("4.99")
    lines = list(order.lines.values_list("unit_price", "quantity", "line_total"))
    assert lines == [(Decimal("4848"), 3, Decimal("14544")), (Decimal("3449"), 1, Decimal("3449"))]
    assert sum(line_total for _u, _q, line_total in lines) == order.subtotal


def test_a_later_rate_never_changes_the_order(order_in, user_client):
    order = order_in("EUR")
    before = (order.total, order.subtotal, order.exchange_rate)
    ExchangeRate.objects.create(currency="EUR", rate=Decimal("1.50"), as_of=date(2026, 11, 30))
    order.refresh_from_db()
    assert (order.total, order.subtotal, order.exchange_rate) == before
    page = user_client.get(order.get_absolute_url()).content.decode()
    assert f"€{order.total:,.2f}" in page


def test_the_charge_is_in_the_order_currency(order_in, tokenize):
    order = order_in("KRW")
    order = payments.collect(order, tokenize())
    payment = order.payments.get()
    assert (payment.amount, payment.currency) == (order.total, "KRW")


def test_base_currency_by_default_and_for_currencies_without_rates(order_in):
    assert order_in("USD", "k-usd").currency == "USD"
    ExchangeRate.objects.filter(currency="SAR").delete()
    fallback = order_in("SAR", "k-sar")
    assert (fallback.currency, fallback.exchange_rate) == ("USD", Decimal(1))
    assert fallback.total == fallback.total_base
    assert order_in("XYZ", "k-xyz").currency == "USD"


def test_the_same_key_returns_the_first_order_whatever_the_currency(order_in):
    first = order_in("KRW", "same")
    again = order_in("EUR", "same")
    assert again.pk == first.pk and again.currency == "KRW"
