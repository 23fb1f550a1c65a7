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
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, cast

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from storefront.accounts.services import default_card
from storefront.checkout import lifecycle, payments, placement, reconciler
from storefront.checkout.models import Order, OrderEvent
from storefront.checkout.oneclick import CANCEL_WINDOW
from storefront.checkout.said import Said
from storefront.markets.money import BASE_CURRENCY

from . import emails

if TYPE_CHECKING:
    from storefront.accounts.models import User

from .models import (
    Allowance,
    FamilyEvent,
    FamilyLink,
    HelpBasket,
    HelpBasketLine,
    PayRequest,
    Relation,
    new_share_code,
    shown_name,
)


class FamilyError(Exception):
    """A family action that was refused; the message is safe to show."""


def display_name(user) -> str:
    """The name the shop shows for a person (their chosen display name); see FamilyLink.name_of for the name
    the other side gave them ("Mum (Soon-ja)")."""
    return shown_name(user) if user else ""


def _event(
    link: FamilyLink,
    kind: str,
    *,
    actor=None,
    pay_request: PayRequest | None = None,
    basket: HelpBasket | None = None,
    detail: str = "",
    data: dict | None = None,
) -> FamilyEvent:
    """`detail` is what a person wrote; what the shop records goes in `data` (family/history.py renders it)."""
    return FamilyEvent.objects.create(
        link=link,
        kind=kind,
        actor=actor,
        pay_request=pay_request,
        basket=basket,
        detail=detail[:250],
        data=data or {},
    )


def _relation(value: str) -> str:
    return value if value in Relation.values else ""


# --- links -----------------------------------------------------------------------------------------------


def _new_share_code() -> str:
    for _attempt in range(10):
        code = new_share_code()
        if not FamilyLink.objects.filter(share_code=code).exists():
            return code
    raise FamilyError(_("Something went wrong. Please try again."))


def create_invite(*, payer, email: str = "", base_url: str = "", relation: str = "") -> FamilyLink:
    """The payer offers to pay; `relation` is what the person invited is to them ("mother")."""
    with transaction.atomic():
        link = FamilyLink.objects.create(
            payer=payer,
            invite_email=email,
            share_code=_new_share_code(),
            beneficiary_relation=_relation(relation),
        )
        _event(link, FamilyEvent.Kind.INVITED, actor=payer, detail=email)
        emails.notify("invite", to=email, base_url=base_url, link=link, payer_name=display_name(payer))
    return link


def ask_for_help(*, beneficiary, relation: str = "", email: str = "", base_url: str = "") -> FamilyLink:
    """ "Ask a family member to help me": the beneficiary starts the link and shares its code or link; the
    relative who accepts becomes the payer. `relation` is what that relative is to her ("daughter")."""
    if FamilyLink.objects.active().filter(beneficiary=beneficiary).exists():
        raise FamilyError(_("Someone already pays for you. End that family link first, then ask again."))
    waiting = next(
        (
            link
            for link in FamilyLink.objects.filter(
                beneficiary=beneficiary,
                started_by=FamilyLink.Side.BENEFICIARY,
                status=FamilyLink.Status.INVITED,
            )
            if link.invite_usable()
        ),
        None,
    )
    if waiting is not None and not email:  # a second press: the code she already has still works
        return waiting
    with transaction.atomic():
        link = FamilyLink.objects.create(
            beneficiary=beneficiary,
            payer=None,
            started_by=FamilyLink.Side.BENEFICIARY,
            invite_email=email,
            share_code=_new_share_code(),
            payer_relation=_relation(relation),
        )
        _event(link, FamilyEvent.Kind.INVITED, actor=beneficiary, detail=email)
        emails.notify(
            "help_invite", to=email, base_url=base_url, link=link, beneficiary_name=display_name(beneficiary)
        )
    return link


def link_for_share_code(code: str) -> FamilyLink | None:
    """The invitation a typed share code names ("k7pm 4qxd" reads as "K7PM-4QXD"), or None."""
    raw = "".join(ch for ch in (code or "").upper() if ch.isalnum())
    if len(raw) != 8:
        return None
    return FamilyLink.objects.filter(share_code=f"{raw[:4]}-{raw[4:]}").first()


