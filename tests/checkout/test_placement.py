"""Placing orders: stock reserved atomically, at most one order per idempotency key, stock never negative."""

from __future__ import annotations

from decimal import Decimal

import pytest

from storefront.checkout import placement, stock
from storefront.checkout.models import Order, OrderLine


def test_place_reserves_stock_and_snapshots_the_order(place, product, address):
    order, created = place((product, 2))
    product.refresh_from_db()
    assert created and product.stock == 3
    assert order.status == Order.Status.PENDING_PAYMENT
    assert order.subtotal == Decimal("7.00")
    assert order.shipping == Decimal("4.99")
    assert order.total == Decimal("11.99") == order.total_base
    assert order.currency == "USD"
    assert order.shipping_address == address.as_snapshot()
    line = order.lines.get()
    assert (line.product_name, line.unit_price, line.quantity, line.line_total) == (
        "Sunny Apples",
        Decimal("3.50"),
        2,
        Decimal("7.00"),
    )


def test_order_keeps_its_snapshot_when_the_product_changes(place, product):
    order, _ = place((product, 1))
    product.price = Decimal("99.00")
    product.name = "Renamed"
    product.save()
    line = order.lines.get()
    assert (line.product_name, line.unit_price) == ("Sunny Apples", Decimal("3.50"))


def test_same_key_twice_gives_one_order_and_one_reservation(place, product):
    first, created_first = place((product, 2), key="same")
    second, created_second = place((product, 2), key="same")
    product.refresh_from_db()
    assert (created_first, created_second) == (True, False)
    assert first.pk == second.pk
    assert Order.objects.count() == 1
    assert product.stock == 3


def test_same_key_from_another_user_is_refused(place, product, other_user):
    place((product, 1), key="mine")
    with pytest.raises(placement.PlacementError, match="expired"):
        place((product, 1), key="mine", who=other_user)
    assert Order.objects.count() == 1


def test_sold_out_raises_and_leaves_stock_unchanged(place, product, make_product):
    plenty = make_product("Ocean Pears", stock=50)
    with pytest.raises(placement.SoldOut) as excinfo:
        place((plenty, 2), (product, 6))
    assert "Sunny Apples sold out" in str(excinfo.value)
    assert "You have not been charged" in str(excinfo.value)
    assert excinfo.value.products == [product]
    product.refresh_from_db()
    plenty.refresh_from_db()
    assert (product.stock, plenty.stock) == (5, 50)  # nothing reserved, not even the available line
    assert not Order.objects.exists() and not OrderLine.objects.exists()


def test_inactive_or_deleted_products_count_as_sold_out(place, user, make_product):
    withdrawn = make_product(is_active=False)
    with pytest.raises(placement.SoldOut):
        place((withdrawn, 1))
    with pytest.raises(placement.SoldOut, match="an item"):
        placement.place_order(
            user=user, lines=[placement.WantedLine(999_999, 1)], address={}, idempotency_key="k-ghost"
        )
    assert not Order.objects.exists()


def test_exact_stock_can_be_bought_then_nothing_more(place, product):
    place((product, 5))
    product.refresh_from_db()
    assert product.stock == 0
    with pytest.raises(placement.SoldOut):
        place((product, 1))
    product.refresh_from_db()
    assert product.stock == 0


def test_empty_order_is_refused(place):
    with pytest.raises(placement.PlacementError, match="empty"):
        place()


@pytest.mark.parametrize("quantity", [0, -3])
def test_non_positive_quantities_are_refused_and_never_add_stock(place, product, quantity):
    with pytest.raises(placement.PlacementError):
        place((product, quantity))
    product.refresh_from_db()
    assert product.stock == 5
    assert not Order.objects.exists()


def test_the_same_product_twice_cannot_oversell(place, product):
    with pytest.raises(placement.SoldOut):
        place((product, 3), (product, 3))  # 6 wanted, 5 on the shelf
    product.refresh_from_db()
    assert product.stock == 5


def test_release_stock_happens_exactly_once(place, product):
    order, _ = place((product, 4))
    assert stock.release(order) is True
    assert stock.release(order) is False
    assert stock.release(Order.objects.get(pk=order.pk)) is False
    product.refresh_from_db()
    assert product.stock == 5
    assert Order.objects.get(pk=order.pk).stock_released


def test_release_skips_deleted_products(place, product, make_product):
    other = make_product(stock=3)
    order, _ = place((product, 1), (other, 1))
    other.delete()
    assert stock.release(order)
    product.refresh_from_db()
    assert product.stock == 5


def test_free_shipping_threshold(place, make_product):
    big = make_product(price="25.00", stock=5)
    order, _ = place((big, 2))
    assert (order.subtotal, order.shipping, order.total) == (Decimal("50.00"), Decimal("0"), Decimal("50.00"))
