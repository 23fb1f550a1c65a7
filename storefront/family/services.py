"""Family payment rules: invitations and links, asking a payer to pay for a held order, the payer's answer,
and the monthly allowance that answers for them.

Stock is held through `checkout.placement` (the order waits in AWAITING_FAMILY); the payer's card is charged
through `checkout.payments.collect`, outside any transaction, with the order's own idempotency key, so a
repeated approval can never charge twice. Every change writes a FamilyEvent and emails the other side.
Requests past their 48 hours are expired by `expire_family_requests` and also whenever one is read.
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from storefront.accounts.services import default_card
from storefront.checkout import lifecycle, payments, placement, reconciler
from storefront.checkout.models import Order, OrderEvent
from storefront.markets.money import BASE_CURRENCY

from . import emails
from .models import Allowance, FamilyEvent, FamilyLink, PayRequest


class FamilyError(Exception):
    """A family action that was refused; the message is safe to show."""


def display_name(user) -> str:
    return (user.get_full_name() or user.username) if user else ""


def _event(link: FamilyLink, kind: str, *, actor=None, pay_request: PayRequest | None = None,
           detail: str = "", data: dict | None = None) -> FamilyEvent:
    """`detail` is what a person wrote; what the shop records goes in `data` (family/history.py renders it)."""
    return FamilyEvent.objects.create(link=link, kind=kind, actor=actor, pay_request=pay_request,
                                      detail=detail[:250], data=data or {})


# --- links -----------------------------------------------------------------------------------------------

def create_invite(*, payer, email: str = "", base_url: str = "") -> FamilyLink:
    with transaction.atomic():
        link = FamilyLink.objects.create(payer=payer, invite_email=email)
        _event(link, FamilyEvent.Kind.INVITED, actor=payer, detail=email)
        emails.notify("invite", to=email, base_url=base_url, link=link, payer_name=display_name(payer))
    return link


def invite_problem(link: FamilyLink | None, user) -> str:
    """Why this user cannot accept this invitation, or '' if they can."""
    if link is None or link.status == FamilyLink.Status.ENDED:
        return _("This invitation link is not valid. Ask for a new one.")
    if link.status != FamilyLink.Status.INVITED:
        return _("This invitation has already been used. Each link works once; ask for a new one.")
    if timezone.now() >= link.invite_expires_at:
        return _("This invitation has expired: links work for 7 days. Ask for a new one.")
    if link.payer_id == user.pk:
        return _("This is your own invitation. Send the link to the person you want to pay for.")
    if FamilyLink.objects.active().filter(beneficiary=user).exists():
        return _("Someone already pays for you. End that family link first, then accept this one.")
    return ""


def accept_invite(*, code: str, beneficiary) -> FamilyLink:
    try:
        with transaction.atomic():
            link = FamilyLink.objects.select_for_update().filter(invite_code=code).first()
            problem = invite_problem(link, beneficiary)
            if problem:
                raise FamilyError(problem)
            link.beneficiary = beneficiary
            link.status = FamilyLink.Status.ACTIVE
            link.accepted_at = timezone.now()
            link.save(update_fields=["beneficiary", "status", "accepted_at"])
            _event(link, FamilyEvent.Kind.ACCEPTED, actor=beneficiary)
    except IntegrityError as exc:  # a second invitation accepted at the same moment
        raise FamilyError(_("Someone already pays for you. End that family link first, then accept this "
                            "one.")) from exc
    return link


def end_link(*, link: FamilyLink, by) -> FamilyLink:
    """Either side ends the link at once; pending requests on it are cancelled and their stock released."""
    with transaction.atomic():
        link = FamilyLink.objects.select_for_update().get(pk=link.pk)
        if by.pk not in (link.payer_id, link.beneficiary_id):
            raise FamilyError(_("This family link is not yours."))
        if link.status == FamilyLink.Status.ENDED:
            return link
        was_active = link.status == FamilyLink.Status.ACTIVE
        link.status = FamilyLink.Status.ENDED
        link.ended_at = timezone.now()
        link.ended_by = by
        link.save(update_fields=["status", "ended_at", "ended_by"])
        _event(link, FamilyEvent.Kind.ENDED, actor=by)
        pending = PayRequest.objects.select_for_update().filter(link=link, status=PayRequest.Status.PENDING)
        for pay_request in pending:
            _close(pay_request, PayRequest.Status.CANCELLED, FamilyEvent.Kind.CANCELLED, actor=by,
                   detail=_("The family link was ended."), notify_user=None, data={"note": "link_ended"})
        if was_active:
            other = link.other_side(by)
            emails.notify("ended", to=getattr(other, "email", ""), ended_by_name=display_name(by))
    return link


# --- requests --------------------------------------------------------------------------------------------

def active_link_for(beneficiary) -> FamilyLink | None:
    return FamilyLink.objects.active().filter(beneficiary=beneficiary).select_related("payer").first()


def cart_signature(lines: list[placement.WantedLine]) -> str:
    merged: dict[int, int] = {}
    for line in lines:
        merged[line.product_id] = merged.get(line.product_id, 0) + line.quantity
    text = ";".join(f"{pid}x{qty}" for pid, qty in sorted(merged.items()))
    return hashlib.sha256(text.encode()).hexdigest()


def ask_to_pay(*, beneficiary, lines: list[placement.WantedLine], address: dict, note: str = "",
               base_url: str = "", idempotency_key: str = "",
               currency: str = BASE_CURRENCY) -> tuple[PayRequest, bool]:
    """Hold the items (stock reserved) and ask the linked payer. Asking again for the same items while the
    first ask is pending returns that ask, and so does a repeat with the same `idempotency_key` (a double
    click on a product page's or checkout's button). Raises FamilyError, or placement's
    SoldOut/PlacementError.
    Every way of asking (the family page's cart, the product page, checkout) comes through here."""
    if idempotency_key:
        earlier = PayRequest.objects.filter(beneficiary=beneficiary,
                                            order__idempotency_key=idempotency_key).first()
        if earlier is not None:
            return earlier, False
    link = active_link_for(beneficiary)
    if link is None:
        raise FamilyError(_("Nobody is set up to pay for you yet. Ask a family member to invite you."))
    signature = cart_signature(lines)
    with transaction.atomic():
        link = FamilyLink.objects.select_for_update().get(pk=link.pk)  # one ask at a time per link
        if link.status != FamilyLink.Status.ACTIVE:
            raise FamilyError(_("This family link has ended."))
        if idempotency_key:  # the same key again, now that asks on this link wait for each other
            earlier = PayRequest.objects.filter(beneficiary=beneficiary,
                                                order__idempotency_key=idempotency_key).first()
            if earlier is not None:
                return earlier, False
        for due in PayRequest.objects.due().filter(link=link):
            _expire_locked(due)
        existing = PayRequest.objects.pending().filter(beneficiary=beneficiary,
                                                       cart_signature=signature).first()
        if existing is not None:
            _event(link, FamilyEvent.Kind.MERGED, actor=beneficiary, pay_request=existing)
            return existing, False
        order, _created = placement.place_order(
            user=beneficiary, lines=lines, address=address,
            idempotency_key=idempotency_key or f"family-{uuid.uuid4().hex}",
            awaiting_family=True, currency=currency,
            payment_method_label=_("Paid by %(name)s") % {"name": display_name(link.payer)})
        card = default_card(link.payer)
        by_allowance = card is not None and allowance_covers(link, order)
        pay_request = PayRequest.objects.create(
            link=link, payer=link.payer, beneficiary=beneficiary, order=order, cart_signature=signature,
            note=note[:250], by_allowance=by_allowance)
        _event(link, FamilyEvent.Kind.REQUESTED, actor=beneficiary, pay_request=pay_request)
        if not by_allowance:
            emails.notify("requested", to=link.payer.email or "", base_url=base_url, pay_request=pay_request,
                          beneficiary_name=display_name(beneficiary))
    if by_allowance:  # counted against the month from here on; charged outside the transaction
        pay_request = approve(pay_request=pay_request, payer=link.payer, method=card, base_url=base_url,
                              via_allowance=True)
        emails.notify("allowance_used", to=link.payer.email or "", base_url=base_url, pay_request=pay_request,
                      beneficiary_name=display_name(beneficiary))
    return pay_request, True


# --- allowance -------------------------------------------------------------------------------------------

def month_start(moment: datetime | None = None) -> datetime:
    """Midnight on the 1st of the current month, in the shop's time zone: when allowances start again."""
    # The shop's zone, not the shopper's (activated per request): the month must not move with the reader.
    local = timezone.localtime(moment or timezone.now(), timezone.get_default_timezone())
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def allowance_spent(link: FamilyLink) -> Decimal:
    """This month's spend from the allowance, including requests it is paying for right now."""
    rows = PayRequest.objects.filter(
        link=link, by_allowance=True, created_at__gte=month_start(),
        status__in=[PayRequest.Status.PENDING, PayRequest.Status.APPROVED]).values_list("order__total_base",
                                                                                        flat=True)
    return sum(rows, Decimal("0.00"))


def allowance_covers(link: FamilyLink, order: Order) -> bool:
    allowance = Allowance.objects.filter(link=link).first()
    if allowance is None:
        return False
    excluded = set(allowance.excluded_categories.values_list("pk", flat=True))
    if excluded and order.lines.filter(product__category__in=excluded).exists():
        return False
    return allowance_spent(link) + order.total_base <= allowance.monthly_limit


def set_allowance(*, link: FamilyLink, payer, monthly_limit: Decimal | None, excluded=()) -> Allowance | None:
    """Set (or with no limit, remove) the allowance on an active link the payer pays on."""
    if link.payer_id != payer.pk or link.status != FamilyLink.Status.ACTIVE:
        raise FamilyError(_("Only the payer of an active family link can set an allowance."))
    with transaction.atomic():
        if monthly_limit is None:
            Allowance.objects.filter(link=link).delete()
            _event(link, FamilyEvent.Kind.ALLOWANCE_SET, actor=payer, data={"note": "allowance_removed"})
            return None
        allowance, _created = Allowance.objects.update_or_create(link=link,
                                                                 defaults={"monthly_limit": monthly_limit})
        allowance.excluded_categories.set(excluded)
        excluded_ids = sorted(allowance.excluded_categories.values_list("pk", flat=True))
        _event(link, FamilyEvent.Kind.ALLOWANCE_SET, actor=payer, data={
            "note": "allowance", "amount": str(monthly_limit), "currency": BASE_CURRENCY, "excluded": excluded_ids})
    return allowance


def expire_if_due(pay_request: PayRequest) -> PayRequest:
    """The check on read: a pending request past its time is expired now, before anyone sees or acts on it."""
    if pay_request.status == PayRequest.Status.PENDING and pay_request.expires_at <= timezone.now():
        with transaction.atomic():
            locked = PayRequest.objects.select_for_update().get(pk=pay_request.pk)
            if locked.status == PayRequest.Status.PENDING and locked.expires_at <= timezone.now():
                _expire_locked(locked)
        pay_request.refresh_from_db()
    return pay_request


def expire_due() -> int:
    """Expire every pending request past its 48 hours; returns how many were expired."""
    count = 0
    for pay_request in PayRequest.objects.due().order_by("pk"):
        if expire_if_due(pay_request).status == PayRequest.Status.EXPIRED:
            count += 1
    return count


def _expire_locked(pay_request: PayRequest) -> None:
    _close(pay_request, PayRequest.Status.EXPIRED, FamilyEvent.Kind.EXPIRED, actor=None,
           detail=_("Nobody answered within 48 hours."), notify_user=pay_request.beneficiary,
           data={"note": "expired"})


def _close(pay_request: PayRequest, status: str, kind: str, *, actor, detail: str = "", answer: str = "",
           notify_user=None, base_url: str = "", data: dict | None = None) -> bool:
    """End a pending request without payment: the held order is cancelled and its stock released.

    Call inside a transaction with the request row locked. Refuses (returns False) once a payment for the
    order has started, so an expiry or a decline can never pull stock from under a charge in flight."""
    transition = "expire" if status == PayRequest.Status.EXPIRED else "cancel"
    source = (OrderEvent.Source.SYSTEM if actor is None else OrderEvent.Source.PAYER
              if actor.pk == pay_request.payer_id else OrderEvent.Source.SHOPPER)
    _order, claimed = lifecycle.try_move(pay_request.order, transition, actor=actor, source=source,
                                         note=answer or detail,
                                         only_from=frozenset({Order.Status.AWAITING_FAMILY}))
    if not claimed:
        return False
    pay_request.status = status
    pay_request.answer = answer[:250]
    pay_request.decided_at = timezone.now()
    pay_request.save(update_fields=["status", "answer", "decided_at"])
    if answer or not data:
        _event(pay_request.link, kind, actor=actor, pay_request=pay_request, detail=answer or detail)
    else:  # the shop's own words: stored as data, shown in the reader's language
        _event(pay_request.link, kind, actor=actor, pay_request=pay_request, data=data)
    if notify_user is not None:
        emails.notify("decided", to=notify_user.email or "", pay_request=pay_request, base_url=base_url)
    return True


def _locked_pending(pay_request: PayRequest) -> PayRequest:
    return PayRequest.objects.select_for_update().select_related("link", "order").get(pk=pay_request.pk)


def decline(*, pay_request: PayRequest, payer, message: str = "", base_url: str = "") -> PayRequest:
    return _end_unpaid(pay_request, actor=payer, owner="payer", status=PayRequest.Status.DECLINED,
                       kind=FamilyEvent.Kind.DECLINED, notify="beneficiary", answer=message, base_url=base_url,
                       refused=_("Only the family member asked can answer this request."))


def cancel(*, pay_request: PayRequest, beneficiary, base_url: str = "") -> PayRequest:
    return _end_unpaid(pay_request, actor=beneficiary, owner="beneficiary", status=PayRequest.Status.CANCELLED,
                       kind=FamilyEvent.Kind.CANCELLED, notify="payer", base_url=base_url,
                       refused=_("Only the person who asked can cancel this request."))


def _end_unpaid(pay_request: PayRequest, *, actor, owner: str, status: str, kind: str, notify: str, refused: str,
                answer: str = "", base_url: str = "") -> PayRequest:
    """Decline (the payer) or cancel (the asker) a pending request: only `owner` may, doing it again changes
    nothing, and a request answered otherwise in the meantime is refused."""
    expire_if_due(pay_request)
    with transaction.atomic():
        locked = _locked_pending(pay_request)
        if getattr(locked, f"{owner}_id") != actor.pk:
            raise FamilyError(refused)
        if locked.status == status:
            return locked
        if locked.status != PayRequest.Status.PENDING or not _close(
                locked, status, kind, actor=actor, answer=answer, notify_user=getattr(locked, notify),
                base_url=base_url):
            raise FamilyError(_("This request has already been answered (%(status)s).")
                              % {"status": locked.get_status_display().lower()})
    return locked


def approve(*, pay_request: PayRequest, payer, method, base_url: str = "",
            via_allowance: bool = False) -> PayRequest:
    """Charge the payer's own saved card for the held order. Safe to repeat: one charge per order."""
    expire_if_due(pay_request)
    if method.user_id != payer.pk:
        raise FamilyError(_("Choose one of your own saved cards."))
    with transaction.atomic():
        locked = _locked_pending(pay_request)
        if locked.payer_id != payer.pk:
            raise FamilyError(_("Only the family member asked can answer this request."))
        if locked.status == PayRequest.Status.APPROVED:
            return locked
        if locked.status != PayRequest.Status.PENDING:
            raise FamilyError(_("This request can no longer be approved (%(status)s).")
                              % {"status": locked.get_status_display().lower()})
        lifecycle.try_move(locked.order, "start_payment", actor=payer, source=OrderEvent.Source.PAYER,
                           payment_method_label=_("%(card)s of %(name)s") % {"card": method.label,
                                                                              "name": display_name(payer)})
    order = Order.objects.get(pk=locked.order_id)
    if order.status == Order.Status.PENDING_PAYMENT:
        order = payments.collect(order, method.token)  # outside the transaction; keyed by the order
    return _settle(pay_request, order, actor=None if via_allowance else payer, via_allowance=via_allowance,
                   base_url=base_url)


def settle_on_read(pay_request: PayRequest) -> PayRequest:
    """The check on read for a payment left 'not yet known' (gateway timeout): ask the gateway again and
    finish the request either way."""
    if pay_request.status != PayRequest.Status.PENDING:
        return pay_request
    order = Order.objects.get(pk=pay_request.order_id)
    if order.status == Order.Status.AWAITING_FAMILY:
        return pay_request
    if order.status == Order.Status.PENDING_PAYMENT:
        order = reconciler.settle_if_due(order)
    return _settle(pay_request, order, actor=None, via_allowance=pay_request.by_allowance)


def follow_order(order: Order) -> PayRequest | None:
    """The reconciler settled a family order's payment in the background: the request records how it ended."""
    pay_request = PayRequest.objects.filter(order_id=order.pk, status=PayRequest.Status.PENDING).first()
    if pay_request is None:
        return None
    return _settle(pay_request, order, actor=None, via_allowance=pay_request.by_allowance)


def _settle(pay_request: PayRequest, order: Order, *, actor, via_allowance: bool,
            base_url: str = "") -> PayRequest:
    """Record the outcome of the payer's charge on the request: approved, or cancelled when it failed."""
    with transaction.atomic():
        locked = _locked_pending(pay_request)
        if locked.status == PayRequest.Status.PENDING:
            if order.is_paid:
                locked.status = PayRequest.Status.APPROVED
                locked.decided_at = timezone.now()
                locked.save(update_fields=["status", "decided_at"])
                kind = FamilyEvent.Kind.ALLOWANCE if via_allowance else FamilyEvent.Kind.APPROVED
                _event(locked.link, kind, actor=actor, pay_request=locked)
                emails.notify("decided", to=locked.beneficiary.email or "", pay_request=locked,
                              base_url=base_url)
            elif order.status in lifecycle.UNPAID_ENDS:  # stock already released by the lifecycle
                locked.status = PayRequest.Status.CANCELLED
                locked.answer = order.failure_message[:250]
                locked.decided_at = timezone.now()
                locked.save(update_fields=["status", "answer", "decided_at"])
                _event(locked.link, FamilyEvent.Kind.PAYMENT_FAILED, actor=actor, pay_request=locked,
                       detail=order.failure_message)
                emails.notify("decided", to=locked.beneficiary.email or "", pay_request=locked,
                              base_url=base_url)
    return locked


# --- after payment ---------------------------------------------------------------------------------------

def order_cancelled(order: Order, *, refunded: bool, by=None) -> PayRequest | None:
    """A family-paid order was cancelled (the 30-minute window): the request says so, and the audit log both
    sides read records it. Called again after a refund that had failed goes through; idempotent."""
    pay_request = PayRequest.objects.filter(order_id=order.pk).first()
    if pay_request is None:
        return None
    with transaction.atomic():
        locked = _locked_pending(pay_request)
        if locked.status == PayRequest.Status.APPROVED:
            new_status = PayRequest.Status.REFUNDED if refunded else PayRequest.Status.CANCELLED
            kind = FamilyEvent.Kind.REFUNDED if refunded else FamilyEvent.Kind.ORDER_CANCELLED
        elif locked.status == PayRequest.Status.CANCELLED and refunded and locked.events.filter(
                kind=FamilyEvent.Kind.ORDER_CANCELLED).exists():
            new_status, kind = PayRequest.Status.REFUNDED, FamilyEvent.Kind.REFUNDED  # the retried refund
        else:
            return locked
        locked.status = new_status
        locked.decided_at = locked.decided_at or timezone.now()
        locked.save(update_fields=["status", "decided_at"])
        amount = f"{order.total} {order.currency}"
        _event(locked.link, kind, actor=by, pay_request=locked, data={
            "note": "refunded" if refunded else "refund_pending", "amount": str(order.total),
            "currency": order.currency, "name": display_name(locked.payer)})
        emails.notify("refunded", to=locked.payer.email or "", pay_request=locked, refunded=refunded,
                      beneficiary_name=display_name(locked.beneficiary), amount=amount)
    return locked
