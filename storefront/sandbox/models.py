"""The sandbox providers' own ledgers: what a real card or wallet provider keeps on its side (here, in our
database, so the demo and the tests can ask it what happened)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SandboxCard(models.Model):
    """A tokenised sandbox card: the behaviour its number asked for, brand and last four. Never the number."""

    token = models.CharField(max_length=64, unique=True)
    brand = models.CharField(max_length=20)
    last4 = models.CharField(max_length=4)
    behaviour = models.CharField(max_length=20, default="approve")
    exp_month = models.PositiveSmallIntegerField()
    exp_year = models.PositiveSmallIntegerField()


class SandboxCardCharge(models.Model):
    """The sandbox card gateway's ledger: one row per idempotency key (a charge or a refund)."""

    idempotency_key = models.CharField(max_length=80, unique=True)
    token = models.CharField(max_length=64)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3)
    kind = models.CharField(max_length=10, default="charge")
    reference = models.CharField(max_length=64, unique=True)
    original = models.CharField(
        max_length=64, blank=True, db_index=True
    )  # a refund: the charge it gives back
    succeeded = models.BooleanField()
    created_at = models.DateTimeField(auto_now_add=True)


class SandboxWalletCharge(models.Model):
    """The sandbox wallet provider's ledger (Alipay, Kakao Pay... stand-ins): one row per idempotency key.

    A charge starts pending when the shop sends the shopper over, and the provider's page settles it once.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the shopper")
        SUCCEEDED = "succeeded", _("Succeeded")
        DECLINED = "declined", _("Declined")
        CANCELLED = "cancelled", _("Cancelled, not charged")

    idempotency_key = models.CharField(max_length=80, unique=True)
    reference = models.CharField(max_length=64, unique=True)
    kind = models.CharField(max_length=10, default="charge")
    method = models.CharField(max_length=20)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3)
    description = models.CharField(max_length=200, blank=True)
    return_url = models.CharField(max_length=500, blank=True)
    refund_of = models.CharField(max_length=64, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    settled_at = models.DateTimeField(null=True, blank=True)
