"""The request's display currency and destination for every template."""

from __future__ import annotations

from django.http import HttpRequest

from . import choices


def market(request: HttpRequest) -> dict:
    return {
        "currency": getattr(request, "currency", choices.BASE_CURRENCY),
        "country": getattr(request, "country", choices.DEFAULT_COUNTRY),
        "currencies": choices.CURRENCIES,
        "countries": choices.COUNTRIES,
    }
