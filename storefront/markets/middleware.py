"""Sets `request.currency` and `request.country` (display currency and shipping destination)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from . import choices


class MarketMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        currency, currency_now = choices.resolve_currency(request)
        country, country_now = choices.resolve_country(request)
        request.currency, request.country = currency, country  # type: ignore[attr-defined]
        response = self.get_response(request)
        if currency_now:
            choices.persist(request, response, "currency", currency)
        if country_now:
            choices.persist(request, response, "country", country)
        return response
