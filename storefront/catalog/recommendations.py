"""Recommendations on the product and cart pages, in every edition.

"Customers also bought": products that shared paid orders with this one (the BoughtTogether table, rebuilt
from order history by the scheduled task `checkout.compute_bought_together`). Without order history for a
product: "Similar products", the best-reviewed products of the same category in a price band around it.
Organic only: nothing here is paid placement, sponsored or an ad, and nothing is ranked by margin.

The candidate ids per product are cached (CACHE_SECONDS); `forget()` drops them all after a rebuild. Stock
and "on sale" are checked when the products are loaded, so a sold-out product is never recommended.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.cache import cache

from .models import BoughtTogether, Product

SHOWN = 4
CANDIDATES = 12
PRICE_BAND = (Decimal("0.5"), Decimal("2"))  # similar products cost between half and twice as much
CACHE_SECONDS = 15 * 60
BOUGHT_TOGETHER, SIMILAR = "bought_together", "similar"
_VERSION_KEY = "recommendations:version"


@dataclass
class Recommendations:
    kind: str  # BOUGHT_TOGETHER or SIMILAR: decides the heading
    products: list[Product] = field(default_factory=list)


def forget() -> None:
    """Drop every cached candidate list (after the bought-together table was rebuilt)."""
    try:
        cache.incr(_VERSION_KEY)
    except ValueError:
        cache.set(_VERSION_KEY, 2, None)


def _candidates(product: Product) -> tuple[list[int], list[int]]:
    """(bought-together ids, similar ids) for a product, best first, cached."""
    key = f"recommendations:{cache.get_or_set(_VERSION_KEY, 1, None)}:{product.pk}"
    hit = cache.get(key)
    if hit is not None:
        return hit
    together = list(
        BoughtTogether.objects.filter(product_id=product.pk)
        .order_by("-orders", "other_id")
        .values_list("other_id", flat=True)[:CANDIDATES]
    )
    low, high = (product.price * factor for factor in PRICE_BAND)
    similar = list(
        Product.objects.active()
        .filter(category_id=product.category_id, price__gte=low, price__lte=high, stock__gt=0)
        .exclude(pk=product.pk)
        .order_by("-rating_count", "-rating_average", "id")
        .values_list("id", flat=True)[:CANDIDATES]
    )
    cache.set(key, (together, similar), CACHE_SECONDS)
    return together, similar


def _load(ids: list[int], exclude: set[int]) -> list[Product]:
    wanted = [pid for pid in dict.fromkeys(ids) if pid not in exclude]
    found = {p.pk: p for p in Product.objects.for_listing().filter(pk__in=wanted, stock__gt=0)}
    return [found[pid] for pid in wanted if pid in found][:SHOWN]


def for_products(products: list[Product]) -> Recommendations:
    """What to suggest beside these products (one on a product page, the lines of a cart), never themselves."""
    exclude = {p.pk for p in products}
    together: list[int] = []
    similar: list[int] = []
    for product in products[:5]:  # a long cart: its first few lines say enough
        t, s = _candidates(product)
        together += t
        similar += s
    shown = _load(together, exclude)
    if shown:
        return Recommendations(BOUGHT_TOGETHER, shown)
    return Recommendations(SIMILAR, _load(similar, exclude))


def for_product(product: Product) -> Recommendations:
    return for_products([product])
