"""Guessing share codes is stopped: a person who mistypes a code or two is never bothered, a script is.

A share code ("K7PM-4QXD", 32^8 combinations) opens someone's family link, so wrong codes are counted per
account and per address (storefront.ratelimit, shared by every server through the cache): past
ACCOUNT_LIMIT wrong codes for one account, or ADDRESS_LIMIT from one address, in WINDOW, further codes are not
looked up at all until the window ends. Codes that match do not count.
"""

from __future__ import annotations

from axes.helpers import get_client_ip_address
from django.http import HttpRequest

from storefront import ratelimit

ACCOUNT_LIMIT = 5
ADDRESS_LIMIT = 20  # several people behind one office or mobile network each get their own tries
WINDOW = 15 * 60  # seconds


def _keys(request: HttpRequest) -> tuple[str, str]:
    address = get_client_ip_address(request) or "unknown"
    return f"share-code:user:{request.user.pk}", f"share-code:addr:{address}"


def blocked(request: HttpRequest) -> bool:
    """True while this account or address has used up its wrong codes for the window."""
    account, address = _keys(request)
    return ratelimit.current(account) >= ACCOUNT_LIMIT or ratelimit.current(address) >= ADDRESS_LIMIT


def record_wrong(request: HttpRequest) -> None:
    """Count one code that matched nothing, for the account and for the address."""
    for key in _keys(request):
        ratelimit.count(key, WINDOW)
