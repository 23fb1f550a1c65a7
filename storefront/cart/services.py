"""The cart's rules: which cart a request has, adding, changing and removing lines within stock limits.

The number of items is mirrored in the session so every page can show the cart count without a query.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from typing import cast

from django.db import transaction
from django.db.models import Sum
from django.http import HttpRequest
from django.utils.translation import gettext as _

from storefront.catalog.models import Product
from storefront.markets.pricing import LineAmount, Totals, totals_for_request

from .models import Cart, CartLine

SESSION_KEY = "cart_id"
COUNT_KEY = "cart_count"
MAX_QUANTITY_PER_LINE = 99


class CartError(Exception):
    """A change the cart refused; the message is safe to show the shopper."""


@dataclass(frozen=True)
class CartSummary:
    lines: list[CartLine]
    count: int
    totals: Totals | None = None  # set by `priced`: the lines' amounts and totals in the shopper's currency

    @property
    def priced_lines(self) -> list[tuple[Decimal, int, int]]:
        """(base unit price, quantity, category id) per line: what markets.pricing.totals_for needs."""
        return [(line.product.price, line.quantity, line.product.category_id) for line in self.lines]

    @property
    def rows(self) -> list[tuple[CartLine, LineAmount]]:
        """Each cart line with its amounts from the quote, for the pages that list them."""
        if self.totals is None:  # loud: an unpriced cart would otherwise render as an empty table
            raise RuntimeError("Price the cart first: cart.services.priced(request, summary).")
        return list(zip(self.lines, self.totals.lines, strict=True))


def get_cart(request: HttpRequest, *, create: bool = False) -> Cart | None:
    user = request.user
    if user.is_authenticated:
        cart = Cart.objects.filter(user=user).first()
        if cart is None and create:
            cart = Cart.objects.create(user=user)
        return cart
    cart_id = request.session.get(SESSION_KEY)
    cart = Cart.objects.filter(pk=cart_id, user__isnull=True).first() if cart_id else None
    if cart is None and create:
        cart = Cart.objects.create()
        request.session[SESSION_KEY] = cart.pk
    return cart


def summary(cart: Cart | None) -> CartSummary:
    if cart is None:
        return CartSummary([], 0)
    lines = list(cart.lines_with_products())
    return CartSummary(lines, sum(line.quantity for line in lines))


def priced(request: HttpRequest, cart_summary: CartSummary, destination: str | None = None) -> CartSummary:
    """The summary with its quote (markets.pricing): per-line amounts and totals in the shopper's currency,
    delivered to `destination` (default: the shopper's chosen one). Pages show these, placement charges them."""
    return replace(cart_summary, totals=totals_for_request(request, cart_summary.priced_lines, destination))


def _remember_count(request: HttpRequest, cart: Cart | None) -> int:
    count = (cart.lines.aggregate(n=Sum("quantity"))["n"] or 0) if cart else 0
    request.session[COUNT_KEY] = count
    return count


def _check(product: Product, quantity: int) -> None:
    if quantity < 1:
        raise CartError(_("Choose a quantity of at least 1."))
    if quantity > MAX_QUANTITY_PER_LINE:
        raise CartError(_("You can buy at most %(max)d of one item.") % {"max": MAX_QUANTITY_PER_LINE})
    if not product.is_active:
        raise CartError(_("This product is no longer on sale."))
    if product.stock == 0:
        raise CartError(_("Sorry, %(name)s is sold out.") % {"name": product.display_name})
    if quantity > product.stock:
        raise CartError(
            _("Only %(stock)d of %(name)s left in stock. Choose %(stock)d or fewer.")
            % {"stock": product.stock, "name": product.display_name}
        )


def add(request: HttpRequest, product: Product, quantity: int = 1) -> CartLine:
    if quantity < 1:  # checked before adding up: a negative "add" must not quietly lower the line
        raise CartError(_("Choose a quantity of at least 1."))
    with transaction.atomic():
        cart = cast(Cart, get_cart(request, create=True))  # create=True always gives one
        line = CartLine.objects.filter(cart=cart, product=product).first()
        new_quantity = (line.quantity if line else 0) + quantity
        _check(product, new_quantity)
        if line:
            line.quantity = new_quantity
            line.save(update_fields=["quantity"])
        else:
            line = CartLine.objects.create(cart=cart, product=product, quantity=quantity)
        _remember_count(request, cart)
    return line


def set_quantity(request: HttpRequest, product: Product, quantity: int) -> CartLine | None:
    """Set a line's quantity; 0 removes it."""
    cart = get_cart(request)
    if cart is None:
        raise CartError(_("Your cart is empty."))
    if quantity == 0:
        remove(request, product)
        return None
    _check(product, quantity)
    line, _created = CartLine.objects.update_or_create(
        cart=cart, product=product, defaults={"quantity": quantity}
    )
    _remember_count(request, cart)
    return line


def remove(request: HttpRequest, product: Product) -> None:
    cart = get_cart(request)
    if cart is not None:
        CartLine.objects.filter(cart=cart, product=product).delete()
    _remember_count(request, cart)


def clear(request: HttpRequest, cart: Cart) -> None:
    cart.lines.all().delete()
    _remember_count(request, cart)


def empty(request: HttpRequest) -> None:
    """Empty the request's cart, if it has one (after its order is paid)."""
    cart = get_cart(request)
    if cart is not None:
        clear(request, cart)


def merge_session_cart_into_user(request: HttpRequest, user) -> None:
    """After sign-in, move the anonymous cart's lines into the account's cart (quantities add up, capped)."""
    cart_id = request.session.get(SESSION_KEY)
    anonymous = Cart.objects.filter(pk=cart_id, user__isnull=True).first() if cart_id else None
    if anonymous is None:
        _remember_count(request, Cart.objects.filter(user=user).first())
        return
    with transaction.atomic():
        target, _created = Cart.objects.get_or_create(user=user)
        for line in anonymous.lines.select_related("product"):
            existing = CartLine.objects.filter(cart=target, product=line.product).first()
            wanted = min(
                (existing.quantity if existing else 0) + line.quantity,
                line.product.stock,
                MAX_QUANTITY_PER_LINE,
            )
            if wanted < 1:
                continue
            CartLine.objects.update_or_create(
                cart=target, product=line.product, defaults={"quantity": wanted}
            )
        anonymous.delete()
    request.session.pop(SESSION_KEY, None)
    _remember_count(request, target)


def count_from_session(request: HttpRequest) -> int:
    return int(request.session.get(COUNT_KEY, 0) or 0)
