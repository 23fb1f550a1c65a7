"""The compare list: up to four products kept in the session."""

from __future__ import annotations

from django.http import HttpRequest

from .models import Product

SESSION_KEY = "compare"
LIMIT = 4


def ids(request: HttpRequest) -> list[int]:
    raw = request.session.get(SESSION_KEY, []) if hasattr(request, "session") else []
    return [int(i) for i in raw if isinstance(i, int)][:LIMIT]


def products(request: HttpRequest) -> list[Product]:
    wanted = ids(request)
    by_id = {p.pk: p for p in Product.objects.for_listing().filter(pk__in=wanted)}
    return [by_id[i] for i in wanted if i in by_id]


def add(request: HttpRequest, product: Product) -> bool:
    current = ids(request)
    if product.pk in current:
        return True
    if len(current) >= LIMIT:
        return False
    request.session[SESSION_KEY] = current + [product.pk]
    return True


def remove(request: HttpRequest, product: Product) -> None:
    request.session[SESSION_KEY] = [i for i in ids(request) if i != product.pk]
