"""Read-only questions about orders that other apps ask."""

from __future__ import annotations

from .models import Order


def has_bought(user, product) -> bool:
    return Order.objects.filter(
        user=user,
        lines__product=product,
        status__in=[Order.Status.PAID, Order.Status.SHIPPED, Order.Status.DELIVERED],
    ).exists()
