"""Template helpers for one-click buying that only format: a fresh idempotency key per button and the cancel
window of an order in words. What needs the database or pricing is computed before rendering: `oneclick`
(readiness) by the context processor, `buy_now_totals` by the product view (catalog.product_extras). Rules stay
in `checkout.oneclick`."""

from __future__ import annotations

from django import template

from storefront.checkout import oneclick

register = template.Library()


@register.simple_tag
def oneclick_key() -> str:
    """A fresh idempotency key for one button on one page view."""
    return oneclick.new_key()


@register.simple_tag
def cancel_window(order) -> dict:
    """Whether the order can still be cancelled, and until when (in words)."""
    deadline = oneclick.cancel_deadline(order)
    return {
        "open": oneclick.can_cancel(order),
        "deadline": deadline,
        "deadline_text": oneclick.describe_time(deadline),
        "minutes": int(oneclick.CANCEL_WINDOW.total_seconds() // 60),
    }
