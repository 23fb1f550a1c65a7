"""The sandbox wallet provider: behaves like the real redirect flows of Alipay, Kakao Pay, Mada, GrabPay and OVO;
registered as "test_wallets" in PAYMENT_REDIRECT_GATEWAYS when PAYMENT_SANDBOX is on.

`begin` records a pending charge in the provider's own ledger (SandboxWalletCharge) and returns the address of
the provider's page (views.py), where the shopper chooses "Confirm payment", "Payment fails" or
"Cancel". The page settles the charge once and sends the shopper back to the shop's return URL; the shop then
asks `lookup` what happened. Everything is idempotent: the same key begins the same charge, a second
confirmation charges nothing more, a refund key refunds once.
"""

from __future__ import annotations

import secrets
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from storefront.checkout.gateways.base import (
    ChargeRequest,
    ChargeResult,
    Outcome,
    PaymentDeclined,
    PaymentError,
    RedirectResult,
    RedirectStart,
)
from storefront.checkout.said import Said
from storefront.markets import payment_methods

from .models import SandboxWalletCharge

Status = SandboxWalletCharge.Status
OUTCOMES = {
    Status.PENDING: Outcome.PENDING,
    Status.SUCCEEDED: Outcome.SUCCEEDED,
    Status.DECLINED: Outcome.DECLINED,
    Status.CANCELLED: Outcome.CANCELLED,
}


def served_methods() -> set[str]:
    return {
        m.code for m in payment_methods.METHODS if m.is_redirect and m.gateway == SandboxWalletGateway.name
    }


def page_url(charge: SandboxWalletCharge) -> str:
    return reverse("sandbox:provider", args=[charge.reference])


class SandboxWalletGateway:
    # The name recorded on Payment rows; kept from before the sandbox had its own app.
    name = "test_wallets"

    def begin(self, request: ChargeRequest, method: str, return_url: str) -> RedirectStart:
        existing = SandboxWalletCharge.objects.filter(idempotency_key=request.idempotency_key).first()
        if existing is not None:  # a retry: the same pending charge, the same page
            return RedirectStart(page_url(existing), existing.reference)
        if method not in served_methods():
            raise PaymentError(
                Said(gettext_noop("This way to pay is not available. Choose another way to pay."))
            )
        if request.amount <= 0:
            raise PaymentDeclined(Said(gettext_noop("There is nothing to pay for this order.")))
        try:
            with transaction.atomic():
                charge = SandboxWalletCharge.objects.create(
                    idempotency_key=request.idempotency_key,
                    reference=f"wal_{secrets.token_hex(12)}",
                    method=method,
                    amount=request.amount,
                    currency=request.currency,
                    description=request.description[:200],
                    return_url=return_url[:500],
                )
        except IntegrityError:  # the same key raced in from another request: its charge is the charge
            charge = SandboxWalletCharge.objects.get(idempotency_key=request.idempotency_key)
        return RedirectStart(page_url(charge), charge.reference)

    def lookup(self, idempotency_key: str) -> RedirectResult | None:
        charge = SandboxWalletCharge.objects.filter(idempotency_key=idempotency_key).first()
        return _result(charge) if charge is not None else None

    def cancel(self, idempotency_key: str) -> RedirectResult | None:
        charge = SandboxWalletCharge.objects.filter(idempotency_key=idempotency_key, kind="charge").first()
        if charge is None:
            return None
        return _result(settle(charge.reference, Status.CANCELLED))

    def refund(self, reference: str, amount: Decimal, currency: str, idempotency_key: str) -> ChargeResult:
        previous = SandboxWalletCharge.objects.filter(idempotency_key=idempotency_key, kind="refund").first()
        if previous is not None:
            return ChargeResult(previous.reference, previous.amount, previous.currency, True)
        original = SandboxWalletCharge.objects.filter(
            reference=reference, kind="charge", status=Status.SUCCEEDED
        ).first()
        refunded = sum(
            (r.amount for r in SandboxWalletCharge.objects.filter(refund_of=reference)), Decimal(0)
        )
        if original is None or currency != original.currency or amount + refunded > original.amount:
            raise PaymentDeclined(Said(gettext_noop("The refund could not be made. Our team has been told.")))
        try:
            with transaction.atomic():
                row = SandboxWalletCharge.objects.create(
                    idempotency_key=idempotency_key,
                    reference=f"wre_{secrets.token_hex(12)}",
                    kind="refund",
                    method=original.method,
                    amount=amount,
                    currency=currency,
                    refund_of=reference,
                    status=Status.SUCCEEDED,
                    settled_at=timezone.now(),
                )
        except IntegrityError:
            row = SandboxWalletCharge.objects.get(idempotency_key=idempotency_key)
        return ChargeResult(row.reference, row.amount, row.currency, True)


def settle(reference: str, status: str) -> SandboxWalletCharge:
    """The provider's side of the shopper's choice: a pending charge ends once; later choices change nothing."""
    with transaction.atomic():
        charge = SandboxWalletCharge.objects.select_for_update().get(reference=reference, kind="charge")
        if charge.status == Status.PENDING and status != Status.PENDING:
            charge.status = status
            charge.settled_at = timezone.now()
            charge.save(update_fields=["status", "settled_at"])
    return charge


def _result(charge: SandboxWalletCharge) -> RedirectResult:
    return RedirectResult(charge.reference, charge.amount, charge.currency, OUTCOMES[Status(charge.status)])