def invite_problem(link: FamilyLink | None, user) -> str:
    """Why this user cannot accept this invitation, or '' if they can."""
    if link is None or link.status == FamilyLink.Status.ENDED:
        return _("This invitation link is not valid. Ask for a new one.")
    if link.status != FamilyLink.Status.INVITED:
        return _("This invitation has already been used. Each link works once; ask for a new one.")
    if timezone.now() >= link.invite_expires_at:
        return _("This invitation has expired: links work for 7 days. Ask for a new one.")
    if link.started_by == FamilyLink.Side.BENEFICIARY:
        if link.beneficiary_id == user.pk:
            return _(
                "This is your own request for help. Send the link or the code to the family member who "
                "will help you."
            )
        if FamilyLink.objects.active().filter(beneficiary_id=link.beneficiary_id).exists():
            return _("Someone already pays for this person. They need to end that family link first.")
        return ""
    if link.payer_id == user.pk:
        return _("This is your own invitation. Send the link to the person you want to pay for.")
    if FamilyLink.objects.active().filter(beneficiary=user).exists():
        return _("Someone already pays for you. End that family link first, then accept this one.")
    return ""


def accept(*, code: str, by, relation: str = "") -> FamilyLink:
    """Accept an invitation from either side: `by` becomes the payer of a request for help, or the
    beneficiary of an offer to pay; `relation` is what the other person is to them."""
    try:
        with transaction.atomic():
            link = FamilyLink.objects.select_for_update().filter(invite_code=code).first()
            problem = invite_problem(link, by)
            if problem:
                raise FamilyError(problem)
            assert link is not None  # invite_problem refuses a missing invitation
            fields = ["status", "accepted_at"]
            if link.started_by == FamilyLink.Side.BENEFICIARY:
                link.payer = by
                fields.append("payer")
                if _relation(relation):
                    link.beneficiary_relation = relation
                    fields.append("beneficiary_relation")
            else:
                link.beneficiary = by
                fields.append("beneficiary")
                if _relation(relation):
                    link.payer_relation = relation
                    fields.append("payer_relation")
            link.status = FamilyLink.Status.ACTIVE
            link.accepted_at = timezone.now()
            link.save(update_fields=fields)
            _event(link, FamilyEvent.Kind.ACCEPTED, actor=by)
            starter = link.starter
            emails.notify("accepted", to=starter, link=link)
    except IntegrityError as exc:  # a second invitation accepted at the same moment
        raise FamilyError(
            _("Someone already pays for you. End that family link first, then accept this one.")
        ) from exc
    return link


def accept_invite(*, code: str, beneficiary, relation: str = "") -> FamilyLink:
    """Accept an offer to pay (the payer invited `beneficiary`)."""
    return accept(code=code, by=beneficiary, relation=relation)


def set_relation(*, link: FamilyLink, by, relation: str) -> FamilyLink:
    """Either side names what the other is to them ("Mum"); empty: just their name."""
    relation = _relation(relation)
    with transaction.atomic():
        link = FamilyLink.objects.select_for_update().get(pk=link.pk)
        if by.pk == link.payer_id:
            link.beneficiary_relation = relation
            link.save(update_fields=["beneficiary_relation"])
        elif by.pk == link.beneficiary_id:
            link.payer_relation = relation
            link.save(update_fields=["payer_relation"])
        else:
            raise FamilyError(_("This family link is not yours."))
        _event(link, FamilyEvent.Kind.RELATION_SET, actor=by)
    return link


def end_link(*, link: FamilyLink, by) -> FamilyLink:
    """Either side ends the link at once; pending requests on it are cancelled and their stock released, and
    baskets waiting for confirmation are withdrawn."""
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
            _close(
                pay_request,
                PayRequest.Status.CANCELLED,
                FamilyEvent.Kind.CANCELLED,
                actor=by,
                said=Said(gettext_noop("The family link was ended.")),
                notify_user=None,
                data={"note": "link_ended"},
            )
        HelpBasket.objects.filter(link=link, status=HelpBasket.Status.OFFERED).update(
            status=HelpBasket.Status.WITHDRAWN, decided_at=timezone.now()
        )
        if was_active:
            other = link.other_side(by)
            emails.notify("ended", to=other, link=link, ended_by=by)
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


