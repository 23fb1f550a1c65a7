"""Stock held by orders: row locks in a fixed (primary-key) order, and putting an order's units back once.

Placement takes units off the shelf inside its transaction; `checkout.lifecycle` puts them back when an order
ends unpaid (`release`), guarded by `Order.stock_released` so it happens exactly once however often it is asked.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db import transaction
from django.db.models import F

from storefront.catalog import stock_alerts, version
from storefront.catalog.models import Product

from .models import Order


def quantities(lines: Iterable) -> dict[int, int]:
    """Units per product id over lines (anything with `product_id` and `quantity`), a product on several lines
    counted once with their sum."""
    total: dict[int, int] = defaultdict(int)
    for line in lines:
        total[line.product_id] += line.quantity
    return dict(total)


def lock_products(ids: Iterable[int]) -> dict[int, Product]:
    """Lock product rows in a fixed (primary key) order and return them by id."""
    return {p.pk: p for p in Product.objects.select_for_update().filter(pk__in=sorted(ids)).order_by("pk")}


def release(order: Order) -> bool:
    """Put an order's units back on the shelf, exactly once. Call with the order row locked (lifecycle does)."""
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        if locked.stock_released:
            return False
        wanted = quantities(locked.lines.exclude(product=None))
        lock_products(wanted)
        for product_id, quantity in sorted(wanted.items()):
            Product.objects.filter(pk=product_id).update(stock=F("stock") + quantity)
        version.bump()  # update() sends no signal; listings and product pages show the stock
        locked.stock_released = True
        locked.save(update_fields=["stock_released"])
        stock_alerts.notify_restocked(wanted)  # units back on the shelf: shoppers waiting for them hear of it
    order.stock_released = True
    return True
