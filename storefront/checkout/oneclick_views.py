"""One-click pages: "Buy now" and "Buy again" (POST, then redirect), the result page with the cancel window,
cancelling, and setting up one-click (default card). Thin: rules live in `oneclick.py`."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from editions.rendering import render_page
from storefront.accounts.forms import CardForm
from storefront.accounts.models import SavedPaymentMethod
from storefront.accounts.requests import SignedInRequest
from storefront.accounts.services import save_card, set_default_card
from storefront.catalog.models import Product
from storefront.nexturl import safe_next

from . import oneclick, payers, payments, placement, reconciler
from .gateways import get_gateway
from .gateways.base import CardDetails, CardInvalid, PaymentError
from .models import Order


class OneClickForm(forms.Form):
    idempotency_key = forms.RegexField(regex=r"^[A-Za-z0-9-]{16,64}$", widget=forms.HiddenInput)
    confirm_repeat = forms.BooleanField(required=False, widget=forms.HiddenInput)
    product = forms.IntegerField(required=False, widget=forms.HiddenInput)
    # the quantity box beside "Buy now" (the add-to-cart form's, which the button submits); its limits are
    # oneclick.buy_now_lines's rule
    quantity = forms.IntegerField(
        required=False, error_messages={"invalid": _("Enter the quantity as a whole number, like 2.")}
    )


class SetupCardForm(CardForm):
    """A new card for one-click: always saved, and made the default."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["save"]


def _safe_next(request: HttpRequest, fallback: str) -> str:
    return safe_next(request, fallback, from_query=True)  # the shop's one next= rule (storefront/nexturl.py)


def _buy(request: SignedInRequest, lines: list[placement.WantedLine], key: str, back: str) -> HttpResponse:
    try:
        order = oneclick.buy(
            user=request.user,
            lines=lines,
            idempotency_key=key,
            confirmed_repeat=request.POST.get("confirm_repeat") == "1",
            currency=request.currency,
        )
    except oneclick.LikelyRepeat as exc:  # a second tab, say: nothing placed; ask before buying again
        hidden = {
            name: request.POST[name]
            for name in ("product", "quantity", "idempotency_key")
            if name in request.POST
        }
        return render_page(
            request,
            "checkout/oneclick_repeat.html",
            {"recent": exc.order, "action": request.path, "hidden": hidden, "back": back},
        )
    except oneclick.NotReady as exc:
        messages.info(request, str(exc))
        return redirect(f"{reverse('checkout:oneclick_setup')}?{urlencode({'next': back})}")
    except placement.PlacementError as exc:  # sold out, or nothing left to buy: nothing reserved or charged
        messages.error(request, str(exc))
        return redirect(back)
    return redirect("checkout:oneclick_done", number=order.number)


@login_required
@require_POST
def buy_now(request: SignedInRequest) -> HttpResponse:
    form = OneClickForm(request.POST)
    form.is_valid()  # cleaned_data keeps the fields that are valid, so a bad quantity still knows its product
    product = None
    if form.cleaned_data.get("product") and form.cleaned_data.get("idempotency_key"):
        product = Product.objects.filter(pk=form.cleaned_data["product"]).first()
    if product is None:
        messages.error(
            request, _("Something went wrong with that button. Nothing was ordered. Please try again.")
        )
        return redirect(_safe_next(request, reverse("home")))
    try:
        if "quantity" in form.errors:
            raise oneclick.BadQuantity(form.errors["quantity"][0])
        lines = oneclick.buy_now_lines(product, form.cleaned_data["quantity"])
    except oneclick.BadQuantity as exc:
        messages.error(request, str(exc))
        return redirect(product)
    return _buy(request, lines, form.cleaned_data["idempotency_key"], product.get_absolute_url())


@login_required
@require_POST
def buy_again(request: SignedInRequest, number: str) -> HttpResponse:
    past = get_object_or_404(Order.objects.prefetch_related("lines"), number=number, user=request.user)
    form = OneClickForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, _("Something went wrong with that button. Nothing was ordered. Please try again.")
        )
        return redirect(past)
    lines = oneclick.reorder_lines(past)
    if not lines:
        messages.error(request, _("None of the items in this order are sold any more."))
        return redirect(past)
    return _buy(request, lines, form.cleaned_data["idempotency_key"], past.get_absolute_url())


