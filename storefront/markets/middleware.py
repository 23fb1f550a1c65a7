"""Sets `request.currency` and `request.country` (display currency and shipping destination; a `?currency=` or
`?country=` link holds for the visit only, see choices.py), and remembers a
signed-in shopper's language: switching language (POST /i18n/setlang/) stores it in `User.preferred_language`,
and a browser without a language cookie gets that preference (before Accept-Language, which LocaleMiddleware
already applied)."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import translation

from . import choices


@lru_cache(maxsize=1)
def _set_language_path() -> str:
    return reverse("set_language")


def supported_language(code: object) -> str | None:
    """The supported language for a code ('zh-Hans' -> 'zh-hans'), or None for anything unknown."""
    if not isinstance(code, str) or not code or len(code) > 20:
        return None
    try:
        language = translation.get_supported_language_variant(code.strip().lower())
    except LookupError:
        return None
    return language if language in dict(settings.LANGUAGES) else None


class MarketMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        currency, currency_now = choices.resolve_currency(request)
        country, country_now = choices.resolve_country(request)
        request.currency, request.country = currency, country  # type: ignore[attr-defined]
        remembered = self._language_from_preference(request)
        response = self.get_response(request)
        if currency_now:
            choices.remember_for_visit(request, response, "currency", currency)
        if country_now:
            choices.remember_for_visit(request, response, "country", country)
        if remembered and settings.LANGUAGE_COOKIE_NAME not in response.cookies:
            self._set_language_cookie(request, response, remembered)
        self._remember_language_choice(request, response)
        return response

    @staticmethod
    def _signed_in_user(request: HttpRequest):
        user = getattr(request, "user", None)
        return user if user is not None and user.is_authenticated else None

    def _language_from_preference(self, request: HttpRequest) -> str | None:
        if settings.LANGUAGE_COOKIE_NAME in request.COOKIES:
            return None  # this browser chose (or was told) a language: it wins
        user = self._signed_in_user(request)
        language = supported_language(getattr(user, "preferred_language", "")) if user else None
        if language is None:
            return None
        translation.activate(language)
        request.LANGUAGE_CODE = language
        return language

    @staticmethod
    def _set_language_cookie(request: HttpRequest, response: HttpResponse, language: str) -> None:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE or request.is_secure(),
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )

    def _remember_language_choice(self, request: HttpRequest, response: HttpResponse) -> None:
        if request.method != "POST" or request.path != _set_language_path() or response.status_code >= 400:
            return
        user = self._signed_in_user(request)
        if user is None:
            return
        language = supported_language(request.POST.get("language"))
        if language and user.preferred_language != language:
            user.preferred_language = language
            user.save(update_fields=["preferred_language"])
