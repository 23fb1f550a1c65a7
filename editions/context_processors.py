"""Puts the request's edition and the list of editions (for the switcher) into every template."""

from __future__ import annotations

from django.http import HttpRequest

from . import registry


def edition(request: HttpRequest) -> dict:
    return {
        "edition": getattr(request, "edition", registry.DEFAULT),
        "editions": registry.all_editions(),
    }
