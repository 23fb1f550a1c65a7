"""One-click buying: readiness (default address + default saved card), placing and paying in one step, and the
30-minute window in which such an order can be cancelled (reversible purchases, WCAG 3.3.4).

Every rule here goes through `placement` (atomic stock reservation, one order per idempotency key) and
`payments` (gateway calls outside transactions, one charge per order). The clock is
`django.utils.timezone.now`, looked up at call time, so tests can move it.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.dispatch import Signal
from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from storefront.accounts import services as accounts
from storefront.accounts.models import Address, SavedPaymentMethod
from storefront.cart.services import MAX_QUANTITY_PER_LINE
from storefront.catalog.models import Product
from storefront.markets.money import BASE_CURRENCY
from storefront.markets.pricing import Totals, totals_for_request

from . import lifecycle, payments, placement
from .gateways.base import PaymentError
from .models import Order, OrderEvent, Payment

log = logging.getLogger(__name__)

CANCEL_WINDOW = timedelta(minutes=30)
REPEAT_WINDOW = CANCEL_WINDOW  # the same items again within this time: ask before placing a second order
KEY_PREFIX = "oneclick-"
DELIVERY_WORKING_DAYS = (2, 4)
CANCELLABLE = {Order.Status.PAID}  # not while a payment is still being confirmed: it could land later

# Sent after a cancellation within the window, with `order`, `refunded` (the refund went through) and `by`
# (who cancelled, or None). Family payment listens, so a request paid by a family member says it was refunded.
order_cancelled = Signal()


class NotReady(placement.PlacementError):
    """The shopper has no default address or no saved card to pay with."""


class LikelyRepeat(placement.PlacementError):
    """The same items were bought moments ago; the shopper confirms before a second order is placed."""

    def __init__(self, order: Order) -> None:
        super().__init__(f"order {order.number} has the same items")  # never shown: the view asks instead
        self.order = order


class BadQuantity(placement.PlacementError):
    """The quantity in the box beside "Buy now" cannot be bought; the message says what can."""


class CancelRefused(Exception):
    """The order can no longer be cancelled; the message is safe to show the shopper."""


@dataclass(frozen=True)
class Readiness:
    address: Address | None
    method: SavedPaymentMethod | None

    @property
    def ready(self) -> bool:
        return self.address is not None and self.method is not None


def new_key() -> str:
    """A fresh idempotency key, made when the page with the button renders."""
    return f"{KEY_PREFIX}{uuid.uuid4().hex}"


def readiness(user, *, need_both: bool = False) -> Readiness:
    """The default address and card. With need_both (pages that only offer the button), no address means not
    ready, so the card is not looked up."""
    address = accounts.default_address(user)
    if address is None and need_both:
        return Readiness(None, None)
    return Readiness(address, accounts.default_card(user))


def buy_now_page(request: HttpRequest, product: Product) -> dict:
    """The product page's one-click part (registered in catalog.product_extras): `buy_now_totals`, what one unit
    bought now costs in the shopper's currency, delivered to the default address with its duty and tax: the
    amount the button promises and `buy` charges. Lazy: computed only when the page shows the button."""

    def totals() -> Totals:
        ready = readiness_for(request)
        destination = ready.address.country if ready.address is not None else None
        return totals_for_request(request, [(product.price, 1, product.category_id)], destination)

    return {"buy_now_totals": SimpleLazyObject(totals)}


def readiness_for(request: HttpRequest) -> Readiness:
    """`readiness(need_both=True)` for the request's user, looked up once per request (pages ask it twice)."""
    cached = getattr(request, "_oneclick_readiness", None)
    if cached is None:
        cached = request._oneclick_readiness = readiness(getattr(request, "user", None), need_both=True)  # type: ignore[attr-defined]
    return cached


def buy_now_lines(product: Product, quantity: int | None) -> list[placement.WantedLine]:
    """The one line "Buy now" places: the quantity in the box beside the button (issue 17: it always bought 1),
    within the cart's own limits; 1 when the form carries no quantity (a page from before it did).

    Raises BadQuantity (nothing reserved or charged) for less than 1, more than one line may hold, or more than
    is in stock now; placement still checks the stock under its lock, for a race with another shopper."""
    if quantity is None:
        quantity = 1
    if quantity < 1:
        raise BadQuantity(_("Choose a quantity of at least 1."))
    if quantity > MAX_QUANTITY_PER_LINE:
        raise BadQuantity(_("You can buy at most %(max)d of one item.") % {"max": MAX_QUANTITY_PER_LINE})
    if 0 < product.stock < quantity:
        raise BadQuantity(
            ngettext(
                "Only %(count)d of %(name)s is left. Nothing was ordered: choose %(count)d or fewer.",
                "Only %(count)d of %(name)s are left. Nothing was ordered: choose %(count)d or fewer.",
                product.stock,
            )
            % {"count": product.stock, "name": product.display_name}
        )
    return [placement.WantedLine(product.pk, quantity)]


def reorder_lines(order: Order) -> list[placement.WantedLine]:
    """The lines of a past order that can be bought again (products still in the catalogue)."""
    wanted = placement.quantities(line for line in order.lines.all() if line.product_id is not None)
    return [placement.WantedLine(pid, qty) for pid, qty in wanted.items()]


