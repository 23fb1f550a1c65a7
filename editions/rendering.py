"""Page rendering for views: a view names a logical template (the loader finds the edition's override first,
editions.loader).

With htmx, the same view and URL return a named partial (`page.html#fragment`) instead of the whole page,
except for boosted and history-restore requests, which need the whole page.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers


def wants_fragment(request: HttpRequest) -> bool:
    htmx = getattr(request, "htmx", None)
    return htmx is not None and bool(htmx) and not htmx.boosted and not htmx.history_restore_request


def render_page(
    request: HttpRequest,
    name: str,
    context: dict[str, Any] | None = None,
    *,
    fragment: str | None = None,
    status: int = 200,
) -> HttpResponse:
    """Render `name`; only `name#fragment` when htmx asked for a part of the page."""
    target = f"{name}#{fragment}" if fragment and wants_fragment(request) else name
    response = render(request, target, context or {}, status=status)
    if fragment:
        patch_vary_headers(response, ["HX-Request"])
    return response