def ask_to_pay(
    *,
    beneficiary,
    lines: list[placement.WantedLine],
    address: dict,
    note: str = "",
    base_url: str = "",
    idempotency_key: str = "",
    currency: str = BASE_CURRENCY,
) -> tuple[PayRequest, bool]:
    """Hold the items (stock reserved) and ask the linked payer. Asking again for the same items while the
    first ask is pending returns that ask, and so does a repeat with the same `idempotency_key` (a double
    click on a product page's or checkout's button). Raises FamilyError, or placement's
    SoldOut/PlacementError.
    Every way of asking (the family page's cart, the product page, checkout) comes through here."""
    if idempotency_key:
        earlier = PayRequest.objects.filter(
            beneficiary=beneficiary, order__idempotency_key=idempotency_key
        ).first()
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
            earlier = PayRequest.objects.filter(
                beneficiary=beneficiary, order__idempotency_key=idempotency_key
            ).first()
            if earlier is not None:
                return earlier, False
        for due in PayRequest.objects.due().filter(link=link):
            _expire_locked(due)
        existing = (
            PayRequest.objects.pending().filter(beneficiary=beneficiary, cart_signature=signature).first()
        )
        if existing is not None:
            _event(link, FamilyEvent.Kind.MERGED, actor=beneficiary, pay_request=existing)
            return existing, False
        order, _created = placement.place_order(
            user=beneficiary,
            lines=lines,
            address=address,
            idempotency_key=idempotency_key or f"family-{uuid.uuid4().hex}",
            awaiting_family=True,
            currency=currency,
            payment_method_label=_("Paid by %(name)s") % {"name": display_name(link.payer)},
        )
        card = default_card(link.payer)
        by_allowance = card is not None and allowance_covers(link, order)
        pay_request = PayRequest.objects.create(
            link=link,
            payer=cast("User", link.payer),  # an active link has both sides
            beneficiary=beneficiary,
            order=order,
            cart_signature=signature,
            note=note[:250],
            by_allowance=by_allowance,
        )
        _event(link, FamilyEvent.Kind.REQUESTED, actor=beneficiary, pay_request=pay_request)
        if not by_allowance:
            emails.notify("requested", to=link.payer, base_url=base_url, pay_request=pay_request, link=link)
    if by_allowance:  # counted against the month from here on; charged outside the transaction
        pay_request = approve(
            pay_request=pay_request, payer=link.payer, method=card, base_url=base_url, via_allowance=True
        )
        emails.notify("allowance_used", to=link.payer, base_url=base_url, pay_request=pay_request, link=link)
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
        link=link,
        by_allowance=True,
        created_at__gte=month_start(),
        status__in=[PayRequest.Status.PENDING, PayRequest.Status.APPROVED],
    ).values_list("order__total_base", flat=True)
    return sum(rows, Decimal("0.00"))


def allowance_covers(link: FamilyLink, order: Order) -> bool:
    allowance = Allowance.objects.filter(link=link).first()
    if allowance is None:
        return False
    excluded = set(allowance.excluded_categories.values_list("pk", flat=True))
    if excluded and order.lines.filter(product__category__in=excluded).exists():
        return False
    return allowance_spent(link) + order.total_base <= allowance.monthly_limit


@dataclass(frozen=True)
class Outlook:
    """What the beneficiary is told before asking: the allowance, what is left this month, and whether an
    order of `amount` would be paid at once (`pays_now`) or sent to the payer to answer."""

    limit: Decimal | None
    spent: Decimal
    pays_now: bool
    reason: str = ""  # why not at once: "no_allowance", "over", "excluded", "no_card"

    @property
    def left(self) -> Decimal | None:
        return None if self.limit is None else max(self.limit - self.spent, Decimal("0.00"))


def allowance_outlook(
    link: FamilyLink, amount_base: Decimal | None = None, category_ids: Iterable[int] = ()
) -> Outlook:
    """The same rule `ask_to_pay` applies (allowance_covers, and a default card to charge), asked in advance."""
    allowance = Allowance.objects.filter(link=link).first()
    if allowance is None:
        return Outlook(None, Decimal("0.00"), False, "no_allowance")
    spent = allowance_spent(link)
    if amount_base is None:
        return Outlook(allowance.monthly_limit, spent, False, "")
    excluded = set(allowance.excluded_categories.values_list("pk", flat=True))
    if excluded & set(category_ids):
        return Outlook(allowance.monthly_limit, spent, False, "excluded")
    if spent + amount_base > allowance.monthly_limit:
        return Outlook(allowance.monthly_limit, spent, False, "over")
    if not cast("User", link.payer).payment_methods.filter(is_default=True).exists():  # active: payer set
        return Outlook(allowance.monthly_limit, spent, False, "no_card")
    return Outlook(allowance.monthly_limit, spent, True)