def buy(
    *,
    user,
    lines: list[placement.WantedLine],
    idempotency_key: str,
    confirmed_repeat: bool = False,
    currency: str = BASE_CURRENCY,
) -> Order:
    """Place and pay for `lines` with the shopper's defaults, at most once per key, in `currency` (the display
    currency the button showed) and with the landed cost of the default address's country.

    Raises NotReady, LikelyRepeat (the same items were just bought with another key: a second tab, say; ask
    first), SoldOut or PlacementError: in each case nothing is reserved or charged. A declined or timed-out
    payment returns the order as PAYMENT_FAILED with its stock already released.
    """
    ready = readiness(user)
    order = Order.objects.filter(idempotency_key=idempotency_key, user=user).first()
    if order is None:
        if not ready.ready:
            raise NotReady(_("Set up a default delivery address and a saved card to buy with one click."))
        assert ready.address is not None and ready.method is not None  # what ready.ready checked
        with transaction.atomic():
            # One one-click placement at a time per shopper, so two tabs cannot both miss each other's order.
            list(get_user_model().objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True))
            order = Order.objects.filter(idempotency_key=idempotency_key, user=user).first()
            if order is None:
                recent = None if confirmed_repeat else recent_same_order(user, lines)
                if recent is not None:
                    raise LikelyRepeat(recent)
                order, _created = placement.place_order(
                    user=user,
                    lines=lines,
                    address=ready.address.as_snapshot(),
                    idempotency_key=idempotency_key,
                    payment_method_label=ready.method.label,
                    currency=currency,
                )
    if order.status == Order.Status.PENDING_PAYMENT and ready.method is not None:
        # Also for a second request with the same key (double click, refresh): the gateway sees the same
        # charge key, so this waits for or replays the first answer and never charges twice.
        order = payments.collect(order, ready.method.token)
    return order


def recent_same_order(user, lines: list[placement.WantedLine]) -> Order | None:
    """A paid (or being paid) order for exactly these items placed in the last REPEAT_WINDOW, if any."""
    wanted = placement.quantities(lines)
    candidates = Order.objects.filter(
        user=user,
        placed_at__gte=timezone.now() - REPEAT_WINDOW,
        status__in=[Order.Status.PAID, Order.Status.PENDING_PAYMENT],
    ).prefetch_related("lines")
    for order in candidates:
        if placement.quantities(order.lines.all()) == wanted:
            return order
    return None


# --- after placement -------------------------------------------------------------------------------------


def cancel_deadline(order: Order) -> datetime:
    return order.placed_at + CANCEL_WINDOW


def can_cancel(order: Order) -> bool:
    return order.status in CANCELLABLE and timezone.now() < cancel_deadline(order)


def cancel(*, order: Order, by=None) -> Order:
    """Cancel within the window: stock goes back on the shelf and the charge is refunded through the gateway
    (to whichever card paid: a family member's card for an order they paid for).

    Idempotent: cancelling a cancelled order retries only a refund that has not gone through yet.
    """
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        if locked.status == Order.Status.CANCELLED:
            pass  # an earlier request won; finish its refund below if it did not
        else:
            check_cancellable(locked)
            locked = lifecycle.cancel(locked, actor=by, source=_source(locked, by), only_from=CANCELLABLE)
    _refund(locked)
    locked.refresh_from_db()
    order_cancelled.send(sender=Order, order=locked, refunded=not refund_pending(locked), by=by)
    return locked


def check_cancellable(order: Order) -> None:
    """Raise CancelRefused, saying why, unless `order` (not yet cancelled) can be cancelled now."""
    if order.status not in CANCELLABLE:
        raise CancelRefused(
            _("This order can no longer be cancelled here because it is %(status)s.")
            % {"status": order.get_status_display().lower()}
        )
    if timezone.now() >= cancel_deadline(order):
        raise CancelRefused(
            _(
                "It is too late to cancel this order: the 30 minutes to cancel ended at "
                "%(time)s. You can return it once it has been delivered."
            )
            % {"time": describe_time(cancel_deadline(order))}
        )


def _source(order: Order, by) -> str:
    if by is None:
        return OrderEvent.Source.SYSTEM
    return OrderEvent.Source.SHOPPER if by.pk == order.user_id else OrderEvent.Source.PAYER


def _refund(order: Order) -> None:
    try:
        payments.refund(order, reason="cancel")
    except PaymentError as exc:
        # The cancellation stands; the refund is retried on the next cancel request or by staff.
        log.error("Refund for cancelled order %s failed: %s", order.number, exc)


def refund_pending(order: Order) -> bool:
    """A cancelled order whose successful charge has no successful refund yet."""
    charged = order.payments.filter(kind=Payment.Kind.CHARGE, status=Payment.Status.SUCCEEDED).exists()
    refunded = order.payments.filter(kind=Payment.Kind.REFUND, status=Payment.Status.SUCCEEDED).exists()
    return order.status == Order.Status.CANCELLED and charged and not refunded


def describe_time(moment: datetime) -> str:
    """'December 3, 2026, 1:20 PM EST': a moment written the shop's one way (markets/timezones.py), in the shopper's
    language and time zone."""
    from storefront.markets.timezones import format_when

    return format_when(moment, "datetime")


def delivery_estimate(
    placed_at: datetime, days: tuple[int, int] = DELIVERY_WORKING_DAYS
) -> tuple[date, date]:
    """Earliest and latest delivery dates, counting `days` working days (Monday to Friday) after placement."""
    first, last = days
    return _add_working_days(timezone.localdate(placed_at), first), _add_working_days(
        timezone.localdate(placed_at), last
    )


def _add_working_days(start: date, days: int) -> date:
    current = start
    while days:
        current += timedelta(days=1)
        if current.weekday() < 5:
            days -= 1
    return current
