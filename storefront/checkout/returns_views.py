"""The shopper's return pages: choose items, reason and refund/exchange; review the refund; the return's page
(status, refunds, tracking code) and its printable label. Thin: rules live in returns.py and refunds.py.

Without JavaScript the request is two posts: "Review the return" shows the refund it would give, "Confirm the
return" (carrying the same choices) makes it."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from editions.rendering import render_page

from . import refunds, returns
from .forms import ReturnForm, TrackingForm
from .models import Order, ReturnRequest


def _order(request: HttpRequest, number: str) -> Order:
    return get_object_or_404(Order, number=number, user=request.user)


def _return(request: HttpRequest, number: str, code: str) -> ReturnRequest:
    return get_object_or_404(
        ReturnRequest.objects.select_related("order"),
        code=code,
        order__number=number,
        order__user=request.user,
    )


@login_required
@require_http_methods(["GET", "POST"])
def start(request: HttpRequest, number: str) -> HttpResponse:
    order = _order(request, number)
    returnable = returns.returnable(order)
    if not returnable:
        messages.error(
            request,
            _(
                "Nothing in this order can be returned now: returns open after delivery, for "
                "the days shown on each product."
            ),
        )
        return redirect(order)
    form = ReturnForm(request.POST or None, returnable=returnable)
    context = {
        "order": order,
        "form": form,
        "windows": [(line, returns.window_ends(order, line)) for line, _units in returnable],
    }
    if request.method == "POST" and form.is_valid() and "change" not in request.POST:
        data = form.cleaned_data
        try:
            amounts = returns.preview(order, form.quantities(), reason=data["reason"], kind=data["kind"])
            if "confirm" in request.POST:
                ret = returns.request(
                    order,
                    quantities=form.quantities(),
                    reason=data["reason"],
                    detail=data["detail"],
                    kind=data["kind"],
                    actor=request.user,
                )
                messages.success(
                    request,
                    _("Your return %(code)s is registered. Print the label below and post the parcel.")
                    % {"code": ret.code},
                )
                return redirect(ret)
        except (returns.ReturnRefused, refunds.RefundRefused) as exc:
            messages.error(request, str(exc))
            return redirect(order)
        lines = {line.pk: line for line, _units in returnable}
        chosen = [(lines[k], n) for k, n in form.quantities().items()]
        return render_page(
            request,
            "checkout/return_review.html",
            {
                **context,
                "amounts": amounts,
                "chosen": chosen,
                "reason": dict(ReturnRequest.Reason.choices)[data["reason"]],
                "kind": dict(ReturnRequest.Kind.choices)[data["kind"]],
            },
        )
    status = 400 if form.is_bound and form.errors else 200
    return render_page(request, "checkout/return_start.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def detail(request: HttpRequest, number: str, code: str) -> HttpResponse:
    ret = _return(request, number, code)
    form = TrackingForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                ret = returns.register_tracking(
                    ret, tracking_code=form.cleaned_data["tracking_code"], actor=request.user
                )
            except returns.ReturnRefused as exc:
                messages.error(request, str(exc))
                return redirect(ret)
            if ret.refunds.filter(fast=True).exists():
                messages.success(
                    request, _("Thank you. Your parcel is on its way, so we have refunded you already.")
                )
            else:
                messages.success(request, _("Thank you. We will refund you when the parcel arrives."))
            return redirect(ret)
    return render_page(
        request, "checkout/return_detail.html", _detail_context(ret, form), status=400 if form.errors else 200
    )


def _detail_context(ret: ReturnRequest, form: TrackingForm) -> dict:
    order = ret.order
    lines = list(ret.lines.select_related("order_line"))
    amounts = None
    left = returns.outstanding(ret)
    if left and ret.status != ReturnRequest.Status.REJECTED:
        try:  # what is still to come back: the refund the shopper was shown, less what was refunded since
            amounts = returns.preview(order, left, reason=ret.reason, kind=ret.kind)
        except refunds.RefundRefused:
            amounts = None
    return {
        "order": order,
        "ret": ret,
        "lines": lines,
        "amounts": amounts,
        "refunds": list(ret.refunds.all()),
        "form": form
        if ret.status in {ReturnRequest.Status.REQUESTED, ReturnRequest.Status.APPROVED}
        else None,
    }


@login_required
def label(request: HttpRequest, number: str, code: str) -> HttpResponse:
    ret = _return(request, number, code)
    if ret.status == ReturnRequest.Status.REJECTED:
        messages.error(request, _("This return was refused, so it has no label."))
        return redirect(ret)
    return render_page(
        request,
        "checkout/return_label.html",
        {
            "order": ret.order,
            "ret": ret,
            "lines": list(ret.lines.select_related("order_line")),
            "return_address": getattr(settings, "RETURNS_ADDRESS", []),
        },
    )
