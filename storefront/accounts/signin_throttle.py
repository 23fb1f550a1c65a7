"""Sign-in protection: the per-address slow-down, and the page a locked-out or slowed shopper sees.

Two layers, so that neither can be turned against shoppers (issue 18):
- django-axes (settings.AXES_*) locks a *username at one address*: 5 wrong passwords for that pair and that pair
  is refused for an hour. Other addresses can still sign in to the account, other accounts can still sign in
  from the address (one office or mobile NAT), and a password reset by e-mail lifts the lock.
- This module slows one address that fails across many usernames, without locking anyone: the first
  FREE_FAILURES failed sign-ins per address in a WINDOW (15 minutes, fixed window from the first failure) go
  through at full speed; after that the address gets one attempt per DELAY (30 s). An attempt during the wait
  answers 429 with Retry-After and is not checked at all, so guessing drops to about two a minute while the
  right password still works after the wait. Successful sign-ins do not count.

Counters live in Django's cache (key prefix "signin-throttle:"); with several app servers, set CACHE_BACKEND to
a shared cache (e.g. Redis) so the numbers hold across processes. The address is the one axes uses
(REMOTE_ADDR unless AXES_CLIENT_IP_CALLABLE says otherwise).
"""

from __future__ import annotations

import math

from axes.helpers import get_client_ip_address, get_cool_off
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from editions.rendering import render_page
from storefront import ratelimit

FREE_FAILURES = 20
WINDOW = 15 * 60  # seconds
DELAY = 30  # seconds between attempts once an address is past its free failures


def _address(request: HttpRequest) -> str:
    return get_client_ip_address(request) or "unknown"


def _key(kind: str, request: HttpRequest) -> str:
    return f"signin-throttle:{kind}:{_address(request)}"


def wait_seconds(request: HttpRequest) -> int:
    """How long this address must wait before its next sign-in attempt (0: go ahead)."""
    next_at = cache.get(_key("next", request))
    if next_at is None:
        return 0
    return max(0, math.ceil(next_at - timezone.now().timestamp()))


def record_failure(request: HttpRequest) -> None:
    """Count a failed sign-in for the address; past the free failures, make it wait DELAY seconds."""
    failures = ratelimit.count(_key("failures", request), WINDOW)
    if failures > FREE_FAILURES:
        cache.set(_key("next", request), timezone.now().timestamp() + DELAY, WINDOW)


def slowed_response(request: HttpRequest, seconds: int) -> HttpResponse:
    """429 for an address that must wait: what happened, how long, and the reset link."""
    response = render_page(
        request, "accounts/locked_out.html", {"slowed": True, "wait_seconds": seconds}, status=429
    )
    response["Retry-After"] = str(seconds)
    return response


def locked_out_response(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """settings.AXES_LOCKOUT_CALLABLE: the username is locked at this address for an hour."""
    cool_off = get_cool_off(request)
    response = render_page(request, "accounts/locked_out.html", {"slowed": False}, status=429)
    if cool_off is not None:
        response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response
