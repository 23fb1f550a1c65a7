"""The request's display currency and destination for every template, plus what the market bar needs."""

from __future__ import annotations

from decimal import Decimal
from functools import cached_property, lru_cache

from babel.numbers import get_currency_name
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import get_language

from storefront.nexturl import current_url_without

from . import choices, rates
from .money import format_money


@lru_cache(maxsize=32)
def currency_options(language: str) -> tuple[tuple[str, str], ...]:
    locale = choices.babel_locale(language)
    return tuple((code, get_currency_name(code, locale=locale)) for code in choices.CURRENCIES)


@lru_cache(maxsize=32)
def country_options(language: str) -> tuple[tuple[str, str], ...]:
    return tuple(
        sorted(
            ((code, choices.country_name(code, language)) for code in choices.COUNTRIES),
            key=lambda pair: pair[1],
        )
    )


class Market:
    """Lazy: the rate is looked up only when a template asks for it (once per request)."""

    def __init__(self, request: HttpRequest) -> None:
        self.request = request
        self.language = get_language() or "en"

    @cached_property
    def rate(self) -> rates.Rate:
        return rates.for_request(self.request)

    @property
    def currency(self) -> str:
        """The currency prices are shown in (the base currency when the chosen one has no rate)."""
        return self.rate.currency

    @property
    def rates_date(self):
        return self.rate.as_of

    @property
    def rate_example(self) -> tuple[str, str] | None:
        """What 1 unit of the base currency buys, e.g. ("US$1.00", "₩1,385") each in <bdi> for right-to-left
        pages; None when prices are in the base currency."""
        if self.rate.currency == choices.BASE_CURRENCY:
            return None
        return (
            format_html("<bdi>{}</bdi>", format_money(Decimal(1), choices.BASE_CURRENCY, self.language)),
            format_html(
                "<bdi>{}</bdi>",
                format_money(self.rate.convert(Decimal(1)), self.rate.currency, self.language),
            ),
        )

    @property
    def currencies(self) -> tuple[tuple[str, str], ...]:
        return currency_options(self.language)

    @property
    def countries(self) -> tuple[tuple[str, str], ...]:
        return country_options(self.language)

    @property
    def country(self) -> str:
        return getattr(self.request, "country", choices.DEFAULT_COUNTRY)

    @property
    def next_for_currency(self) -> str:
        """Where the currency form returns: this page, from its first page (a new currency restarts a listing)."""
        return current_url_without(self.request, "currency", "page")

    @property
    def next_for_country(self) -> str:
        return current_url_without(self.request, "country", "page")


def market(request: HttpRequest) -> dict:
    return {
        "currency": getattr(request, "currency", choices.BASE_CURRENCY),
        "country": getattr(request, "country", choices.DEFAULT_COUNTRY),
        "currencies": choices.CURRENCIES,
        "countries": choices.COUNTRIES,
        "market": Market(request),
    }
