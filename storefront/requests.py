"""The request type every storefront view sees: the attributes our middleware sets on Django's HttpRequest.

For type checking only: EditionMiddleware sets `request.edition`, MarketMiddleware `request.currency` and
`request.country`, TimeZoneMiddleware `request.time_zone`. Views that read them annotate `request: ShopRequest`;
at run time it is Django's own HttpRequest (the middleware sets the attributes, hence their `type: ignore`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from editions.registry import Edition


class ShopRequest(HttpRequest):
    edition: Edition  # editions.middleware.EditionMiddleware
    currency: str  # storefront.markets.middleware.MarketMiddleware: display currency code
    country: str  # storefront.markets.middleware.MarketMiddleware: shipping destination code
    time_zone: str  # storefront.markets.timezones.TimeZoneMiddleware: IANA zone name
