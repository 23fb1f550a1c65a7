"""Template helpers for one-click buying, so catalogue and order pages can show "Buy now", "Buy again" and
"Cancel this order" without their views knowing about one-click. Rules stay in `checkout.oneclick`."""

from __future__ import annotations

from django import template

from storefront.checkout import oneclick
from storefront.markets.pricing import totals_for_request

register = template.Library()


@register.simple_tag(takes_context=True)
def oneclick_readiness(context: template.Context) -> oneclick.Readiness:
    """The signed-in shopper's default address and card, looked up once per request."""
    request = context.get("request")
    if request is None:
        return oneclick.Readiness(None, None)
    cached = getattr(request, "_oneclick_readiness", None)
    if cached is None:
        cached = oneclick.readiness(request.user, need_both=True)
        request._oneclick_readiness = cached
    return cached


@register.simple_tag
def oneclick_key() -> str:
    """A fresh idempotency key for one button on one page view."""
    return oneclick.new_key()


@register.simple_tag
def cancel_window(order) -> dict:
    """Whether the order can still be cancelled, and until when (in words)."""
    deadline = oneclick.cancel_deadline(order)
    return {"open": oneclick.can_cancel(order), "deadline": deadline,
            "deadline_text": oneclick.describe_time(deadline),
            "minutes": int(oneclick.CANCEL_WINDOW.total_seconds() // 60)}


@register.filter
def moment_text(moment) -> str:
    """A moment in the one format the order pages use ('14:35 UTC on 22 November 2026'); '' for none."""
    return oneclick.describe_time(moment) if moment else ""


@register.simple_tag(takes_context=True)
def buy_now_totals(context: template.Context, product):
    """What one unit bought now costs in the shopper's currency, delivered to the default address with its
    duty and tax: the amount the button promises and `oneclick.buy` charges."""
    ready = oneclick_readiness(context)
    destination = ready.address.country if ready.address is not None else None
    return totals_for_request(context.get("request"), [(product.price, 1, product.category_id)], destination)
