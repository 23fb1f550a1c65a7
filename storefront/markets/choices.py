"""Which currencies and destinations the shop offers, and how a request chooses them (param, cookie, user).

A `?currency=` / `?country=` link changes only this visit (a browser-session cookie); saving the choice to a
lasting cookie and the account (`save_choice`) happens only through the market bar's POST (markets.views.choose),
so a cross-site GET cannot rewrite a shopper's stored preferences (issue 11 #6).
"""

from __future__ import annotations

from functools import lru_cache

from babel import Locale, UnknownLocaleError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language, to_locale

from .money import BASE_CURRENCY

CURRENCIES = ("USD", "CNY", "KRW", "EUR", "SAR")
COUNTRIES = ("US", "CN", "KR", "SA", "DE", "GB", "FR", "JP", "SG", "ID")
DEFAULT_COUNTRY = "US"
COOKIE_MAX_AGE = 365 * 24 * 3600


def _choose(request: HttpRequest, key: str, allowed: tuple[str, ...], default: str, pref: str) -> tuple[str, bool]:
    raw = request.GET.get(key, "")
    if isinstance(raw, str) and raw.strip().upper() in allowed:
        return raw.strip().upper(), True
    cookie = (request.COOKIES.get(key) or "").upper()
    if cookie in allowed:
        return cookie, False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and getattr(user, pref, "") in allowed:
        return getattr(user, pref), False
    return default, False


def resolve_currency(request: HttpRequest) -> tuple[str, bool]:
    return _choose(request, "currency", CURRENCIES, BASE_CURRENCY, "preferred_currency")


def resolve_country(request: HttpRequest) -> tuple[str, bool]:
    return _choose(request, "country", COUNTRIES, DEFAULT_COUNTRY, "preferred_country")


def code_for(key: str, value: object) -> str | None:
    """The offered code for a submitted "currency" or "country" value (case and spaces forgiven), else None."""
    allowed = CURRENCIES if key == "currency" else COUNTRIES
    code = value.strip().upper() if isinstance(value, str) else ""
    return code if code in allowed else None


def _set_cookie(request: HttpRequest, response: HttpResponse, key: str, value: str, max_age: int | None) -> None:
    response.set_cookie(key, value, max_age=max_age, samesite="Lax", httponly=True, secure=request.is_secure())


def remember_for_visit(request: HttpRequest, response: HttpResponse, key: str, value: str) -> None:
    """A `?currency=` / `?country=` link: a cookie that ends with the browser session; the account is untouched."""
    _set_cookie(request, response, key, value, None)


def save_choice(request: HttpRequest, response: HttpResponse, key: str, value: str) -> None:
    """The shopper chose in the market bar (POST): a lasting cookie and, signed in, their preference."""
    _set_cookie(request, response, key, value, COOKIE_MAX_AGE)
    user = getattr(request, "user", None)
    field = f"preferred_{key}"
    if user is not None and user.is_authenticated and getattr(user, field, None) != value:
        setattr(user, field, value)
        user.save(update_fields=[field])


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
