"""Payment gateways behind two interfaces: `get_gateway()` returns a card gateway (the configured one by default),
`get_redirect_gateway()` a wallet/local-method gateway, and `gateway_named()` either, by the name recorded on a
payment (refunds and reconciliation go back to whichever gateway took the money)."""

from __future__ import annotations

from django.conf import settings

from .base import Gateway, RedirectGateway


def _card_gateways() -> dict[str, type[Gateway]]:
    from .test_gateway import TestGateway

    return {"test": TestGateway}


def _redirect_gateways() -> dict[str, type[RedirectGateway]]:
    from .test_wallets import TestWalletGateway

    return {"test_wallets": TestWalletGateway}


def get_gateway(name: str | None = None) -> Gateway:
    return _card_gateways()[name or getattr(settings, "PAYMENT_GATEWAY", "test")]()


def get_redirect_gateway(name: str) -> RedirectGateway:
    return _redirect_gateways()[name]()


def is_redirect_gateway(name: str) -> bool:
    return name in _redirect_gateways()


def gateway_named(name: str) -> Gateway | RedirectGateway:
    return get_redirect_gateway(name) if is_redirect_gateway(name) else get_gateway(name)
