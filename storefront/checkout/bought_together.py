"""Rebuilds the "Customers also bought" table (catalog.BoughtTogether) from order history.

Two products count as bought together once per paid order (paid, shipped or delivered; a cancelled or refunded
order does not count) that held both. Each product keeps its TOP_PER_PRODUCT partners. Run by the scheduled
task `checkout.compute_bought_together` (settings.CELERY_BEAT_SCHEDULE); idempotent, so a rerun only
replaces the table with the same rows.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from itertools import combinations

from django.db import transaction

from storefront.catalog import recommendations
from storefront.catalog.models import BoughtTogether

from .models import Order, OrderLine

TOP_PER_PRODUCT = 12
BOUGHT = (Order.Status.PAID, Order.Status.SHIPPED, Order.Status.DELIVERED)


def rebuild() -> int:
    """Recount every pair from order history and replace the table; returns the number of rows written."""
    baskets: dict[int, set[int]] = defaultdict(set)
    rows = (
        OrderLine.objects.filter(order__status__in=BOUGHT, product__isnull=False)
        .values_list("order_id", "product_id")
        .iterator(chunk_size=5000)
    )
    for order_id, product_id in rows:
        baskets[order_id].add(product_id)
    pairs: Counter[tuple[int, int]] = Counter()
    for products in baskets.values():
        for a, b in combinations(sorted(products), 2):
            pairs[(a, b)] += 1
    partners: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for (a, b), n in pairs.items():
        partners[a].append((n, b))
        partners[b].append((n, a))
    new = [
        BoughtTogether(product_id=pid, other_id=other, orders=n)
        for pid, found in partners.items()
        for n, other in sorted(found, key=lambda item: (-item[0], item[1]))[:TOP_PER_PRODUCT]
    ]
    with transaction.atomic():
        BoughtTogether.objects.all().delete()
        BoughtTogether.objects.bulk_create(new, batch_size=1000)
        transaction.on_commit(recommendations.forget)
    return len(new)
