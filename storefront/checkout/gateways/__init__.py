"""The payment gateway registry: `get_gateway()` returns a card gateway (PAYMENT_GATEWAY by default),
`get_redirect_gateway()` a wallet/local-method gateway, and `gateway_named()` either, by the name recorded on a
payment (refunds and reconciliation go back to whichever gateway took the money).

Which gateways exist is configuration, not code: PAYMENT_CARD_GATEWAYS and PAYMENT_REDIRECT_GATEWAYS map a name
to a class's dotted path. The sandbox app's gateways are put there by settings only when PAYMENT_SANDBOX is on,
so checkout never imports them itself. `checkout.checks` reports a missing or broken gateway at start-up.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.module_loading import import_string

from .base import Gateway, RedirectGateway


class UnknownGateway(KeyError):
    """No gateway of that name is configured (a KeyError, as a missing registry entry always was)."""


def card_gateway_paths() -> dict[str, str]:
    return dict(getattr(settings, "PAYMENT_CARD_GATEWAYS", {}) or {})


def redirect_gateway_paths() -> dict[str, str]:
    return dict(getattr(settings, "PAYMENT_REDIRECT_GATEWAYS", {}) or {})


def default_card_gateway() -> str:
    return getattr(settings, "PAYMENT_GATEWAY", "") or ""


def _load(paths: dict[str, str], name: str, kind: str) -> type:
    if name not in paths:
        raise UnknownGateway(f"no {kind} payment gateway named {name!r} is configured")
    return import_string(paths[name])


def get_gateway(name: str | None = None) -> Gateway:
    return _load(card_gateway_paths(), name or default_card_gateway(), "card")()


def get_redirect_gateway(name: str) -> RedirectGateway:
    return _load(redirect_gateway_paths(), name, "redirect")()


def is_redirect_gateway(name: str) -> bool:
    return name in redirect_gateway_paths()


def gateway_named(name: str) -> Gateway | RedirectGateway:
    return get_redirect_gateway(name) if is_redirect_gateway(name) else get_gateway(name)