def set_allowance(*, link: FamilyLink, payer, monthly_limit: Decimal | None, excluded=()) -> Allowance | None:
    """Set (or with no limit, remove) the allowance on an active link the payer pays on."""
    if link.payer_id != payer.pk or link.status != FamilyLink.Status.ACTIVE:
        raise FamilyError(_("Only the payer of an active family link can set an allowance."))
    with transaction.atomic():
        if monthly_limit is None:
            Allowance.objects.filter(link=link).delete()
            _event(link, FamilyEvent.Kind.ALLOWANCE_SET, actor=payer, data={"note": "allowance_removed"})
            return None
        allowance, _created = Allowance.objects.update_or_create(
            link=link, defaults={"monthly_limit": monthly_limit}
        )
        allowance.excluded_categories.set(excluded)
        excluded_ids = sorted(allowance.excluded_categories.values_list("pk", flat=True))
        _event(
            link,
            FamilyEvent.Kind.ALLOWANCE_SET,
            actor=payer,
            data={
                "note": "allowance",
                "amount": str(monthly_limit),
                "currency": BASE_CURRENCY,
                "excluded": excluded_ids,
            },
        )
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
    _close(
        pay_request,
        PayRequest.Status.EXPIRED,
        FamilyEvent.Kind.EXPIRED,
        actor=None,
        said=Said(gettext_noop("Nobody answered within 48 hours.")),
        notify_user=pay_request.beneficiary,
        data={"note": "expired"},
    )


def _close(
    pay_request: PayRequest,
    status: str,
    kind: str,
    *,
    actor,
    said: Said | None = None,
    answer: str = "",
    notify_user=None,
    base_url: str = "",
    data: dict | None = None,
) -> bool:
    """End a pending request without payment: the held order is cancelled and its stock released. `answer` is
    what the payer wrote (kept as written); `said` (the shop's words) and `data` are shown in the reader's
    language, on the order's timeline and in the family history.

    Call inside a transaction with the request row locked. Refuses (returns False) once a payment for the
    order has started, so an expiry or a decline can never pull stock from under a charge in flight."""
    transition = "expire" if status == PayRequest.Status.EXPIRED else "cancel"
    source = (
        OrderEvent.Source.SYSTEM
        if actor is None
        else OrderEvent.Source.PAYER
        if actor.pk == pay_request.payer_id
        else OrderEvent.Source.SHOPPER
    )
    _order, claimed = lifecycle.try_move(
        pay_request.order,
        transition,
        actor=actor,
        source=source,
        note=answer,
        data={"said": said.as_data()} if said and not answer else None,
        only_from=frozenset({Order.Status.AWAITING_FAMILY}),
    )
    if not claimed:
        return False
    pay_request.status = status
    pay_request.answer = answer[:250]
    pay_request.decided_at = timezone.now()
    pay_request.save(update_fields=["status", "answer", "decided_at"])
    if answer or not data:
        _event(pay_request.link, kind, actor=actor, pay_request=pay_request, detail=answer)
    else:  # the shop's own words: stored as data, shown in the reader's language
        _event(pay_request.link, kind, actor=actor, pay_request=pay_request, data=data)
    if notify_user is not None:
        emails.notify(
            "decided", to=notify_user, pay_request=pay_request, base_url=base_url, link=pay_request.link
        )
    return True


def _locked_pending(pay_request: PayRequest) -> PayRequest:
    return PayRequest.objects.select_for_update().select_related("link", "order").get(pk=pay_request.pk)


def decline(*, pay_request: PayRequest, payer, message: str = "", base_url: str = "") -> PayRequest:
    return _end_unpaid(
        pay_request,
        actor=payer,
        owner="payer",
        status=PayRequest.Status.DECLINED,
        kind=FamilyEvent.Kind.DECLINED,
        notify="beneficiary",
        answer=message,
        base_url=base_url,
        refused=_("Only the family member asked can answer this request."),
    )


def cancel(*, pay_request: PayRequest, beneficiary, base_url: str = "") -> PayRequest:
    return _end_unpaid(
        pay_request,
        actor=beneficiary,
        owner="beneficiary",
        status=PayRequest.Status.CANCELLED,
        kind=FamilyEvent.Kind.CANCELLED,
        notify="payer",
        base_url=base_url,
        refused=_("Only the person who asked can cancel this request."),
    )


def _end_unpaid(
    pay_request: PayRequest,
    *,
    actor,
    owner: str,
    status: str,
    kind: str,
    notify: str,
    refused: str,
    answer: str = "",
    base_url: str = "",
) -> PayRequest:
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
            locked,
            status,
            kind,
            actor=actor,
            answer=answer,
            notify_user=getattr(locked, notify),
            base_url=base_url,
        ):
            raise FamilyError(
                _("This request has already been answered (%(status)s).")
                % {"status": locked.get_status_display().lower()}
            )
    return locked


