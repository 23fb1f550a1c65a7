"""Payment gateways behind one interface; `get_gateway()` returns the configured one."""

from __future__ import annotations

from django.conf import settings

from .base import Gateway


def get_gateway(name: str | None = None) -> Gateway:
    from .test_gateway import TestGateway

    registry: dict[str, type[Gateway]] = {"test": TestGateway}
    return registry[name or getattr(settings, "PAYMENT_GATEWAY", "test")]()
