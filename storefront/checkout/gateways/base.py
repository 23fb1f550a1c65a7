"""The gateway interface: typed requests and responses, and a small error hierarchy.

Errors carry a message that is safe to show the shopper. Every money-moving call takes an idempotency key: the
provider must return the original result, not act twice, when it sees a key again.

Two kinds of gateway: `Gateway` charges a tokenised card directly; `RedirectGateway` (wallets and local
methods) starts a payment the shopper approves on the provider's own page, then tells the shop the outcome
when asked with `lookup` (the shop never trusts what the browser brings back).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from typing import Protocol

from storefront.checkout.said import Said


class PaymentError(Exception):
    """Base class; `customer_message` is safe to show (in the language active when raised, for the page that
    answers now); `said` is the same as data, for records read later in another language (`checkout.said`).
    The shop's gateways raise with a `Said`; a provider's own words (a plain str) are kept as written."""

    def __init__(self, customer_message: Said | str) -> None:
        said = Said.of(customer_message)
        super().__init__(str(said))
        self.said = said
        self.customer_message = str(said)


class CardInvalid(PaymentError):
    """The card details could not be tokenised (bad number, past expiry...)."""


class PaymentDeclined(PaymentError):
    """The provider answered no. Nothing was charged."""


class GatewayTimeout(PaymentError):
    """No answer in time: the charge may or may not have happened. Reconcile with `lookup`."""


@dataclass(frozen=True)
class CardDetails:
    number: str
    exp_month: int
    exp_year: int
    cvc: str


@dataclass(frozen=True)
class CardToken:
    token: str
    brand: str
    last4: str
    exp_month: int
    exp_year: int


@dataclass(frozen=True)
class ChargeRequest:
    token: str
    amount: Decimal
    currency: str
    idempotency_key: str
    description: str = ""


@dataclass(frozen=True)
class ChargeResult:
    reference: str
    amount: Decimal
    currency: str
    succeeded: bool
    message: str = ""


class Outcome(str, Enum):
    """Where a redirect payment stands on the provider's side."""

    PENDING = "pending"  # started; the shopper has not confirmed, failed or cancelled yet
    SUCCEEDED = "succeeded"
    DECLINED = "declined"  # the provider refused it: nothing was charged
    CANCELLED = "cancelled"  # the shopper cancelled on the provider's page, or the shop closed it


@dataclass(frozen=True)
class RedirectStart:
    """Where to send the shopper to approve the payment, and the provider's reference for it."""

    url: str
    reference: str


@dataclass(frozen=True)
class RedirectResult:
    reference: str
    amount: Decimal
    currency: str
    outcome: Outcome
    message: str = ""

    @property
    def succeeded(self) -> bool:
        return self.outcome is Outcome.SUCCEEDED


class Gateway(Protocol):
    name: str

    def tokenize(self, card: CardDetails) -> CardToken: ...

    def charge(self, request: ChargeRequest) -> ChargeResult: ...

    def refund(
        self, reference: str, amount: Decimal, currency: str, idempotency_key: str
    ) -> ChargeResult: ...

    def lookup(self, idempotency_key: str) -> ChargeResult | None: ...


class RedirectGateway(Protocol):
    """A provider whose shopper approves each payment on the provider's page (Alipay, Kakao Pay, Mada...)."""

    name: str

    def begin(self, request: ChargeRequest, method: str, return_url: str) -> RedirectStart:
        """Start (or, for a key seen before, return the same) pending payment. `request.token` is unused."""
        ...

    def lookup(self, idempotency_key: str) -> RedirectResult | None: ...

    def cancel(self, idempotency_key: str) -> RedirectResult | None:
        """Close a payment that is still pending, so it can no longer be confirmed; returns where it ended up
        (a payment confirmed a moment earlier stays succeeded)."""
        ...

    def refund(
        self, reference: str, amount: Decimal, currency: str, idempotency_key: str
    ) -> ChargeResult: ...