def approve(
    *, pay_request: PayRequest, payer, method, base_url: str = "", via_allowance: bool = False
) -> PayRequest:
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
            raise FamilyError(
                _("This request can no longer be approved (%(status)s).")
                % {"status": locked.get_status_display().lower()}
            )
        lifecycle.try_move(
            locked.order,
            "start_payment",
            actor=payer,
            source=OrderEvent.Source.PAYER,
            payment_method_label=_("%(card)s of %(name)s")
            % {"card": method.label, "name": display_name(payer)},
        )
    order = Order.objects.get(pk=locked.order_id)
    if order.status == Order.Status.PENDING_PAYMENT:
        order = payments.collect(order, method.token)  # outside the transaction; keyed by the order
    return _settle(
        pay_request,
        order,
        actor=None if via_allowance else payer,
        via_allowance=via_allowance,
        base_url=base_url,
    )


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


def _settle(
    pay_request: PayRequest, order: Order, *, actor, via_allowance: bool, base_url: str = ""
) -> PayRequest:
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
                emails.notify(
                    "decided", to=locked.beneficiary, pay_request=locked, base_url=base_url, link=locked.link
                )
            elif order.status in lifecycle.UNPAID_ENDS:  # stock already released by the lifecycle
                # No `answer` (that is what the payer writes): `answer_text` reads why from the order's data.
                locked.status = PayRequest.Status.CANCELLED
                locked.decided_at = timezone.now()
                locked.save(update_fields=["status", "decided_at"])
                _event(
                    locked.link,
                    FamilyEvent.Kind.PAYMENT_FAILED,
                    actor=actor,
                    pay_request=locked,
                    # The shop's words as data, read in each reader's language (older orders: as written).
                    detail="" if order.failure else order.failure_message,
                    data={"note": "said", "said": order.failure} if order.failure else None,
                )
                emails.notify(
                    "decided", to=locked.beneficiary, pay_request=locked, base_url=base_url, link=locked.link
                )
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
        elif (
            locked.status == PayRequest.Status.CANCELLED
            and refunded
            and locked.events.filter(kind=FamilyEvent.Kind.ORDER_CANCELLED).exists()
        ):
            new_status, kind = PayRequest.Status.REFUNDED, FamilyEvent.Kind.REFUNDED  # the retried refund
        else:
            return locked
        locked.status = new_status
        locked.decided_at = locked.decided_at or timezone.now()
        locked.save(update_fields=["status", "decided_at"])
        amount = f"{order.total} {order.currency}"
        _event(
            locked.link,
            kind,
            actor=by,
            pay_request=locked,
            data={
                "note": "refunded" if refunded else "refund_pending",
                "amount": str(order.total),
                "currency": order.currency,
                "name": display_name(locked.payer),
            },
        )
        emails.notify(
            "refunded",
            to=locked.payer,
            pay_request=locked,
            refunded=refunded,
            link=locked.link,
            amount=amount,
        )
    return locked


# --- help me shop ----------------------------------------------------------------------------------------


def _basket_key(basket: HelpBasket) -> str:
    return f"basket-{basket.public_id.hex}"


def prepare_basket(
    *, link: FamilyLink, payer, lines: list[placement.WantedLine], note: str = "", base_url: str = ""
) -> HelpBasket:
    """The payer prepares a basket for the beneficiary to confirm. Nothing is reserved or charged yet; the
    payer needs a default card, which pays when the allowance does not."""
    if link.payer_id != payer.pk or link.status != FamilyLink.Status.ACTIVE:
        raise FamilyError(_("Only the payer of an active family link can prepare a basket."))
    wanted = placement.quantities(lines)
    if not wanted or any(quantity < 1 for quantity in wanted.values()):
        raise FamilyError(_("Add something to your cart first: the basket is made from it."))
    if not payer.payment_methods.filter(is_default=True).exists():
        raise FamilyError(_("Add a card first: it pays for the basket when the allowance does not."))
    with transaction.atomic():
        basket = HelpBasket.objects.create(
            link=link, payer=payer, beneficiary=cast("User", link.beneficiary), note=note[:250]
        )
        HelpBasketLine.objects.bulk_create(
            [
                HelpBasketLine(basket=basket, product_id=pid, quantity=quantity)
                for pid, quantity in wanted.items()
            ]
        )
        _event(link, FamilyEvent.Kind.BASKET_PREPARED, actor=payer, basket=basket, detail=note)
        emails.notify("basket_ready", to=link.beneficiary, base_url=base_url, basket=basket, link=link)
    return basket


