"""Destination names in templates: `{{ "KR"|country_name }}` is the country's name in the active language (Babel's
territory names, so every language the shop speaks has them without a catalogue entry)."""

from __future__ import annotations

from django import template

from .. import choices
from ..pricing import Totals, totals_for_request

register = template.Library()


@register.filter
def country_name(code: str) -> str:
    return choices.country_name(code)


@register.simple_tag(takes_context=True)
def landed_estimate(context: template.Context, product) -> Totals:
    """What one unit costs delivered to the shopper's destination, duty and tax included (pricing.Totals)."""
    return totals_for_request(context.get("request"), [(product.price, 1, product.category_id)])
