"""The gateway interface: typed requests and responses, and a small error hierarchy.

Errors carry a message that is safe to show the shopper. Every money-moving call takes an idempotency key: the
provider must return the original result, not act twice, when it sees a key again.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol


class PaymentError(Exception):
    """Base class; `customer_message` is safe to show."""

    def __init__(self, customer_message: str) -> None:
        super().__init__(customer_message)
        self.customer_message = customer_message


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


class Gateway(Protocol):
    name: str

    def tokenize(self, card: CardDetails) -> CardToken: ...

    def charge(self, request: ChargeRequest) -> ChargeResult: ...

    def refund(self, reference: str, amount: Decimal, currency: str, idempotency_key: str) -> ChargeResult: ...

    def lookup(self, idempotency_key: str) -> ChargeResult | None: ...
