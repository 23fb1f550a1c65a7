"""Checkout steps (address → review → pay → confirmation) and the shopper's orders. Thin: rules live in
placement.py and payments.py."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from editions.rendering import render_page
from storefront.accounts.forms import AddressForm, CardForm
from storefront.accounts.models import Address, SavedPaymentMethod
from storefront.cart import services as cart_services

from . import payments, placement
from .forms import ChooseAddressForm, ChoosePaymentForm, ReturnForm
from .gateways import get_gateway
from .gateways.base import CardDetails, CardInvalid
from .models import Order, ReturnRequest
from .pricing import totals_for_request

ADDRESS_KEY = "checkout_address_id"


def _cart_or_redirect(request: HttpRequest):
    summary = cart_services.summary(cart_services.get_cart(request))
    if not summary.lines:
        messages.error(request, _("Your cart is empty. Add something before checking out."))
        return None, redirect("cart:cart")
    return summary, None


def _chosen_address(request: HttpRequest) -> Address | None:
    address_id = request.session.get(ADDRESS_KEY)
    return Address.objects.filter(pk=address_id, user=request.user).first() if address_id else None


@login_required
def start(request: HttpRequest) -> HttpResponse:
    return redirect("checkout:address")


@login_required
def address_step(request: HttpRequest) -> HttpResponse:
    summary, bounce = _cart_or_redirect(request)
    if bounce:
        return bounce
    addresses = list(request.user.addresses.all())
    choose = ChooseAddressForm(addresses=addresses, initial={"address": addresses[0].pk if addresses else None})
    new = AddressForm(prefix="new", initial={"country": getattr(request, "country", "US"),
                                             "full_name": request.user.get_full_name()})
    if request.method == "POST":
        if request.POST.get("use") == "saved":
            choose = ChooseAddressForm(request.POST, addresses=addresses)
            if choose.is_valid():
                request.session[ADDRESS_KEY] = choose.cleaned_data["address"]
                return redirect("checkout:review")
        else:
            new = AddressForm(request.POST, prefix="new")
            if new.is_valid():
                address = new.save(commit=False)
                address.user = request.user
                address.is_default = not addresses
                address.save()
                request.session[ADDRESS_KEY] = address.pk
                return redirect("checkout:review")
    return render_page(request, "checkout/address.html", {
        "summary": summary, "addresses": addresses, "choose_form": choose, "address_form": new,
        "step": 1}, status=400 if request.method == "POST" else 200)


@login_required
def review_step(request: HttpRequest) -> HttpResponse:
    summary, bounce = _cart_or_redirect(request)
    if bounce:
        return bounce
    address = _chosen_address(request)
    if address is None:
        return redirect("checkout:address")
    totals = totals_for_request(request, [(line.product.price, line.quantity) for line in summary.lines])
    problems = [line for line in summary.lines if line.quantity > line.product.stock]
    return render_page(request, "checkout/review.html", {
        "summary": summary, "address": address, "totals": totals, "problems": problems, "step": 2})


@login_required
def pay_step(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        # A double click or a resent form after the first one succeeded: show that order, never a new one.
        earlier = Order.objects.filter(idempotency_key=request.POST.get("idempotency_key", "")[:64],
                                       user=request.user).first()
        if earlier is not None and earlier.status != Order.Status.PAYMENT_FAILED:
            return redirect("checkout:confirmation", number=earlier.number)
    summary, bounce = _cart_or_redirect(request)
    if bounce:
        return bounce
    address = _chosen_address(request)
    if address is None:
        return redirect("checkout:address")
    methods = list(SavedPaymentMethod.objects.filter(user=request.user))
    totals = totals_for_request(request, [(line.product.price, line.quantity) for line in summary.lines])
    choose = ChoosePaymentForm(methods=methods, initial={
        "method": str(methods[0].pk) if methods else "new", "idempotency_key": uuid.uuid4().hex})
    card = CardForm(prefix="card")
    error = ""
    if request.method == "POST":
        choose = ChoosePaymentForm(request.POST, methods=methods)
        card = CardForm(request.POST, prefix="card")
        if choose.is_valid():
            token, label, error = _payment_token(request, choose.cleaned_data["method"], methods, card)
            if token:
                return _place_and_pay(request, summary, address, token, label, choose.cleaned_data["idempotency_key"])
    context = {"summary": summary, "address": address, "totals": totals, "choose_form": choose,
               "card_form": card, "payment_error": error, "methods": methods, "step": 3}
    return render_page(request, "checkout/pay.html", context, status=400 if request.method == "POST" else 200)


def _payment_token(request, method: str, methods, card: CardForm) -> tuple[str, str, str]:
    """(token, label, error message): a saved method's token, or a new card tokenised by the gateway."""
    if method != "new":
        saved = next((m for m in methods if str(m.pk) == method), None)
        return (saved.token, saved.label, "") if saved else ("", "", _("Choose how to pay."))
    if not card.is_valid():
        return "", "", ""
    data = card.cleaned_data
    try:
        token = get_gateway().tokenize(CardDetails(data["number"], data["exp_month"], data["exp_year"], data["cvc"]))
    except CardInvalid as exc:
        card.add_error("number", exc.customer_message)
        return "", "", ""
    if data.get("save"):
        SavedPaymentMethod.objects.create(
            user=request.user, token=token.token, brand=token.brand, last4=token.last4,
            exp_month=token.exp_month, exp_year=token.exp_year,
            is_default=not SavedPaymentMethod.objects.filter(user=request.user).exists())
    return token.token, f"{token.brand} •••• {token.last4}", ""