def withdraw_basket(*, basket: HelpBasket, payer) -> HelpBasket:
    with transaction.atomic():
        locked = HelpBasket.objects.select_for_update().get(pk=basket.pk)
        if locked.payer_id != payer.pk:
            raise FamilyError(_("Only the person who prepared this basket can withdraw it."))
        if locked.status == HelpBasket.Status.WITHDRAWN:
            return locked
        if locked.status != HelpBasket.Status.OFFERED:
            raise FamilyError(
                _(
                    "This basket has already been ordered. It can be cancelled from its order "
                    "within 30 minutes."
                )
            )
        locked.status = HelpBasket.Status.WITHDRAWN
        locked.decided_at = timezone.now()
        locked.save(update_fields=["status", "decided_at"])
        _event(locked.link, FamilyEvent.Kind.BASKET_WITHDRAWN, actor=payer, basket=locked)
    return locked


def confirm_basket(
    *, basket: HelpBasket, beneficiary, address: dict, currency: str = BASE_CURRENCY, base_url: str = ""
) -> HelpBasket:
    """One press: the order is placed for the beneficiary now (stock held at once) and paid by the allowance
    when it covers it, else by the payer's default card. Safe to repeat: one order and one charge per basket.
    The order can then be cancelled for 30 minutes, like Buy now (checkout.oneclick.cancel)."""
    with transaction.atomic():
        locked = (
            HelpBasket.objects.select_for_update(of=("self",))
            .select_related("link", "link__payer")
            .get(pk=basket.pk)
        )
        if locked.beneficiary_id != beneficiary.pk:
            raise FamilyError(_("This basket was prepared for someone else."))
        if locked.status == HelpBasket.Status.CONFIRMED:
            return locked  # a double press: the first one ordered it
        if locked.status != HelpBasket.Status.OFFERED:
            raise FamilyError(
                _("This basket is no longer waiting for you (%(status)s).")
                % {"status": locked.get_status_display().lower()}
            )
        link = locked.link
        if link.status != FamilyLink.Status.ACTIVE or link.payer_id != locked.payer_id:
            raise FamilyError(_("The family link was ended, so this basket can no longer be ordered."))
        card = default_card(link.payer)
        if card is None:
            raise FamilyError(
                _("%(name)s has no card to pay with yet. We have kept the basket; ask them to add one.")
                % {"name": link.payer_name}
            )
        lines = [placement.WantedLine(line.product_id, line.quantity) for line in locked.lines.all()]
        order, _created = placement.place_order(
            user=beneficiary,
            lines=lines,
            address=address,
            idempotency_key=_basket_key(locked),
            awaiting_family=True,
            currency=currency,
            payment_method_label=_("Paid by %(name)s") % {"name": display_name(link.payer)},
        )
        by_allowance = allowance_covers(link, order)
        pay_request = PayRequest.objects.create(
            link=link,
            payer=cast("User", link.payer),  # an active link has both sides
            beneficiary=beneficiary,
            order=order,
            cart_signature=hashlib.sha256(_basket_key(locked).encode()).hexdigest(),
            note=locked.note,
            by_allowance=by_allowance,
        )
        locked.pay_request = pay_request
        locked.status = HelpBasket.Status.CONFIRMED
        locked.decided_at = timezone.now()
        locked.save(update_fields=["pay_request", "status", "decided_at"])
        _event(
            link, FamilyEvent.Kind.BASKET_CONFIRMED, actor=beneficiary, basket=locked, pay_request=pay_request
        )
    # Charged outside the transaction, keyed by the order: a repeat never charges twice.
    pay_request = approve(
        pay_request=pay_request, payer=link.payer, method=card, base_url=base_url, via_allowance=by_allowance
    )
    if pay_request.status == PayRequest.Status.APPROVED:
        emails.notify(
            "basket_confirmed",
            to=link.payer,
            base_url=base_url,
            basket=locked,
            link=link,
            cancel_by=order.placed_at + CANCEL_WINDOW,
        )
    elif pay_request.status == PayRequest.Status.CANCELLED:  # the card was refused: stock back, say why
        HelpBasket.objects.filter(pk=locked.pk).update(status=HelpBasket.Status.FAILED)  # why: problem_text
    locked.refresh_from_db()
    return locked