@login_required
def done(request: SignedInRequest, number: str) -> HttpResponse:
    order = get_object_or_404(Order.objects.prefetch_related("lines"), number=number, user=request.user)
    order = reconciler.settle_if_due(order)
    earliest, latest = oneclick.delivery_estimate(
        order.placed_at, (order.delivery_min_days, order.delivery_max_days)
    )
    return render_page(
        request,
        "checkout/oneclick_done.html",
        {
            "order": order,
            "earliest": earliest,
            "latest": latest,
            "refund_pending": oneclick.refund_pending(order),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def cancel(request: SignedInRequest, number: str) -> HttpResponse:
    """GET: "Are you sure?", with what cancelling does (issue 17: one press cancelled, with no confirmation);
    its POST cancels. The page's "Cancel this order" button is a GET form, so this works with JavaScript off."""
    order = get_object_or_404(Order, number=number, user=request.user)
    if request.method == "GET":
        return _confirm_cancel(request, order)
    if order.status == Order.Status.PENDING_PAYMENT:  # a payment left unfinished: stop it, stock back
        try:
            order = payments.cancel_unpaid(order, by=request.user)
        except PaymentError as exc:
            messages.error(request, exc.customer_message)
        else:
            if order.is_paid:
                messages.info(
                    request,
                    _(
                        "This order was paid a moment ago, so it was not cancelled. You can "
                        "still cancel it within 30 minutes of placing it."
                    ),
                )
            else:
                messages.success(
                    request,
                    _("Your order is cancelled. Nothing was charged and the items are back in the shop."),
                )
        return redirect(_safe_next(request, order.get_absolute_url()))
    try:
        order = oneclick.cancel(order=order, by=request.user)
    except oneclick.CancelRefused as exc:
        messages.error(request, str(exc))
    else:
        if oneclick.refund_pending(order):
            messages.warning(
                request,
                _(
                    "Your order is cancelled. The refund has not gone through yet. "
                    "Our team has been told; you can also try it again below."
                ),
            )
        elif order.status == Order.Status.CANCELLED and (other := payers.other_payer(order)) is not None:
            messages.success(
                request,
                _(
                    "Your order is cancelled. The full amount has been refunded to the "
                    "card of %(name)s, who paid for it."
                )
                % {"name": other.name},
            )
        else:
            messages.success(
                request, _("Your order is cancelled. The full amount has been refunded to your card.")
            )
    return redirect(_safe_next(request, reverse("checkout:oneclick_done", args=[order.number])))


def _confirm_cancel(request: HttpRequest, order: Order) -> HttpResponse:
    back = _safe_next(request, reverse("checkout:oneclick_done", args=[order.number]))
    if order.status != Order.Status.PENDING_PAYMENT and not oneclick.can_cancel(order):
        if order.status != Order.Status.CANCELLED:
            try:  # the reason, in the words the cancel itself would use (too late, or shipped)
                oneclick.check_cancellable(order)
            except oneclick.CancelRefused as exc:
                messages.error(request, str(exc))
        return redirect(back)
    order = Order.objects.prefetch_related("lines").get(pk=order.pk)
    return render_page(request, "checkout/oneclick_cancel_confirm.html", {"order": order, "back": back})


@login_required
def setup(request: SignedInRequest) -> HttpResponse:
    methods = list(SavedPaymentMethod.objects.filter(user=request.user))
    form = SetupCardForm(request.POST or None, prefix="card")
    back = _safe_next(request, "")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            token = get_gateway().tokenize(
                CardDetails(data["number"], data["exp_month"], data["exp_year"], data["cvc"])
            )
        except CardInvalid as exc:
            form.add_error("number", exc.customer_message)
        else:
            save_card(request.user, token, make_default=True)
            messages.success(request, _("Card saved. It is now your default card for one-click buying."))
            return redirect(back or "checkout:oneclick_setup")
    return render_page(
        request,
        "checkout/oneclick_setup.html",
        {
            "readiness": oneclick.readiness(request.user),
            "methods": methods,
            "addresses_exist": request.user.addresses.exists(),
            "card_form": form,
            "next": back,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def card_default(request: SignedInRequest, pk: int) -> HttpResponse:
    method = get_object_or_404(SavedPaymentMethod, pk=pk, user=request.user)
    set_default_card(request.user, method)
    messages.success(request, _("%(card)s is now your default card.") % {"card": method.label})
    return redirect(_safe_next(request, reverse("checkout:oneclick_setup")))
