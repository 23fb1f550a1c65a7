"""Which currencies and destinations the shop offers, and how a request chooses them (param, cookie, user)."""

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


def persist(request: HttpRequest, response: HttpResponse, key: str, value: str) -> None:
    response.set_cookie(key, value, max_age=COOKIE_MAX_AGE, samesite="Lax", httponly=True,
                        secure=request.is_secure())
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
