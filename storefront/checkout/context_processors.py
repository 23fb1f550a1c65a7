"""`oneclick`: the signed-in shopper's default address and card (is one-click buying ready?), for the pages that
offer "Buy now" and "Buy again". Lazy: read at most once per request, and only by a page that shows it."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from . import oneclick as rules


def oneclick(request: HttpRequest) -> dict:
    return {"oneclick": SimpleLazyObject(lambda: rules.readiness_for(request))}
