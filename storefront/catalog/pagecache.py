"""Whole-page and fragment caching on the busiest pages (home, category, search, product).

Whole pages, for every visitor. `page_cache(stamp, personal=...)` on a view caches its page keyed by the URL and
everything that changes its presentation (edition, language, currency and rate, destination, time zone, htmx)
plus the catalogue version (catalog.version), so a price, stock or rating change is seen at once:

- A visitor with no session (so no cart, no messages, not signed in) gets a page cached whole, rendered with a
  placeholder where the CSRF token goes; each response gets the visitor's own token, so cached forms work.
- A visitor with a session (a cart, messages, signed in) gets the page every such visitor shares, cached with a
  marker where each part about the visitor goes: `{% personal "template.html" %}` in a template (the cart link,
  account links, messages, the family count, the product page's buying, comparison and review parts). Those
  parts are rendered per request, the same way on a hit as on a miss, with the request's context processors and
  the view's `personal(request, kwargs, kept)` context (lazy: a part that is not shown costs nothing; `kept`:
  what the view's `keep_for_parts` stored with the page, e.g. the product, so a hit reads it again from
  nowhere), and put in place of their markers; then the CSRF placeholder gets the visitor's token. While the shared page is rendered,
  the context's visitor variables (`user`, `messages`, `cart_count`, ...) raise `PersonalInSharedPage`: a
  template that reads one outside a `{% personal %}` part is never cached (logged, served uncached) rather than
  shown to someone else. `PAGE_CACHE_SESSIONS = False` (environment) switches this off: visitors with a session
  then get fragment caching only.

Fragments. With the whole-page cache off (or on a miss), shared parts of those pages (product cards, listings,
the product body, home sections) come from `{% cache FRAGMENT_TIMEOUT name shared_key ... %}` blocks keyed by
`shared_key` (catalogue version, language, edition, currency and rate, destination, time zone). Views hand the
shared data to templates lazily (SimpleLazyObject), so a cached fragment costs no query. Never put
`{% csrf_token %}`, a form that posts, or anything about the visitor inside such a block.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from django import template
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template import RequestContext, engines
from django.utils.cache import patch_vary_headers
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from storefront.catalog.version import catalogue_version
from storefront.markets import rates
from storefront.requests import ShopRequest

logger = logging.getLogger(__name__)

PLACEHOLDER = "csrf-placeholder-9c1e4b7d"
TIMEOUT = 300  # seconds; the stamp makes changes visible at once, the timeout only bounds memory

# How a page is being rendered for the cache (request._page_cache_render).
ANONYMOUS = "anonymous"  # whole, for visitors without a session: only the CSRF token is a placeholder
SHARED = "shared"  # for every visitor with a session: `{% personal %}` parts are markers

# A marker names the template to render in its place. Autoescaping turns "<" in any text a shopper or an
# editor wrote into "&lt;", so only a template's own markup can make one.
_NAME = r"[\w][\w./-]*\.html"
MARKER = re.compile(r"<!--personal:(" + _NAME + r")-->")
MARKER_START = b"<!--personal:"

# Context variables about the visitor: reading one while a shared page renders is a bug (PersonalInSharedPage).
VISITOR_VARIABLES = ("user", "perms", "messages", "cart_count", "oneclick")

Stamp = Callable[[HttpRequest, dict], str | None]
Personal = Callable[[HttpRequest, dict, dict[str, Any]], dict[str, Any]]


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


# ------------------------------------------------------------------------------ what a visitor gets


def _mode(request: HttpRequest) -> str | None:
    """ANONYMOUS, SHARED, or None (not cached: a POST, or a link that changes the visit's edition or market)."""
    if (
        request.method != "GET"
        or request.GET.get("edition")
        or request.GET.get("currency")
        or request.GET.get("country")
    ):
        return None
    if settings.SESSION_COOKIE_NAME not in request.COOKIES and "messages" not in request.COOKIES:
        return ANONYMOUS
    return SHARED if getattr(settings, "PAGE_CACHE_SESSIONS", True) else None


def _key(request: HttpRequest, stamp: str, mode: str) -> str:
    rate = rates.for_request(request)  # no query for the base currency; prices are shown at this rate
    parts = [
        mode,
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
        # boosted and history-restore requests get the whole page where a plain htmx one gets a fragment
        request.headers.get("HX-Boosted", ""),
        request.headers.get("HX-History-Restore-Request", ""),
        stamp,
    ]
    prefix = "page:" if mode == ANONYMOUS else "spage:"
    return prefix + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


class PersonalInSharedPage(Exception):
    """A template read something about the visitor outside a `{% personal %}` part of a shared page."""


class _VisitorGuard:
    """Stands for a visitor variable while a shared page renders: any use raises PersonalInSharedPage."""

    def __init__(self, name: str) -> None:
        object.__setattr__(self, "_name", name)

    def _refuse(self, *args: object, **kwargs: object) -> Any:
        raise PersonalInSharedPage(
            f"`{object.__getattribute__(self, '_name')}` read outside a {{% personal %}} part of a cached page"
        )

    def __getattr__(self, attr: str) -> Any:
        self._refuse()

    __bool__ = __str__ = __iter__ = __len__ = __contains__ = __eq__ = __html__ = _refuse
    __hash__ = None  # type: ignore[assignment]


def csrf_placeholder(request: HttpRequest) -> dict:
    """Context processor: while a page is rendered for the cache, the CSRF token is a placeholder and, for the
    page shared by visitors with a session, the visitor variables are guards."""
    mode = getattr(request, "_page_cache_render", None)
    if mode == ANONYMOUS:
        return {"csrf_token": PLACEHOLDER}
    if mode == SHARED:
        return {"csrf_token": PLACEHOLDER, **{name: _VisitorGuard(name) for name in VISITOR_VARIABLES}}
    return {}


def visitor_context(request: HttpRequest, values: dict[str, Any]) -> dict[str, Any]:
    """A view's context about the visitor: as it is, or guards while the shared page renders (only its
    `{% personal %}` parts may read it, and those are rendered per request with `personal` instead)."""
    if getattr(request, "_page_cache_render", None) == SHARED:
        return {name: _VisitorGuard(name) for name in values}
    return values


def keep_for_parts(request: HttpRequest, **values: Any) -> None:
    """Objects every visitor shares that the view's `{% personal %}` parts need (e.g. the product): stored with
    the shared page (picklable; as current as the page: the same catalogue version) and handed to the view's
    `personal` on every view of it."""
    if getattr(request, "_page_cache_render", None) == SHARED:
        request._page_cache_kept = values  # type: ignore[attr-defined]


# ------------------------------------------------------------------------------ personal parts


class PersonalNode(template.Node):
    """`{% personal "name.html" %}`: includes the template (with the current context), or, while the page shared
    by visitors with a session renders, leaves a marker that `fill_personal` replaces per request."""

    def __init__(self, name: str) -> None:
        self.name = name

    def render(self, context: template.Context) -> str:
        request = context.get("request")
        if getattr(request, "_page_cache_render", None) == SHARED:
            return mark_safe(f"<!--personal:{self.name}-->")
        assert context.template is not None
        part = context.template.engine.get_template(self.name)
        with context.push():
            return part.render(context)


def do_personal(parser: template.base.Parser, token: template.base.Token) -> PersonalNode:
    bits = token.split_contents()
    name = bits[1][1:-1] if len(bits) == 2 and bits[1][:1] in "\"'" and bits[1][-1:] == bits[1][:1] else ""
    if not re.fullmatch(_NAME, name):
        raise template.TemplateSyntaxError(
            '{% personal %} takes one quoted template name: {% personal "a.html" %}'
        )
    return PersonalNode(name)


def fill_personal(request: HttpRequest, body: bytes, context: dict[str, Any] | None = None) -> bytes:
    """Renders each `{% personal %}` part marked in `body` for this request (one context for all of them: the
    context processors run once) and puts it in place of its marker."""
    if MARKER_START not in body:
        return body
    text = body.decode()
    engine = engines["django"].engine  # type: ignore[attr-defined]
    parts = {name: engine.get_template(name) for name in dict.fromkeys(MARKER.findall(text))}
    if not parts:
        return body
    ctx = RequestContext(request, context or {})

    def render(match: re.Match) -> str:
        with ctx.push():
            return parts[match.group(1)].render(ctx)

    with ctx.bind_template(next(iter(parts.values()))):
        return MARKER.sub(render, text).encode()


# ------------------------------------------------------------------------------ the decorator


def _respond(request: HttpRequest, status: int, content_type: str, body: bytes) -> HttpResponse:
    response = HttpResponse(
        body.replace(PLACEHOLDER.encode(), get_token(request).encode()),
        status=status,
        content_type=content_type,
    )
    patch_vary_headers(response, ["Cookie", "HX-Request"])
    return response


def page_cache(stamp: Stamp, personal: Personal | None = None) -> Callable:
    """Caches the view's page (see the module docstring). `personal(request, view_kwargs)`: the context the
    view's `{% personal %}` parts need beyond the context processors (lazy values), for a page served from the
    cache without running the view."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            mode = _mode(request)
            if mode is None:
                return view(request, *args, **kwargs)
            current = stamp(request, kwargs)
            if current is None:
                return view(request, *args, **kwargs)
            key = _key(request, current, mode)
            hit = cache.get(key)
            if hit is None:
                request._page_cache_render = mode  # type: ignore[attr-defined]
                try:
                    response = view(request, *args, **kwargs)
                except PersonalInSharedPage:
                    logger.exception(
                        "page cache: %s reads the visitor outside {%% personal %%}", request.path
                    )
                    request._page_cache_render = None  # type: ignore[attr-defined]
                    return view(request, *args, **kwargs)
                finally:  # also when the view raises (Http404): the error page needs a real token
                    request._page_cache_render = None  # type: ignore[attr-defined]
                if response.streaming:
                    return response if mode == ANONYMOUS else view(request, *args, **kwargs)
                kept = getattr(request, "_page_cache_kept", None) or {}
                hit = (response.status_code, response["Content-Type"], response.content, kept)
                if response.status_code == 200 and not response.cookies:
                    cache.set(key, hit, TIMEOUT)
            status, content_type, body, *rest = hit  # (an entry stored before `kept` existed has 3)
            kept = rest[0] if rest else {}
            if mode == SHARED:
                body = fill_personal(request, body, personal(request, kwargs, kept) if personal else None)
            return _respond(request, status, content_type, body)

        return wrapped

    return decorator
