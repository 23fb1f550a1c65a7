"""Family payment: a link between a payer and a beneficiary (started by either side, each naming what the other
is to them: "Mum", "Daughter"), the beneficiary's requests to pay for a held order, the payer's optional monthly
allowance, baskets the payer prepares for the beneficiary to confirm ("Help me shop"), and an audit log both
sides can read."""

from __future__ import annotations

import secrets
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from storefront.catalog.models import Category, Product
from storefront.checkout.models import Order

INVITE_LIFETIME = timedelta(days=7)
REQUEST_LIFETIME = timedelta(hours=48)


def new_invite_code() -> str:
    return secrets.token_urlsafe(24)


def invite_expiry():
    return timezone.now() + INVITE_LIFETIME


def request_expiry():
    return timezone.now() + REQUEST_LIFETIME


SHARE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: read aloud or typed from a phone


def new_share_code() -> str:
    """ "K7PM-4QXD": short enough to read over the phone; single use, 7 days, signed-in users only."""
    raw = "".join(secrets.choice(SHARE_ALPHABET) for _ in range(8))
    return f"{raw[:4]}-{raw[4:]}"


class Relation(models.TextChoices):
    """What the other person is to me, chosen by each side for the other and shown in the reader's language."""

    MOTHER = "mother", _("Mum")
    FATHER = "father", _("Dad")
    DAUGHTER = "daughter", _("Daughter")
    SON = "son", _("Son")
    GRANDMOTHER = "grandmother", _("Grandma")
    GRANDFATHER = "grandfather", _("Grandpa")
    GRANDDAUGHTER = "granddaughter", _("Granddaughter")
    GRANDSON = "grandson", _("Grandson")
    WIFE = "wife", _("Wife")
    HUSBAND = "husband", _("Husband")
    SISTER = "sister", _("Sister")
    BROTHER = "brother", _("Brother")
    FRIEND = "friend", _("Friend")
    CARER = "carer", _("Carer")


class FamilyLinkQuerySet(models.QuerySet):
    def involving(self, user) -> FamilyLinkQuerySet:
        return self.filter(Q(payer=user) | Q(beneficiary=user))

    def active(self) -> FamilyLinkQuerySet:
        return self.filter(status=FamilyLink.Status.ACTIVE)


