"""Which currencies and destinations the shop offers, and how a request chooses them: link, cookie, the
shopper's preference (the shop's one mechanism for visitor choices, storefront.visitor_choices). Saving a choice
happens only through the market bar's POST (markets.views.choose).
"""

from __future__ import annotations

from functools import lru_cache

from babel import Locale, UnknownLocaleError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language, to_locale

from storefront.visitor_choices import COOKIE_MAX_AGE, VisitorChoice  # noqa: F401 - the cookie lifetime, as before

from .money import BASE_CURRENCY

CURRENCIES = ("USD", "CNY", "KRW", "EUR", "SAR")
COUNTRIES = ("US", "CN", "KR", "SA", "DE", "GB", "FR", "JP", "SG", "ID")
DEFAULT_COUNTRY = "US"


def code_for(key: str, value: object) -> str | None:
    """The offered code for a submitted "currency" or "country" value (case and spaces forgiven), else None."""
    allowed = CURRENCIES if key == "currency" else COUNTRIES
    code = value.strip().upper() if isinstance(value, str) else ""
    return code if code in allowed else None


CURRENCY: VisitorChoice[str] = VisitorChoice(
    "currency", lambda value: code_for("currency", value), lambda: BASE_CURRENCY, "preferred_currency"
)
COUNTRY: VisitorChoice[str] = VisitorChoice(
    "country", lambda value: code_for("country", value), lambda: DEFAULT_COUNTRY, "preferred_country"
)
BY_KEY = {"currency": CURRENCY, "country": COUNTRY}


def resolve_currency(request: HttpRequest) -> tuple[str, bool]:
    return CURRENCY.resolve(request)


def resolve_country(request: HttpRequest) -> tuple[str, bool]:
    return COUNTRY.resolve(request)


def remember_for_visit(request: HttpRequest, response: HttpResponse, key: str, value: str) -> None:
    """A `?currency=` / `?country=` link: a cookie that ends with the browser session; the account is untouched."""
    BY_KEY[key].remember_for_visit(request, response, value)


def save_choice(request: HttpRequest, response: HttpResponse, key: str, value: str) -> None:
    """The shopper chose in the market bar (POST): a lasting cookie and, signed in, their preference."""
    BY_KEY[key].save(request, response, value)


@lru_cache(maxsize=32)
def babel_locale(language: str) -> Locale:
    try:
        return Locale.parse(to_locale(language))
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en")


def country_name(code: str, language: str | None = None) -> str:
    """The country's name in the active language (Babel's territory names: no catalogue entry needed)."""
    code = (code or "").upper()
    return babel_locale(language or get_language() or "en").territories.get(code, code)
