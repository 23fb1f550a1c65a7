"""The sandbox card gateway: behaves like a real one (tokenised cards, idempotent charges, declines, timeouts)
but moves no money; registered as "test" in PAYMENT_CARD_GATEWAYS when PAYMENT_SANDBOX is on.

Documented sandbox cards (any future expiry, any 3-digit CVC):
  4242 4242 4242 4242  Visa, approved          5555 5555 5555 4444  Mastercard, approved
  4000 0000 0000 0002  declined                4000 0000 0000 9995  declined: insufficient funds
  4000 0000 0000 0119  times out, not charged  4000 0000 0000 3220  times out after charging (reconcile!)
  4000 0000 0000 5126  approved; a refund to it times out after refunding (reconcile the refund!)
Any other number passing the Luhn check is approved. Only the token, brand and last four digits are kept.
"""

from __future__ import annotations

import secrets
from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from storefront.checkout.gateways.base import (
    CardDetails,
    CardInvalid,
    CardToken,
    ChargeRequest,
    ChargeResult,
    GatewayTimeout,
    PaymentDeclined,
)
from storefront.checkout.said import Said

from .models import SandboxCard, SandboxCardCharge

BEHAVIOURS = {
    "4000000000000002": "decline",
    "4000000000009995": "insufficient_funds",
    "4000000000000119": "timeout",
    "4000000000003220": "timeout_after_charge",
    "4000000000005126": "refund_timeout",
}


def luhn_ok(number: str) -> bool:
    digits = [int(d) for d in number]
    checksum = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        checksum += d
    return checksum % 10 == 0


def card_brand(number: str) -> str:
    if number.startswith("4"):
        return "Visa"
    if number[:2] in {"51", "52", "53", "54", "55"} or "2221" <= number[:4] <= "2720":
        return "Mastercard"
    if number[:2] in {"34", "37"}:
        return "American Express"
    if number.startswith("62"):
        return "UnionPay"
    return "Card"


def _declined(behaviour: str) -> PaymentDeclined:
    return PaymentDeclined(
        Said(gettext_noop("Your bank declined the payment: not enough funds. You have not been charged."))
        if behaviour == "insufficient_funds"
        else Said(gettext_noop("Your card was declined. You have not been charged. Try another card."))
    )


class SandboxCardGateway:
    # The name recorded on Payment and SavedPaymentMethod rows; kept from before the sandbox had its own app.
    name = "test"

    def tokenize(self, card: CardDetails) -> CardToken:
        number = "".join(ch for ch in card.number if ch.isdigit())
        if not 12 <= len(number) <= 19 or not luhn_ok(number):
            raise CardInvalid(_("Enter a valid card number."))
        today = date.today()
        if not 1 <= card.exp_month <= 12 or (card.exp_year, card.exp_month) < (today.year, today.month):
            raise CardInvalid(_("This card has expired. Use another card."))
        if not (card.cvc.isdigit() and len(card.cvc) in (3, 4)):
            raise CardInvalid(_("Enter the 3 or 4 digit security code from the back of the card."))
        stored = SandboxCard.objects.create(
            token=f"tok_{secrets.token_hex(12)}",
            brand=card_brand(number),
            last4=number[-4:],
            behaviour=BEHAVIOURS.get(number, "approve"),
            exp_month=card.exp_month,
            exp_year=card.exp_year,
        )
        return CardToken(stored.token, stored.brand, stored.last4, stored.exp_month, stored.exp_year)

    def charge(self, request: ChargeRequest) -> ChargeResult:
        previous = self.lookup(request.idempotency_key)
        card = SandboxCard.objects.filter(token=request.token).first()
        if previous is not None:  # a retry: the original answer (a decline stays a decline), no new charge
            if not previous.succeeded:
                raise _declined(card.behaviour if card else "decline")
            return previous
        if card is None:
            raise PaymentDeclined(
                Said(gettext_noop("This payment method is no longer valid. Choose another."))
            )
        if card.behaviour == "timeout":
            raise GatewayTimeout(
                Said(gettext_noop("The payment service did not answer in time. You have not been charged."))
            )
        succeeded = card.behaviour not in {"decline", "insufficient_funds"}
        result = self._record(request, succeeded, "charge")
        if card.behaviour == "timeout_after_charge":
            raise GatewayTimeout(Said(gettext_noop("The payment service did not answer in time.")))
        if not succeeded:
            raise _declined(card.behaviour)
        return result

    def refund(self, reference: str, amount: Decimal, currency: str, idempotency_key: str) -> ChargeResult:
        previous = self.lookup(idempotency_key)
        if previous is not None:
            return previous
        original = SandboxCardCharge.objects.filter(
            reference=reference, kind="charge", succeeded=True
        ).first()
        refunded = sum(
            SandboxCardCharge.objects.filter(original=reference, kind="refund", succeeded=True).values_list(
                "amount", flat=True
            ),
            Decimal(0),
        )
        # Partial refunds are fine; more than was charged, in total, is not.
        if (
            original is None
            or amount <= 0
            or refunded + amount > original.amount
            or currency != original.currency
        ):
            raise PaymentDeclined(Said(gettext_noop("The refund could not be made. Our team has been told.")))
        result = self._record(
            ChargeRequest(original.token, amount, currency, idempotency_key),
            True,
            "refund",
            original=reference,
        )
        card = SandboxCard.objects.filter(token=original.token).first()
        if card is not None and card.behaviour == "refund_timeout":
            raise GatewayTimeout(Said(gettext_noop("The payment service did not answer in time.")))
        return result

    def lookup(self, idempotency_key: str) -> ChargeResult | None:
        row = SandboxCardCharge.objects.filter(idempotency_key=idempotency_key).first()
        if row is None:
            return None
        return ChargeResult(row.reference, row.amount, row.currency, row.succeeded)

    def _record(self, request: ChargeRequest, succeeded: bool, kind: str, original: str = "") -> ChargeResult:
        try:
            with transaction.atomic():
                row = SandboxCardCharge.objects.create(
                    idempotency_key=request.idempotency_key,
                    token=request.token,
                    amount=request.amount,
                    currency=request.currency,
                    kind=kind,
                    reference=f"ch_{secrets.token_hex(10)}",
                    succeeded=succeeded,
                    original=original,
                )
        except IntegrityError:  # the same key raced in from another request: return the winner's answer
            existing = self.lookup(request.idempotency_key)
            assert existing is not None
            return existing
        return ChargeResult(row.reference, row.amount, row.currency, row.succeeded)