class FamilyLink(models.Model):
    """One side invites (the payer offering to pay, or the beneficiary asking for help); the other accepts with
    the single-use code or its short share code. Either side can end it at once.

    `payer_relation` is what the beneficiary calls the payer ("Daughter"), `beneficiary_relation` what the
    payer calls the beneficiary ("Mum"): each side names the other, and reads the name it chose."""

    class Status(models.TextChoices):
        INVITED = "invited", _("Invitation sent")
        ACTIVE = "active", _("Active")
        ENDED = "ended", _("Ended")

    class Side(models.TextChoices):
        PAYER = "payer", _("The payer")
        BENEFICIARY = "beneficiary", _("The person paid for")

    payer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="family_paying_for",
    )
    beneficiary = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="family_payers",
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.INVITED)
    invite_code = models.CharField(max_length=64, unique=True, default=new_invite_code)
    invite_email = models.EmailField(_("email address to invite"), blank=True)
    invite_expires_at = models.DateTimeField(default=invite_expiry)
    started_by = models.CharField(max_length=12, choices=Side.choices, default=Side.PAYER)
    share_code = models.CharField(max_length=9, unique=True, null=True, blank=True)
    payer_relation = models.CharField(
        _("what they are to you"), max_length=20, choices=Relation.choices, blank=True
    )
    beneficiary_relation = models.CharField(
        _("what they are to you"), max_length=20, choices=Relation.choices, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = FamilyLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # One payer at a time per beneficiary: a request always has exactly one place to go.
            models.UniqueConstraint(
                fields=["beneficiary"], condition=Q(status="active"), name="family_one_active_payer"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.payer or '?'} → {self.beneficiary or self.invite_email or '?'} ({self.status})"

    def invite_usable(self) -> bool:
        return self.status == self.Status.INVITED and timezone.now() < self.invite_expires_at

    def other_side(self, user):
        return self.beneficiary if user.pk == self.payer_id else self.payer

    @property
    def starter(self):
        return self.beneficiary if self.started_by == self.Side.BENEFICIARY else self.payer

    @property
    def payer_name(self) -> str:
        """The payer as the beneficiary calls them: "Daughter (Jin)"; shown to the beneficiary."""
        return labelled(self.payer, self.get_payer_relation_display() if self.payer_relation else "")

    @property
    def beneficiary_name(self) -> str:
        """The beneficiary as the payer calls them: "Mum (Soon-ja)"; shown to the payer."""
        return labelled(
            self.beneficiary, self.get_beneficiary_relation_display() if self.beneficiary_relation else ""
        )

    def name_of(self, person) -> str:
        if person is None:
            return ""
        if person.pk == self.payer_id:
            return self.payer_name
        if person.pk == self.beneficiary_id:
            return self.beneficiary_name
        return shown_name(person)


def shown_name(user) -> str:
    return getattr(user, "shown_name", "") or (getattr(user, "username", "") if user else "")


def labelled(user, relation: str) -> str:
    name = shown_name(user)
    if relation and name:
        return _("%(relation)s (%(name)s)") % {"relation": relation, "name": name}
    return relation or name


class PayRequestQuerySet(models.QuerySet):
    def pending(self) -> PayRequestQuerySet:
        return self.filter(status=PayRequest.Status.PENDING)

    def due(self) -> PayRequestQuerySet:
        return self.pending().filter(expires_at__lte=timezone.now())


class PayRequest(models.Model):
    """An order held (stock reserved) for up to 48 hours until the linked payer approves or declines it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        APPROVED = "approved", _("Approved and paid")
        DECLINED = "declined", _("Declined")
        EXPIRED = "expired", _("Expired")
        CANCELLED = "cancelled", _("Cancelled")
        REFUNDED = "refunded", _("Order cancelled, payment refunded")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    link = models.ForeignKey(FamilyLink, on_delete=models.PROTECT, related_name="requests")
    payer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    beneficiary = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    order = models.OneToOneField(Order, on_delete=models.PROTECT, related_name="pay_request")
    cart_signature = models.CharField(max_length=64)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    note = models.CharField(_("note for your family member"), max_length=250, blank=True)
    by_allowance = models.BooleanField(_("paid from the allowance"), default=False)
    answer = models.CharField(_("message"), max_length=250, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(default=request_expiry)
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = PayRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # Asking twice for the same cart while the first ask is pending merges into that ask.
            models.UniqueConstraint(
                fields=["beneficiary", "cart_signature"],
                condition=Q(status="pending"),
                name="family_one_pending_request_per_cart",
            ),
        ]

    def __str__(self) -> str:
        return f"Request {self.public_id} ({self.status})"

    def get_absolute_url(self) -> str:
        return reverse("family:request", args=[self.public_id])

    @property
    def answer_text(self) -> str:
        """The payer's message, as written; for a request ended by a refused payment, why, in the reader's
        language (the order keeps the shop's words as data: `Order.failure_text`)."""
        if self.answer or self.status != self.Status.CANCELLED:
            return self.answer
        return self.order.failure_text


class Allowance(models.Model):
    """The payer pre-approves up to `monthly_limit` (base currency) a calendar month, outside some categories.

    Requests within it are paid at once from the payer's default card; the month starts again on the 1st."""

    link = models.OneToOneField(FamilyLink, on_delete=models.CASCADE, related_name="allowance")
    monthly_limit = models.DecimalField(_("monthly limit"), max_digits=12, decimal_places=2)
    excluded_categories = models.ManyToManyField(
        Category, blank=True, related_name="+", verbose_name=_("categories that always need your answer")
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.monthly_limit} a month on link {self.link_id}"


class HelpBasket(models.Model):
    """ "Help me shop": a basket the payer prepares for the beneficiary, who confirms it with one press. The
    order is placed then (current prices, stock held at once) and paid by the allowance when it covers the
    order, else by the payer's default card: preparing the basket was the payer's yes. Like Buy now, the order
    can be cancelled for 30 minutes (`checkout.oneclick`)."""

    class Status(models.TextChoices):
        OFFERED = "offered", _("Waiting for you to confirm")
        CONFIRMED = "confirmed", _("Confirmed and ordered")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        FAILED = "failed", _("Could not be ordered")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    link = models.ForeignKey(FamilyLink, on_delete=models.PROTECT, related_name="baskets")
    payer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    beneficiary = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OFFERED)
    note = models.CharField(_("a note for them"), max_length=250, blank=True)
    pay_request = models.OneToOneField(
        PayRequest, on_delete=models.PROTECT, null=True, blank=True, related_name="basket"
    )
    # Why it could not be ordered, as shown then (baskets from before `problem_text`; now left empty).
    problem = models.CharField(max_length=250, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Basket {self.public_id} ({self.status})"

    def get_absolute_url(self) -> str:
        return reverse("family:basket", args=[self.public_id])

    @property
    def problem_text(self) -> str:
        """Why it could not be ordered, in the reader's language (the refused payment's request says why)."""
        if self.problem or self.status != self.Status.FAILED or self.pay_request is None:
            return self.problem
        return self.pay_request.answer_text


class HelpBasketLine(models.Model):
    basket = models.ForeignKey(HelpBasket, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["pk"]


class FamilyEvent(models.Model):
    """What happened on a link, for both sides to read. Never edited."""

    class Kind(models.TextChoices):
        INVITED = "invited", _("Invitation created")
        ACCEPTED = "accepted", _("Invitation accepted")
        ENDED = "ended", _("Link ended")
        REQUESTED = "requested", _("Asked to pay")
        MERGED = "merged", _("Asked again for the same items")
        APPROVED = "approved", _("Approved and paid")
        ALLOWANCE = "allowance", _("Paid from the monthly allowance")
        ALLOWANCE_SET = "allowance_set", _("Monthly allowance changed")
        DECLINED = "declined", _("Declined")
        PAYMENT_FAILED = "payment_failed", _("Payment failed")
        EXPIRED = "expired", _("Request expired")
        CANCELLED = "cancelled", _("Request cancelled")
        ORDER_CANCELLED = "order_cancelled", _("Order cancelled; refund not yet through")
        REFUNDED = "refunded", _("Order cancelled and payment refunded")
        RELATION_SET = "relation_set", _("Name in the family changed")
        BASKET_PREPARED = "basket_prepared", _("Basket prepared")
        BASKET_CONFIRMED = "basket_confirmed", _("Basket confirmed and ordered")
        BASKET_WITHDRAWN = "basket_withdrawn", _("Basket withdrawn")

    link = models.ForeignKey(FamilyLink, on_delete=models.CASCADE, related_name="events")
    pay_request = models.ForeignKey(
        PayRequest, on_delete=models.CASCADE, null=True, blank=True, related_name="events"
    )
    basket = models.ForeignKey(
        HelpBasket, on_delete=models.CASCADE, null=True, blank=True, related_name="events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    detail = models.CharField(max_length=250, blank=True)  # what a person wrote (a decline note), as written
    # What the shop records, as data rendered in the reader's language and money format (`display_detail`):
    # {"note": "allowance", "amount": "60.00", "currency": "USD", "excluded": [category ids]},
    # {"note": "allowance_removed"}, {"note": "refunded" | "refund_pending", "amount", "currency", "name"},
    # {"note": "expired"}, {"note": "link_ended"}, {"note": "said", "said": checkout.said data} (why a payment failed).
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} on link {self.link_id}"

    @property
    def display_detail(self) -> str:
        """The detail in the reader's language: rendered from `data` when the shop wrote it, else `detail`."""
        from .history import describe

        return describe(self.data) if self.data else self.detail
