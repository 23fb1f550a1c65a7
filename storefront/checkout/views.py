"""Checkout steps (address → review → pay → confirmation) and the shopper's orders. Thin: rules live in
placement.py and payments.py."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from editions.rendering import render_page
from storefront.accounts.forms import REFRESH_FRAGMENTS, AddressForm, CardForm
from storefront.accounts.models import Address, SavedPaymentMethod
from storefront.accounts.requests import SignedInRequest
from storefront.accounts.services import add_address, save_card
from storefront.cart import services as cart_services
from storefront.markets import payment_methods

from . import history, payments, placement, reconciler, returns
from .forms import ChooseAddressForm, ChoosePaymentForm
from .gateways import get_gateway, is_redirect_gateway
from .gateways.base import CardDetails, CardInvalid, CardToken, PaymentError
from .models import Order, Payment
from .state import CheckoutState


def _cart_or_redirect(request: HttpRequest):
    summary = cart_services.summary(cart_services.get_cart(request))
    if not summary.lines:
        messages.error(request, _("Your cart is empty. Add something before checking out."))
        return None, redirect("cart:cart")
    return summary, None


def chosen_address(request: HttpRequest) -> Address | None:
    return CheckoutState.of(request).address(request.user)


@login_required
def start(request: SignedInRequest) -> HttpResponse:
    return redirect("checkout:address")


@login_required
def address_step(request: SignedInRequest) -> HttpResponse:
    from editions.rendering import wants_fragment  # (kept local: only this view needs it)

    summary, bounce = _cart_or_redirect(request)
    if bounce:
        return bounce
    addresses = list(request.user.addresses.all())
    choose = ChooseAddressForm(
        addresses=addresses, initial={"address": addresses[0].pk if addresses else None}
    )
    new = AddressForm(
        prefix="new",
        country=getattr(request, "country", None),
        initial={"full_name": request.user.get_full_name()},
    )
    refreshed = None
    if request.method == "POST":
        if request.POST.get("use") != "saved":
            refreshed = AddressForm.refresh_kind(request.POST, prefix="new", htmx=wants_fragment(request))
        if refreshed:
            # "Update the form for this country" (or a new province): what was typed, the chosen country's
            # fields and province's city list, no errors.
            new = AddressForm.refreshed(request.POST, prefix="new")
            if wants_fragment(request):
                return render_page(
                    request,
                    "components/address_form.html",
                    {"form": new, "refreshed": refreshed},
                    fragment=REFRESH_FRAGMENTS[refreshed],
                )
        elif request.POST.get("use") == "saved":
            choose = ChooseAddressForm(request.POST, addresses=addresses)
            if choose.is_valid():
                CheckoutState.of(request).with_address(int(choose.cleaned_data["address"])).save(request)
                return redirect("checkout:review")
        else:
            new = AddressForm(request.POST, prefix="new")
            if new.is_valid():
                address = add_address(request.user, new.save(commit=False))
                CheckoutState.of(request).with_address(address).save(request)
                return redirect("checkout:review")
    return render_page(
        request,
        "checkout/address.html",
        {
            "summary": summary,
            "addresses": addresses,
            "choose_form": choose,
            "address_form": new,
            "refreshed": refreshed,
            "step": 1,
        },
        status=400 if request.method == "POST" and not refreshed else 200,
    )


@login_required
def review_step(request: SignedInRequest) -> HttpResponse:
    summary, bounce = _cart_or_redirect(request)
    if bounce:
        return bounce
    address = chosen_address(request)
    if address is None:
        return redirect("checkout:address")
    summary = cart_services.priced(request, summary, address.country)
    totals = summary.totals
    problems = [line for line in summary.lines if line.quantity > line.product.stock]
    return render_page(
        request,
        "checkout/review.html",
        {"summary": summary, "address": address, "totals": totals, "problems": problems, "step": 2},
    )


@login_required
def pay_step(request: SignedInRequest) -> HttpResponse:
    if request.method == "POST":
        # A double click or a resent form after the first one succeeded: show that order, never a new one.
        earlier = Order.objects.filter(
            idempotency_key=request.POST.get("idempotency_key", "")[:64], user=request.user
        ).first()
        if earlier is not None and earlier.status != Order.Status.PAYMENT_FAILED:
            if (
                payments.redirect_payment(earlier) is not None
            ):  # paid (or being paid) with Alipay, Kakao Pay...
                return redirect("checkout:pay_return", number=earlier.number)
            if earlier.status != Order.Status.PENDING_PAYMENT:
                return redirect("checkout:confirmation", number=earlier.number)
            # else a card payment cut short (a killed worker, a dropped connection): pay it now, same key
    summary, bounce = _cart_or_redirect(request)
    if bounce:
        return bounce
    address = chosen_address(request)
    if address is None:
        return redirect("checkout:address")
    payments.expire_abandoned_redirects(user=request.user)  # stock held by a wallet payment left 30 min ago
    unfinished = payments.open_payment(request.user)
    # The delivery country decides what is offered: cards (everywhere) and its local methods, nothing else.
    cards = payment_methods.cards_available_for(address.country)
    local = payment_methods.redirect_methods_for(address.country)
    methods = list(SavedPaymentMethod.objects.filter(user=request.user)) if cards else []
    offered: dict[str, Any] = {
        "methods": methods,
        "local_methods": local,
        "cards": cards,
        "country": address.country,
    }
    summary = cart_services.priced(request, summary, address.country)
    totals = summary.totals
    assert totals is not None  # priced() sets them
    first = [str(m.pk) for m in methods] + (["new"] if cards else []) + [m.code for m in local]
    choose = ChoosePaymentForm(
        **offered, initial={"method": first[0] if first else "", "idempotency_key": uuid.uuid4().hex}
    )
    card = CardForm(prefix="card")
    error = ""
    # The screen-reader edition asks for a new card's details in a step of their own, shown only once "A new
    # card" is chosen (else five fields sit between the choice and "Place order" for every shopper).
    card_step = request.edition.has("card_step") and bool(methods)
    wants_card_fields = request.method == "POST" and request.POST.get("method") == "new"
    show_card_fields = bool(cards) and (not card_step or wants_card_fields)
    # no card-* field posted at all (not even the step's card-shown marker): the shopper has not seen them yet
    entering_card = card_step and wants_card_fields and not any(k.startswith("card-") for k in request.POST)
    if entering_card:  # the first press with "A new card" chosen: show its fields, nothing is checked yet
        choose = ChoosePaymentForm(request.POST, **offered)
    elif request.method == "POST":
        choose = ChoosePaymentForm(request.POST, **offered)
        if request.POST.get("method") == "new":  # card fields matter (and can be wrong) only for a new card
            card = CardForm(request.POST, prefix="card")
        if choose.is_valid() and request.POST.get("shown_total", "") not in (
            "",
            f"{totals.currency}:{totals.total}",
        ):
            # A new exchange rate or price since the page was shown: never charge an amount the shopper did not see.
            choose.add_error(
                None,
                _(
                    "The total changed while this page was open (a new exchange rate or price). "
                    "Check the new total and pay again."
                ),
            )
        if choose.is_valid():
            key = choose.cleaned_data["idempotency_key"]
            if unfinished is not None and _same_items(unfinished, summary):
                key = unfinished.idempotency_key  # pay for the order already holding these items
            chosen = payment_methods.get(choose.cleaned_data["method"])
            if chosen is not None and chosen.is_redirect:  # offered here, or the form would not be valid
                return _place_and_redirect(request, summary, address, chosen, key)
            token, label, error, new_card = _payment_token(
                request, choose.cleaned_data["method"], methods, card
            )
            if token:
                return _place_and_pay(request, summary, address, token, label, key, new_card)
    context = {
        "summary": summary,
        "address": address,
        "totals": totals,
        "choose_form": choose,
        "card_form": card,
        "payment_error": error,
        "methods": methods,
        "cards": cards,
        "local_methods": local,
        "step": 3,
        "unfinished": unfinished,
        "show_card_fields": show_card_fields,
        "card_step": card_step,
        **(_resume_context(unfinished) if unfinished else {}),
    }
    failed = request.method == "POST" and not entering_card
    return render_page(request, "checkout/pay.html", context, status=400 if failed else 200)


def _same_items(order: Order, summary) -> bool:
    return placement.quantities(order.lines.all()) == placement.quantities(summary.lines)


def _payment_token(request, method: str, methods, card: CardForm) -> tuple[str, str, str, CardToken | None]:
    """(token, label, error message, the new card to keep once it has paid): a saved method's token, or a new
    card tokenised by the gateway."""
    if method != "new":
        saved = next((m for m in methods if str(m.pk) == method), None)
        return (saved.token, saved.label, "", None) if saved else ("", "", _("Choose how to pay."), None)
    if not card.is_valid():
        return "", "", "", None
    data = card.cleaned_data
    try:
        token = get_gateway().tokenize(
            CardDetails(data["number"], data["exp_month"], data["exp_year"], data["cvc"])
        )
    except CardInvalid as exc:
        card.add_error("number", exc.customer_message)
        return "", "", "", None
    return token.token, f"{token.brand} •••• {token.last4}", "", token if data.get("save") else None


def _place(request, summary, address, key: str, label: str) -> tuple[Order | None, bool, HttpResponse | None]:
    """Place the order for the cart (stock reserved, PENDING_PAYMENT): (order, created now, or a redirect)."""
    wanted = [placement.WantedLine(line.product_id, line.quantity) for line in summary.lines]
    try:
        order, created = placement.place_order(
            user=request.user,
            lines=wanted,
            address=address.as_snapshot(),
            idempotency_key=key,
            payment_method_label=label,
            currency=request.currency,
        )
    except placement.PlacementError as exc:
        messages.error(request, str(exc))
        return None, False, redirect("cart:cart")
    return order, created, None


def _switch_to(order: Order, *, label: str, redirect_method: str = "") -> Order:
    """Before paying an existing order another way, end its open attempt (never two live charges)."""
    payment = order.payments.filter(idempotency_key=payments.charge_key(order)).first()
    if payment is None or payment.status != Payment.Status.UNKNOWN:
        return order
    if redirect_method and payment.method == redirect_method:
        return order  # the same wallet again: continue that payment
    if not is_redirect_gateway(payment.gateway) and not redirect_method:
        return order  # a card payment resent with a card: the same key replays it
    return payments.next_attempt(order, label=label)


def _place_and_pay(
    request, summary, address, token: str, label: str, key: str, new_card: CardToken | None = None
) -> HttpResponse:
    order, _created, bounce = _place(request, summary, address, key, label)
    if bounce:
        return bounce
    assert order is not None  # _place gives an order whenever it gives no redirect
    try:
        order = _switch_to(order, label=label)
    except PaymentError as exc:
        messages.error(request, exc.customer_message)
        return redirect("checkout:pay")
    if order.status == Order.Status.PENDING_PAYMENT:
        order = payments.collect(order, token)
        if order.is_paid:
            cart_services.empty(request)
            if new_card is not None:  # kept only once it has paid: a declined card is never offered again
                save_card(request.user, new_card)
    if order.status == Order.Status.PAYMENT_FAILED:
        messages.error(request, order.failure_text)
        return redirect("checkout:pay")
    return redirect("checkout:confirmation", number=order.number)


def _place_and_redirect(
    request, summary, address, method: payment_methods.PaymentMethod, key: str
) -> HttpResponse:
    """Place the order (or take the one already holding these items), start the payment with the provider
    (outside any transaction) and send the shopper there; the provider sends them back to `pay_return`. The
    cart stays until the payment succeeds."""
    order, _created, bounce = _place(request, summary, address, key, str(method.name))
    if bounce:
        return bounce
    assert order is not None  # _place gives an order whenever it gives no redirect
    try:
        order = _switch_to(order, label=str(method.name), redirect_method=method.code)
    except PaymentError as exc:
        messages.error(request, exc.customer_message)
        return redirect("checkout:pay")
    payment = payments.redirect_payment(order)
    open_payment = payment is None or payment.status == Payment.Status.UNKNOWN
    if order.status == Order.Status.PENDING_PAYMENT and open_payment:  # else a resubmit: show how it ended
        return_url = request.build_absolute_uri(reverse("checkout:pay_return", args=[order.number]))
        url = payments.begin_redirect(order, method, return_url)
        if url:
            return redirect(url)
    return redirect("checkout:pay_return", number=order.number)


@login_required
@require_http_methods(["GET", "POST"])
def pay_return(request: SignedInRequest, number: str) -> HttpResponse:
    """Where the provider sends the shopper back (and "Check again"). Query parameters are ignored: the order is
    settled by what the provider says when asked, once, however often this page is loaded."""
    order = get_object_or_404(Order, number=number, user=request.user)
    payment = payments.redirect_payment(order)
    if payment is None:
        return redirect(order)
    was_pending = order.status == Order.Status.PENDING_PAYMENT
    close = request.method == "POST" and request.POST.get("action") == "cancel"
    order = payments.settle_redirect(order, close=close)
    payment.refresh_from_db()
    if payment.status == Payment.Status.SUCCEEDED:
        if was_pending and order.is_paid:
            cart_services.empty(request)
        return redirect("checkout:confirmation", number=order.number)
    if payment.status in {Payment.Status.DECLINED, Payment.Status.CANCELLED}:
        # Why, in the reader's language (the payment's own message is the shop's record, in the shop's language).
        said = order.failure_text or payment.message
        if payment.status == Payment.Status.DECLINED:
            messages.error(request, said)
        else:
            messages.info(request, said)
        return redirect("checkout:pay")
    return render_page(
        request,
        "checkout/payment_pending.html",
        {"order": order, "payment": payment, "method_name": payments.method_name(payment)},
    )


@login_required
def confirmation(request: SignedInRequest, number: str) -> HttpResponse:
    order = get_object_or_404(Order.objects.prefetch_related("lines"), number=number, user=request.user)
    order = reconciler.settle_if_due(order)
    return render_page(request, "checkout/confirmation.html", {"order": order, **_resume_context(order)})


def _resume_context(order: Order) -> dict:
    """What a shopper can do about an order whose payment has not finished: continue it, check again, cancel."""
    if order.status != Order.Status.PENDING_PAYMENT:
        return {}
    payment = payments.redirect_payment(order)
    if payment is None or payment.status != Payment.Status.UNKNOWN or not payment.redirect_url:
        return {"unfinished_payment": None}
    return {"unfinished_payment": payment, "unfinished_method": payments.method_name(payment)}


@login_required
def order_list(request: SignedInRequest) -> HttpResponse:
    orders = Order.objects.filter(user=request.user).prefetch_related("lines")[:50]
    return render_page(request, "checkout/order_list.html", {"orders": orders})


def timeline(order: Order) -> list[dict]:
    steps = [
        (_("Placed"), order.placed_at),
        (_("Paid"), order.paid_at),
        (_("Shipped"), order.shipped_at),
        (_("Delivered"), order.delivered_at),
    ]
    reached = max((i for i, (_label, when) in enumerate(steps) if when), default=0)
    return [
        {"label": label, "when": when, "done": when is not None, "current": i == reached}
        for i, (label, when) in enumerate(steps)
    ]


@login_required
def order_detail(request: SignedInRequest, number: str) -> HttpResponse:
    order = get_object_or_404(
        Order.objects.prefetch_related("lines", "shipments__lines__order_line"),
        number=number,
        user=request.user,
    )
    order = reconciler.settle_if_due(order)
    return render_page(
        request,
        "checkout/order_detail.html",
        {
            **_resume_context(order),
            "order": order,
            "timeline": timeline(order),
            "events": history.events(order),
            "returns": list(order.returns.all()),
            "can_return": bool(returns.returnable(order)),
            "refunds": list(order.refunds.all()),
            "shipments": list(order.shipments.all()),
        },
    )
