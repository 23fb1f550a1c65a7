"""Page and fragment caching on the busiest pages (home, category, search, product).

Shoppers with a session (a cart, signed in) get the shared parts of those pages (product cards, listings, the
product body, home sections) from `{% cache FRAGMENT_TIMEOUT name shared_key ... %}` blocks keyed by
`shared_key` (catalogue version, language, edition, currency and rate, destination, time zone); only the
personal parts (cart count, messages, account links, forms with their CSRF token) are rendered per request.
Views hand the shared data to templates lazily (SimpleLazyObject), so a cached fragment costs no query.
Never put `{% csrf_token %}`, a form that posts, or anything about the visitor inside such a block.

Whole pages are cached only for visitors without a session:

A page is cached only for a visitor with no session (so no cart, no messages, not signed in), keyed by the URL
and everything that changes its presentation (edition, language, currency, destination, htmx) plus the catalogue
version (catalog.version), so a price, stock or rating change is seen at once. The page is rendered with a placeholder
where the CSRF token goes; each response gets the visitor's own token, so cached forms still work.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import cast

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.cache import patch_vary_headers
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language

from storefront.catalog.version import catalogue_version
from storefront.markets import rates
from storefront.requests import ShopRequest

PLACEHOLDER = "csrf-placeholder-9c1e4b7d"
TIMEOUT = 300  # seconds; the stamp makes changes visible at once, the timeout only bounds memory

Stamp = Callable[[HttpRequest, dict], str | None]


def catalogue_stamp(request: HttpRequest, kwargs: dict) -> str:
    """Changes whenever any product is added, edited, sold, restocked or reviewed, or a destination's duty
    rules change: one cache get (catalog.version), never a scan of the product table."""
    return str(catalogue_version())


FRAGMENT_TIMEOUT = 300  # seconds, as TIMEOUT


def _shared_key(request: HttpRequest) -> str:
    rate = rates.for_request(request)
    parts = [
        str(catalogue_version()),
        getattr(getattr(request, "edition", None), "slug", ""),
        get_language() or "",
        rate.currency,
        str(rate.rate),
        str(rate.as_of),
        getattr(request, "country", ""),
        getattr(request, "time_zone", ""),
    ]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]


def shared_fragments(request: HttpRequest) -> dict:
    """Context processor: `shared_key` (lazy: a page without shared fragments never reads the version), and
    `fragment_timeout` for the `{% cache %}` blocks that use it."""
    return {
        "shared_key": SimpleLazyObject(lambda: _shared_key(request)),
        "fragment_timeout": FRAGMENT_TIMEOUT,
    }


def _cacheable(request: HttpRequest) -> bool:
    return (
        request.method == "GET"
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
        and not request.GET.get("edition")
        and not request.GET.get("currency")
        and not request.GET.get("country")
    )


def _key(request: HttpRequest, stamp: str) -> str:
    rate = rates.for_request(request)  # no query for the base currency; prices are shown at this rate
    parts = [
        request.get_full_path(),
        getattr(cast(ShopRequest, request).edition, "slug", ""),
        get_language() or "",
        getattr(request, "currency", ""),
        str(rate.rate),
        str(rate.as_of),
        getattr(request, "country", ""),
        getattr(request, "time_zone", ""),
        request.headers.get("HX-Request", ""),
        request.headers.get("HX-Target", ""),
        stamp,
    ]
    return "page:" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def csrf_placeholder(request: HttpRequest) -> dict:
    """Context processor: while a page is rendered for the cache, the CSRF token is a placeholder."""
    return {"csrf_token": PLACEHOLDER} if getattr(request, "_render_for_page_cache", False) else {}


def _personalise(request: HttpRequest, status: int, content_type: str, body: bytes) -> HttpResponse:
    response = HttpResponse(
        body.replace(PLACEHOLDER.encode(), get_token(request).encode()),
        status=status,
        content_type=content_type,
    )
    patch_vary_headers(response, ["Cookie", "HX-Request"])
    return response


def anonymous_page_cache(stamp: Stamp) -> Callable:
    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not _cacheable(request):
                return view(request, *args, **kwargs)
            current = stamp(request, kwargs)
            if current is None:
                return view(request, *args, **kwargs)
            key = _key(request, current)
            hit = cache.get(key)
            if hit is not None:
                return _personalise(request, *hit)
            request._render_for_page_cache = True  # type: ignore[attr-defined]
            try:
                response = view(request, *args, **kwargs)
            finally:  # also when the view raises (Http404): the error page needs a real token
                request._render_for_page_cache = False  # type: ignore[attr-defined]
            if response.streaming:
                return response
            if response.status_code == 200 and not response.cookies:
                cache.set(key, (response.status_code, response["Content-Type"], response.content), TIMEOUT)
            return _personalise(request, response.status_code, response["Content-Type"], response.content)

        return wrapped

    return decorator
