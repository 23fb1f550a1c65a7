"""Saving the shopper's display currency and destination: the market bar's POST form (CSRF-protected).

Links with `?currency=` / `?country=` change only the visit (choices.remember_for_visit); this view is the one
place a choice is saved to a lasting cookie and, signed in, the account.
"""

from __future__ import annotations

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from storefront.nexturl import safe_next

from . import choices

KEYS = ("currency", "country")


@require_POST
def choose(request: HttpRequest) -> HttpResponse:
    """Save each posted currency / country; any unknown code refuses the whole form (400, nothing saved)."""
    chosen: dict[str, str] = {}
    for key in KEYS:
        if key in request.POST:
            code = choices.code_for(key, request.POST[key])
            if code is None:
                raise BadRequest(f"unknown {key}")
            chosen[key] = code
    if not chosen:
        raise BadRequest("no currency or country")
    response = redirect(safe_next(request, "/", drop=KEYS))
    for key, code in chosen.items():
        choices.save_choice(request, response, key, code)
    return response
