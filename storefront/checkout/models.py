"""Orders, their lines, payment records, returns, refunds and shipments. Amounts are Decimal with the currency
beside them. Statuses here are written only by their services: Order by `lifecycle`, ReturnRequest by `returns`,
Refund by `refunds`, Shipment by `fulfilment` (each under a row lock, each step logged as an OrderEvent)."""

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
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING_PAYMENT
    )
    idempotency_key = models.CharField(max_length=64, unique=True)
    currency = models.CharField(max_length=3)
    exchange_rate = models.DecimalField(
        max_digits=18,
        decimal_places=8,
        default=1,
        help_text=_("Units of the order currency per unit of base currency."),
    )
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
    # Why the order ended unpaid: `failure` is what the shop said, as data (checkout.said), shown to the shopper
    # in their language (`failure_text`); `failure_message` is the same in the shop's language, for the admin.
    failure_message = models.CharField(max_length=250, blank=True)
    failure = models.JSONField(default=dict, blank=True)
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
    def failure_text(self) -> str:
        """Why the order ended unpaid, in the reader's language (orders from before `failure`: as written)."""
        from .said import Said

        said = Said.from_data(self.failure)
        return str(said) if said else self.failure_message

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
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # What a person typed (a merchant's delay note, the reason a return was refused), shown as written.
    note = models.CharField(max_length=250, blank=True)
    # What the shop records, rendered in the reader's language and money format by `history.describe`:
    # {"said": Said data} (why a payment failed or an order was closed), {"amount", "currency", "key"} (a refund),
    # {"carrier", "tracking"} (a parcel; "to_carrier", "to_tracking" for the parcel sent again), {"return": code}
    # (a return's steps; with "tracking" for the parcel sent back).
    data = models.JSONField(default=dict, blank=True)
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
    # The line's import duty as the quote charged it (refunds give back the duty of the units returned).
    duty = models.DecimalField(_("import duty"), max_digits=12, decimal_places=2, default=0)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gte=1), name="order_line_quantity_1")
        ]

    def __str__(self) -> str:
        return f"{self.product_name} x {self.quantity}"

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


def new_return_code() -> str:
    return "R" + new_order_number()[:9]  # the same read-aloud alphabet; "R" tells it from an order number


class ReturnRequest(models.Model):
    """A shopper's return (or exchange) of some units of some lines of one order; several per order may exist."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Return requested")
        APPROVED = "approved", _("Return approved")
        SENT = "sent", _("Parcel sent back")
        RECEIVED = "received", _("Parcel received")
        REFUNDED = "refunded", _("Refunded")
        EXCHANGED = "exchanged", _("Replacement on its way")
        REJECTED = "rejected", _("Return refused")

    class Reason(models.TextChoices):
        DAMAGED = "damaged", _("It arrived damaged or faulty")
        WRONG_ITEM = "wrong_item", _("I received the wrong item")
        NOT_AS_DESCRIBED = "not_as_described", _("It is not as described")
        SIZE = "size", _("Wrong size or fit")
        CHANGED_MIND = "changed_mind", _("I changed my mind")
        OTHER = "other", _("Another reason")

    # The shop's fault: shipping is refunded with the goods (see refunds.py for the whole rule).
    SHOP_FAULT = frozenset({Reason.DAMAGED, Reason.WRONG_ITEM, Reason.NOT_AS_DESCRIBED})

    class Kind(models.TextChoices):
        REFUND = "refund", _("Return it for a refund")
        EXCHANGE = "exchange", _("Exchange it for the same item")

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="returns")
    code = models.CharField(_("return code"), max_length=12, unique=True, default=new_return_code)
    kind = models.CharField(
        _("what you would like"), max_length=10, choices=Kind.choices, default=Kind.REFUND
    )
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices, default=Reason.OTHER)
    detail = models.TextField(_("more about the reason"), max_length=1000, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.REQUESTED)
    tracking_code = models.CharField(_("tracking code"), max_length=40, blank=True)
    rejection_reason = models.CharField(_("reason for refusing"), max_length=250, blank=True)
    restocked = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("return")
        verbose_name_plural = _("returns")

    def __str__(self) -> str:
        return self.code

    def get_absolute_url(self) -> str:
        return reverse("checkout:return_detail", args=[self.order.number, self.code])

    @property
    def is_open(self) -> bool:
        return self.status not in {self.Status.REFUNDED, self.Status.EXCHANGED, self.Status.REJECTED}


class ReturnLine(models.Model):
    return_request = models.ForeignKey(ReturnRequest, on_delete=models.CASCADE, related_name="lines")
    order_line = models.ForeignKey(OrderLine, on_delete=models.CASCADE, related_name="return_lines")
    quantity = models.PositiveIntegerField()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gte=1), name="return_line_quantity_1")
        ]


class Refund(models.Model):
    """Money the shop gives back: the shop's decision (lines, amounts) and where the gateway stands on it.

    Written before the gateway is called, with its idempotency key; `unknown` until the gateway confirms (a
    timeout is asked again by the reconciler with backoff)."""

    class Status(models.TextChoices):
        UNKNOWN = "unknown", _("Being refunded")
        SUCCEEDED = "succeeded", _("Refunded")
        FAILED = "failed", _("Refund failed")

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="refunds")
    return_request = models.ForeignKey(
        ReturnRequest, on_delete=models.SET_NULL, null=True, blank=True, related_name="refunds"
    )
    idempotency_key = models.CharField(max_length=80, unique=True)
    currency = models.CharField(max_length=3)
    goods = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    shipping = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    duties = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    taxes = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.UNKNOWN)
    reason = models.CharField(max_length=250, blank=True)
    fast = models.BooleanField(default=False, help_text=_("Issued when the parcel was handed over."))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    settled_at = models.DateTimeField(null=True, blank=True)
    retry_after = models.DateTimeField(null=True, blank=True, db_index=True)
    tries = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")

    def __str__(self) -> str:
        return self.idempotency_key


class RefundLine(models.Model):
    refund = models.ForeignKey(Refund, on_delete=models.CASCADE, related_name="lines")
    order_line = models.ForeignKey(OrderLine, on_delete=models.CASCADE, related_name="refund_lines")
    quantity = models.PositiveIntegerField()
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    duty = models.DecimalField(max_digits=12, decimal_places=2, default=0)

    class Meta:
        ordering = ["id"]


class Shipment(models.Model):
    """One parcel: some units of some lines, its carrier and tracking number, and where it is."""

    class Status(models.TextChoices):
        IN_TRANSIT = "in_transit", _("On its way")
        DELAYED = "delayed", _("Delayed")
        DELIVERED = "delivered", _("Delivered")
        LOST = "lost", _("Lost in transit")
        RESOLVED = "resolved", _("Lost: refunded or sent again")

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="shipments")
    carrier = models.CharField(_("carrier"), max_length=60)
    tracking_number = models.CharField(_("tracking number"), max_length=60)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.IN_TRANSIT)
    replaces = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    shipped_at = models.DateTimeField(default=timezone.now)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["shipped_at", "id"]
        verbose_name = _("shipment")
        verbose_name_plural = _("shipments")

    def __str__(self) -> str:
        return f"{self.carrier} {self.tracking_number}"


class ShipmentLine(models.Model):
    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="lines")
    order_line = models.ForeignKey(OrderLine, on_delete=models.CASCADE, related_name="shipment_lines")
    quantity = models.PositiveIntegerField()
