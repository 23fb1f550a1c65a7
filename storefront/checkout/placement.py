"""Placing an order: stock is reserved atomically and an idempotency key makes placement happen at most once.

Row locks are taken in primary-key order so two checkouts sharing products can never deadlock. No payment call
happens in here: `payments.collect` runs after the transaction commits.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from storefront.catalog import version
from storefront.catalog.models import Product
from storefront.markets import rates
from storefront.markets.money import BASE_CURRENCY
from storefront.markets.pricing import totals_for

from . import lifecycle
from .models import Order, OrderLine
from .stock import lock_products, quantities


class PlacementError(Exception):
    """The order could not be placed; the message is safe to show the shopper."""


class SoldOut(PlacementError):
    def __init__(self, message: str, products: list[Product]) -> None:
        super().__init__(message)
        self.products = products


@dataclass(frozen=True)
class WantedLine:
    product_id: int
    quantity: int


def place_order(
    *,
    user,
    lines: list[WantedLine],
    address: dict,
    idempotency_key: str,
    payment_method_label: str = "",
    awaiting_family: bool = False,
    currency: str = BASE_CURRENCY,
) -> tuple[Order, bool]:
    """Reserve stock and create the order once per key (waiting for payment, or with `awaiting_family` for a
    family member's answer). Returns (order, created_now).

    Amounts are in `currency` at its current rate (copied onto the order: a later rate never changes it),
    with the rounding rule of pricing.totals_for; a currency without a rate falls back to the base currency.
    Shipping, duty, import tax and the delivery estimate follow the address's country (the destination).
    """
    if not lines:
        raise PlacementError(_("Your cart is empty."))
    if any(line.quantity < 1 for line in lines):
        raise PlacementError(_("Choose a quantity of at least 1."))
    existing = _existing(user, idempotency_key)
    if existing is not None:
        return existing, False
    wanted = quantities(lines)  # the same product on two lines must not oversell
    try:
        with transaction.atomic():
            products = lock_products(list(wanted))
            # A request with the same key may have placed the order while this one waited for the locks.
            existing = _existing(user, idempotency_key)
            if existing is not None:
                return existing, False
            short = [
                products.get(pid)
                for pid, quantity in wanted.items()
                if pid not in products or not products[pid].is_active or products[pid].stock < quantity
            ]
            if short:
                names = ", ".join(p.display_name for p in short if p is not None) or _("an item")
                raise SoldOut(
                    _("Sorry, %(names)s sold out before your order was placed. You have not been charged.")
                    % {"names": names},
                    [p for p in short if p is not None],
                )
            for line in sorted(lines, key=lambda ln: ln.product_id):
                Product.objects.filter(pk=line.product_id).update(stock=F("stock") - line.quantity)
            version.bump()  # update() sends no signal; listings and product pages show the stock
            market = rates.for_order(currency)
            totals = totals_for(
                [
                    (products[ln.product_id].price, ln.quantity, products[ln.product_id].category_id)
                    for ln in lines
                ],
                market.currency,
                market.rate,
                address.get("country"),
            )
            order = lifecycle.open_order(
                awaiting_family=awaiting_family,
                actor=user,
                user=user,
                idempotency_key=idempotency_key,
                currency=totals.currency,
                exchange_rate=totals.exchange_rate,
                subtotal=totals.subtotal,
                shipping=totals.shipping,
                duties=totals.duties,
                taxes=totals.taxes,
                total=totals.total,
                total_base=totals.total_base,
                destination=totals.destination,
                delivery_min_days=totals.delivery_min_days,
                delivery_max_days=totals.delivery_max_days,
                shipping_address=address,
                payment_method_label=payment_method_label,
            )
            OrderLine.objects.bulk_create(
                [  # the quote's own line amounts: what the shopper was shown
                    OrderLine(
                        order=order,
                        product=products[ln.product_id],
                        product_name=products[ln.product_id].display_name,
                        unit_price=amount.unit_price,
                        quantity=amount.quantity,
                        line_total=amount.line_total,
                        duty=amount.duty,
                    )
                    for ln, amount in zip(lines, totals.lines, strict=True)
                ]
            )
    except IntegrityError:
        # Another request with the same key won the race; its order is the order.
        winner = Order.objects.filter(idempotency_key=idempotency_key, user=user).first()
        if winner is None:
            raise
        order = winner
        return order, False
    return order, True


def _existing(user, idempotency_key: str) -> Order | None:
    existing = Order.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None and existing.user_id != user.pk:
        raise PlacementError(_("This checkout has expired. Please start again."))
    return existing
