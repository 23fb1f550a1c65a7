"""What apps above the catalogue add to a product page (one-click prices now; family payment could join).

The product view computes it, not a template tag: each app registers a provider at start-up
(`AppConfig.ready`), `provider(request, product) -> dict`, and the view merges their context. Providers return
lazy values, so a page that does not show their part (an anonymous visitor's) costs nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest

Provider = Callable[[HttpRequest, Any], dict[str, Any]]

_providers: dict[str, Provider] = {}  # filled once per process by AppConfig.ready, keyed by app label


def register(app_label: str, provider: Provider) -> None:
    _providers[app_label] = provider


def context(request: HttpRequest, product: Any) -> dict[str, Any]:
    """Every registered app's extra context for this product page."""
    out: dict[str, Any] = {}
    for provider in _providers.values():
        out.update(provider(request, product))
    return out
