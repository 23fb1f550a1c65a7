"""Which ways to pay the shop offers for each destination, and which gateway serves each one.

The destination that decides is the country of the delivery address chosen at checkout. A method whose
`countries` is None is offered everywhere (cards); a local method only where it is available, so the pay page
never shows a method the shopper could not use.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .choices import COUNTRIES


class Kind(str, Enum):
    CARD = "card"  # card details typed on our page, charged directly
    REDIRECT = "redirect"  # the shopper approves the payment on the provider's page and comes back


@dataclass(frozen=True)
class PaymentMethod:
    code: str
    name: str | Promise
    kind: Kind
    countries: frozenset[str] | None
    gateway: str

    @property
    def is_redirect(self) -> bool:
        return self.kind is Kind.REDIRECT

    def available_in(self, country: str) -> bool:
        return self.countries is None or country.upper() in self.countries


def _where(*codes: str) -> frozenset[str]:
    """Only destinations the shop delivers to (GrabPay also works in MY/PH, which are not destinations yet)."""
    return frozenset(code for code in codes if code in COUNTRIES)


# Order is display order. "test" and "test_wallets" are the names of the payment sandbox's gateways
# (storefront/sandbox/, configured only when PAYMENT_SANDBOX is on); a real deployment registers its providers
# under these names in PAYMENT_CARD_GATEWAYS / PAYMENT_REDIRECT_GATEWAYS. A local method whose gateway is not
# configured is not offered anywhere.
METHODS: tuple[PaymentMethod, ...] = (
    PaymentMethod("card", _("Card"), Kind.CARD, None, "test"),
    PaymentMethod("alipay", _("Alipay"), Kind.REDIRECT, _where("CN"), "test_wallets"),
    PaymentMethod("kakaopay", _("Kakao Pay"), Kind.REDIRECT, _where("KR"), "test_wallets"),
    PaymentMethod("mada", _("Mada"), Kind.REDIRECT, _where("SA"), "test_wallets"),
    PaymentMethod("grabpay", _("GrabPay"), Kind.REDIRECT, _where("SG", "MY", "PH"), "test_wallets"),
    PaymentMethod("ovo", _("OVO"), Kind.REDIRECT, _where("ID"), "test_wallets"),
)
BY_CODE = {method.code: method for method in METHODS}


def get(code: str) -> PaymentMethod | None:
    return BY_CODE.get(code)


def is_served(method: PaymentMethod) -> bool:
    """Cards are served by whichever card gateway is configured (a system check insists on one); a local method
    only when its redirect gateway is configured (read from settings: markets never imports checkout)."""
    return not method.is_redirect or method.gateway in (
        getattr(settings, "PAYMENT_REDIRECT_GATEWAYS", {}) or {}
    )


def available_for(country: str) -> list[PaymentMethod]:
    """Every method offered for delivery to `country`, in display order."""
    return [method for method in METHODS if method.available_in(country) and is_served(method)]


def cards_available_for(country: str) -> bool:
    return any(method.kind is Kind.CARD for method in available_for(country))


def redirect_methods_for(country: str) -> list[PaymentMethod]:
    return [method for method in available_for(country) if method.is_redirect]
