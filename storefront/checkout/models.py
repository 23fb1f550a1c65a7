"""Orders, their lines, payment records and return requests. Amounts are Decimal with the currency beside them."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from storefront.catalog.models import Product


def new_order_number() -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: numbers are read aloud and typed
    return "".join(secrets.choice(alphabet) for _ in range(10))


class Order(models.Model):
    class Status(models.TextChoices):
        PENDING_PAYMENT = "pending_payment", _("Waiting for payment")
        AWAITING_FAMILY = "awaiting_family", _("Waiting for your family to pay")
        PAID = "paid", _("Paid")
        SHIPPED = "shipped", _("Shipped")
        DELIVERED = "delivered", _("Delivered")
        PAYMENT_FAILED = "payment_failed", _("Payment failed, not charged")
        CANCELLED = "cancelled", _("Cancelled")
        EXPIRED = "expired", _("Closed unpaid: not paid in time, nothing charged")
        REFUNDED = "refunded", _("Refunded")

    number = models.CharField(_("order number"), max_length=12, unique=True, default=new_order_number)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="orders")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING_PAYMENT)
    idempotency_key = models.CharField(max_length=64, unique=True)
    currency = models.CharField(max_length=3)
    exchange_rate = models.DecimalField(max_digits=18, decimal_places=8, default=1,
                                        help_text=_("Units of the order currency per unit of base currency."))
    subtotal = models.DecimalField(max_digits=12, decimal_places=2)
    shipping = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    duties = models.DecimalField(_("import duty"), max_digits=12, decimal_places=2, default=0)
    taxes = models.DecimalField(_("import tax"), max_digits=12, decimal_places=2, default=0)
    destination = models.CharField(_("destination"), max_length=2, default="US")
    delivery_min_days = models.PositiveSmallIntegerField(default=2)
    delivery_max_days = models.PositiveSmallIntegerField(default=4)
    total = models.DecimalField(max_digits=12, decimal_places=2)
    total_base = models.DecimalField(max_digits=12, decimal_places=2)
    shipping_address = models.JSONField(_("delivery address"))
    payment_method_label = models.CharField(max_length=60, blank=True)
    stock_released = models.BooleanField(default=False)
    placed_at = models.DateTimeField(_("placed"), auto_now_add=True)
    paid_at = models.DateTimeField(_("paid"), null=True, blank=True)
    shipped_at = models.DateTimeField(_("shipped"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    failure_message = models.CharField(max_length=250, blank=True)
    # Which payment attempt is current (a shopper may switch from a wallet to a card for the same order: each
    # attempt has its own idempotency key) and when the reconciler should next ask the gateway about it.
    payment_attempt = models.PositiveSmallIntegerField(default=1)
    reconcile_after = models.DateTimeField(null=True, blank=True, db_index=True)
    reconcile_tries = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-placed_at"]
        verbose_name = _("order")
        verbose_name_plural = _("orders")

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("checkout:order", args=[self.number])

    def address_lines(self) -> list[str]:
        """The delivery address as it was when the order was placed, one line per part."""
        from storefront.accounts.models import Address

        fields = {f.name for f in Address._meta.get_fields()}
        return Address(**{k: v for k, v in (self.shipping_address or {}).items() if k in fields}).lines()

    @property
    def is_international(self) -> bool:
        from storefront.markets.landed_cost import HOME_COUNTRY

        return self.destination != HOME_COUNTRY

    @property
    def is_paid(self) -> bool:
        return self.status in {self.Status.PAID, self.Status.SHIPPED, self.Status.DELIVERED}


class OrderEvent(models.Model):
    """One step in an order's life: which transition, from and to which status, who or what moved it, when.

    Written only by `checkout.lifecycle`; the admin shows it read-only and the order page builds its timeline
    from it.
    """

    class Source(models.TextChoices):
        SHOPPER = "shopper", _("Shopper")
        PAYER = "payer", _("Family payer")
        MERCHANT = "merchant", _("Merchant")
        GATEWAY = "gateway", _("Payment provider")
        RECONCILER = "reconciler", _("Payment reconciler")
        SYSTEM = "system", _("Shop")

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events")
    transition = models.CharField(max_length=30)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    source = models.CharField(max_length=12, choices=Source.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+")
    note = models.CharField(max_length=250, blank=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("order event")
        verbose_name_plural = _("order events")

    def __str__(self) -> str:
        return f"{self.order_id}: {self.from_status or '-'} -> {self.to_status} ({self.transition})"


class OrderLine(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(Product, on_delete=models.SET_NULL, null=True, related_name="+")
    product_name = models.CharField(max_length=200)
    unit_price = models.DecimalField(max_digits=12, decimal_places=2)
    quantity = models.PositiveIntegerField()
    line_total = models.DecimalField(max_digits=12, decimal_places=2)

    class Meta:
        ordering = ["id"]
        constraints = [models.CheckConstraint(condition=models.Q(quantity__gte=1), name="order_line_quantity_1")]

    @property
    def display_name(self) -> str:
        """The product's name in the reader's language; the name recorded at ordering once it is gone."""
        return self.product.display_name if self.product is not None else self.product_name


class Payment(models.Model):
    """What the shop asked the gateway and what it answered; one row per idempotency key."""

    class Kind(models.TextChoices):
        CHARGE = "charge", _("Charge")
        REFUND = "refund", _("Refund")

    class Status(models.TextChoices):
        SUCCEEDED = "succeeded", _("Succeeded")
        DECLINED = "declined", _("Declined")
        CANCELLED = "cancelled", _("Cancelled, not charged")
        UNKNOWN = "unknown", _("Not yet known")

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="payments")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.CHARGE)
    gateway = models.CharField(max_length=30)
    idempotency_key = models.CharField(max_length=80, unique=True)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3)
    status = models.CharField(max_length=12, choices=Status.choices)
    reference = models.CharField(max_length=64, blank=True)
    message = models.CharField(max_length=250, blank=True)
    # Redirect methods only: which one (payment_methods code) and the provider page the shopper was sent to.
    method = models.CharField(max_length=20, blank=True)
    redirect_url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)


class ReturnRequest(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", _("Return requested")
        APPROVED = "approved", _("Return approved")
        RECEIVED = "received", _("Parcel received")
        REFUNDED = "refunded", _("Refunded")

    STEPS = [Status.REQUESTED, Status.APPROVED, Status.RECEIVED, Status.REFUNDED]

    order = models.OneToOneField(Order, on_delete=models.CASCADE, related_name="return_request")
    reason = models.TextField(_("reason"), max_length=1000)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.REQUESTED)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def steps(self) -> list[dict]:
        reached = self.STEPS.index(self.status)
        return [{"label": s.label, "done": i < reached, "current": i == reached} for i, s in enumerate(self.STEPS)]
