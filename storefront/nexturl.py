"""Where a form sends the shopper back: the page they were on, on this site only. The shop's one `next=` rule:
every view that redirects to a URL a visitor could have chosen goes through `safe_next` (or `is_local_url`).

Forms carry a hidden `next` (the current URL without the parameters the form replaces); the view that saves the
choice redirects there only when it is a local URL, otherwise to a fallback.
"""

from __future__ import annotations

from django.http import HttpRequest, QueryDict
from django.utils.http import url_has_allowed_host_and_scheme

MAX_KEPT_PARAMS = 20


def current_url_without(request: HttpRequest, *drop: str) -> str:
    """The request's path and query string minus the named parameters (at most 20 kept, in order)."""
    params = request.GET.copy()
    for key in drop:
        params.pop(key, None)
    kept = [(key, value) for key, values in params.lists() for value in values][:MAX_KEPT_PARAMS]
    trimmed = QueryDict(mutable=True)
    for key, value in kept:
        trimmed.appendlist(key, value)
    query = trimmed.urlencode()
    return f"{request.path}?{query}" if query else request.path


def is_local_url(request: HttpRequest, url: str) -> bool:
    """Whether `url` stays on this site (a path, or this host's absolute URL; never `//other`, never another
    host or scheme): the one check behind every redirect to a URL a visitor could have chosen."""
    return not url.startswith("//") and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )


def safe_next(
    request: HttpRequest, fallback: str, drop: tuple[str, ...] = (), *, from_query: bool = False
) -> str:
    """The posted `next` when it is a path on this site, else `fallback`; the `drop` parameters are removed
    from it (a saved edition must not be overridden by a stale `?edition=` in the page it returns to).

    `from_query`: without a posted `next`, the one in the query string (a link that sends the shopper to a form
    and asks to come back, as the address book does for "Ask my family to pay")."""
    candidate = request.POST.get("next", "")
    if not candidate and from_query:
        candidate = request.GET.get("next", "")
    if not candidate.startswith("/") or not is_local_url(request, candidate):
        return fallback
    path, _, query = candidate.partition("?")
    params = QueryDict(query, mutable=True)
    for key in drop:
        params.pop(key, None)
    query = params.urlencode()
    return f"{path}?{query}" if query else path