def _place_and_pay(request, summary, address, token: str, label: str, key: str) -> HttpResponse:
    wanted = [placement.WantedLine(line.product_id, line.quantity) for line in summary.lines]
    try:
        order, created = placement.place_order(user=request.user, lines=wanted, address=address.as_snapshot(),
                                               idempotency_key=key, payment_method_label=label,
                                               currency=request.currency)
    except placement.PlacementError as exc:
        messages.error(request, str(exc))
        return redirect("cart:cart")
    if created:
        order = payments.collect(order, token)
        if order.is_paid:
            cart = cart_services.get_cart(request)
            if cart is not None:
                cart_services.clear(request, cart)
    if order.status == Order.Status.PAYMENT_FAILED:
        messages.error(request, order.failure_message)
        return redirect("checkout:pay")
    return redirect("checkout:confirmation", number=order.number)


@login_required
def confirmation(request: HttpRequest, number: str) -> HttpResponse:
    order = get_object_or_404(Order.objects.prefetch_related("lines"), number=number, user=request.user)
    return render_page(request, "checkout/confirmation.html", {"order": order})


@login_required
def order_list(request: HttpRequest) -> HttpResponse:
    orders = Order.objects.filter(user=request.user).prefetch_related("lines")[:50]
    return render_page(request, "checkout/order_list.html", {"orders": orders})


def timeline(order: Order) -> list[dict]:
    steps = [(_("Placed"), order.placed_at), (_("Paid"), order.paid_at), (_("Shipped"), order.shipped_at),
             (_("Delivered"), order.delivered_at)]
    reached = max((i for i, (_label, when) in enumerate(steps) if when), default=0)
    return [{"label": label, "when": when, "done": when is not None, "current": i == reached}
            for i, (label, when) in enumerate(steps)]


@login_required
def order_detail(request: HttpRequest, number: str) -> HttpResponse:
    order = get_object_or_404(Order.objects.select_related("return_request").prefetch_related("lines"),
                              number=number, user=request.user)
    return_request = getattr(order, "return_request", None)
    return render_page(request, "checkout/order_detail.html", {
        "order": order, "timeline": timeline(order), "return_request": return_request,
        "return_form": ReturnForm() if order.status == Order.Status.DELIVERED and not return_request else None})


@login_required
@require_POST
def request_return(request: HttpRequest, number: str) -> HttpResponse:
    order = get_object_or_404(Order, number=number, user=request.user)
    if order.status != Order.Status.DELIVERED or ReturnRequest.objects.filter(order=order).exists():
        messages.error(request, _("A return can be requested once per order, after it has been delivered."))
        return redirect(order)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        return render_page(request, "checkout/order_detail.html", {
            "order": order, "timeline": timeline(order), "return_request": None, "return_form": form}, status=400)
    ReturnRequest.objects.create(order=order, reason=form.cleaned_data["reason"])
    messages.success(request, _("Your return has been requested. We will email you the next steps."))
    return redirect(order)
