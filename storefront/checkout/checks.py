"""System checks for the payment configuration: a shop that cannot take payment fails `manage.py check` (and so
migrate and runserver) with a clear message, instead of failing at the first shopper's payment."""

from __future__ import annotations

from django.apps import apps
from django.core.checks import Error, register
from django.core.checks import Warning as CheckWarning
from django.utils.module_loading import import_string

from storefront.markets import payment_methods

from . import gateways

SANDBOX_APP = "storefront.sandbox"
SANDBOX_HINT = (
    "PAYMENT_SANDBOX is off (the default when DEBUG=False), so the sandbox gateways are not "
    "configured. Set PAYMENT_GATEWAY and PAYMENT_CARD_GATEWAYS (name=dotted.path) to a real card "
    "gateway, or PAYMENT_SANDBOX=True for a demo that takes no real money."
)


@register("payments")
def check_payment_gateways(app_configs=None, **kwargs) -> list:
    errors: list = []
    card = gateways.default_card_gateway()
    if card not in gateways.card_gateway_paths():
        errors.append(
            Error(
                f"No card payment gateway is configured (PAYMENT_GATEWAY={card!r} is not in PAYMENT_CARD_GATEWAYS).",
                hint=SANDBOX_HINT,
                id="checkout.E001",
            )
        )
    configured = [*gateways.card_gateway_paths().items(), *gateways.redirect_gateway_paths().items()]
    for name, path in configured:
        errors.extend(_check_gateway_class(name, path))
    redirect = [m for m in payment_methods.METHODS if m.is_redirect]
    missing = sorted({m.gateway for m in redirect if not payment_methods.is_served(m)})
    for name in missing:
        names = ", ".join(str(m.name) for m in redirect if m.gateway == name)
        errors.append(
            CheckWarning(
                f"{names} will not be offered: their gateway {name!r} is not in PAYMENT_REDIRECT_GATEWAYS.",
                hint="Configure a provider under that name, or PAYMENT_SANDBOX=True for the sandbox wallets.",
                id="checkout.W001",
            )
        )
    return errors


def _check_gateway_class(name: str, path: str) -> list:
    if path.startswith(SANDBOX_APP + ".") and not apps.is_installed(SANDBOX_APP):
        return [
            Error(
                f"Payment gateway {name!r} ({path}) belongs to the payment sandbox, which is not installed.",
                hint="Set PAYMENT_SANDBOX=True, or configure a real gateway under that name.",
                id="checkout.E003",
            )
        ]
    try:
        cls = import_string(path)
    except ImportError as exc:
        return [
            Error(f"Payment gateway {name!r} cannot be imported from {path!r}: {exc}", id="checkout.E002")
        ]
    if getattr(cls, "name", None) != name:
        # Payments record the gateway's own name; a different registry key would leave them unresolvable.
        return [
            Error(
                f"Payment gateway {path} calls itself {getattr(cls, 'name', None)!r}, not {name!r}.",
                hint="Register each gateway under its own `name`.",
                id="checkout.E002",
            )
        ]
    return []
