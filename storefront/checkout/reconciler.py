"""Settling orders left awaiting payment against the gateway (placeholder).

The lead replaces this module with the real reconciler (issue 11); this stand-in keeps the scheduled task and
the `reconcile_payments` command working meanwhile by closing abandoned wallet payments. Keep the signature.
"""

from __future__ import annotations

from datetime import datetime

from storefront.checkout import payments


def run(*, now: datetime | None = None) -> int:
    """Settle every order awaiting payment past its grace period; returns how many orders it settled."""
    return payments.expire_abandoned_redirects(now=now)
