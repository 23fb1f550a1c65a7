"""The merchant's order and return steps in the admin, each a confirmation page: GET shows what will happen (and
the refund it makes, in the order's currency), POST does it through the service that owns it (fulfilment,
returns, refunds). Never a bare editable status. Also the order queue: to ship, returns waiting, refunds due.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import fulfilment, refunds, returns
from .models import Order, Refund, ReturnRequest, Shipment

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise  # str or a lazy translation

RS = ReturnRequest.Status


class ParcelForm(forms.Form):
    carrier = forms.CharField(label=gettext_lazy("Carrier"), max_length=60)
    tracking_number = forms.CharField(label=gettext_lazy("Tracking number"), max_length=60)


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason for refusing (the shopper reads it)"),
        max_length=250,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def quantities_form(rows: list[tuple[int, str, int]], *, initial_all: bool = True, base=forms.Form):
    """A form class with one quantity field per (order line id, name, most units) row: `qty_<id>`."""
    fields = {
        f"qty_{line_id}": forms.TypedChoiceField(
            label=name,
            coerce=int,
            choices=[(n, str(n)) for n in range(most + 1)],
            initial=most if initial_all else 0,
        )
        for line_id, name, most in rows
    }
    return type("QuantitiesForm", (base,), fields)


def chosen(form: forms.Form) -> dict[int, int]:
    return {int(k[4:]): v for k, v in form.cleaned_data.items() if k.startswith("qty_") and v}


def _page(
    request: HttpRequest,
    admin,
    obj,
    *,
    title: str,
    action: str,
    form=None,
    amounts=None,
    facts=(),
    button: StrOrPromise,
    danger: bool = False,
) -> TemplateResponse:
    return TemplateResponse(
        request,
        "admin/checkout/confirm.html",
        {
            **admin.admin_site.each_context(request),
            "opts": admin.model._meta,
            "original": obj,
            "title": title,
            "form": form,
            "amounts": amounts,
            "facts": facts,
            "button": button,
            "danger": danger,
            "action": action,
            "back": reverse(f"admin:checkout_{admin.model._meta.model_name}_change", args=[obj.pk]),
            "currency": getattr(obj, "currency", "") or obj.order.currency,
        },
    )


def _done(request: HttpRequest, obj, message: str, *, error: bool = False) -> HttpResponse:
    (messages.error if error else messages.success)(request, message)
    meta = obj._meta
    return HttpResponseRedirect(reverse(f"admin:checkout_{meta.model_name}_change", args=[obj.pk]))


def _allowed(admin, request: HttpRequest, obj) -> None:
    if not admin.has_change_permission(request, obj):
        raise PermissionDenied


# --- orders and parcels ---------------------------------------------------------------------------------------


def ship_order(admin, request: HttpRequest, pk: int) -> HttpResponse:
    order = get_object_or_404(Order, pk=pk)
    _allowed(admin, request, order)
    left = fulfilment.unshipped(order)
    names = {line.pk: line.product_name for line in order.lines.all()}
    Form = quantities_form([(k, names[k], v) for k, v in left.items()], base=ParcelForm)
    form = Form(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            parcel = fulfilment.ship(
                order,
                carrier=form.cleaned_data["carrier"],
                quantities=chosen(form),
                tracking_number=form.cleaned_data["tracking_number"],
                actor=request.user,
            )
        except fulfilment.ShipmentRefused as exc:
            return _done(request, order, str(exc), error=True)
        return _done(
            request, order, _("Parcel %(tracking)s recorded.") % {"tracking": parcel.tracking_number}
        )
    return _page(
        request,
        admin,
        order,
        title=_("Ship order %(number)s") % {"number": order.number},
        action="ship",
        form=form,
        button=_("Record the parcel"),
    )


PARCEL_STEPS = {
    "deliver": (gettext_lazy("Mark parcel %(tracking)s as delivered"), gettext_lazy("Mark as delivered")),
    "delay": (gettext_lazy("Mark parcel %(tracking)s as delayed"), gettext_lazy("Mark as delayed")),
    "lose": (gettext_lazy("Mark parcel %(tracking)s as lost"), gettext_lazy("Mark as lost")),
    "reship": (gettext_lazy("Send lost parcel %(tracking)s again"), gettext_lazy("Send it again")),
    "refund_lost": (
        gettext_lazy("Refund lost parcel %(tracking)s"),
        gettext_lazy("Refund the parcel's items"),
    ),
}


def parcel_step(admin, request: HttpRequest, pk: int, step: str) -> HttpResponse:
    parcel = get_object_or_404(Shipment.objects.select_related("order"), pk=pk)
    order = parcel.order
    _allowed(admin, request, order)
    if step not in PARCEL_STEPS:
        raise PermissionDenied
    title, button = PARCEL_STEPS[step]
    form = ParcelForm(request.POST or None) if step == "reship" else None
    amounts = None
    if step == "refund_lost":
        try:
            amounts = refunds.quote(
                order, {x.order_line_id: x.quantity for x in parcel.lines.all()}, shop_fault=True
            )
        except refunds.RefundRefused as exc:
            return _done(request, order, str(exc), error=True)
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            if step == "reship":
                assert form is not None  # the reship step has its form
                fulfilment.reship(parcel, actor=request.user, **form.cleaned_data)
            elif step == "refund_lost":
                fulfilment.refund_lost(parcel, actor=request.user)
            else:
                getattr(fulfilment, step)(parcel, actor=request.user)
        except fulfilment.ShipmentRefused as exc:
            return _done(request, order, str(exc), error=True)
        return _done(request, order, _("Done: %(step)s.") % {"step": button})
    facts = [
        (_("Parcel"), f"{parcel.carrier} {parcel.tracking_number}"),
        (_("Status"), parcel.get_status_display()),
        (_("Items"), ", ".join(f"{x.order_line.product_name} x {x.quantity}" for x in parcel.lines.all())),
    ]
    return _page(
        request,
        admin,
        order,
        title=title % {"tracking": parcel.tracking_number},
        action=step,
        form=form,
        amounts=amounts,
        facts=facts,
        button=button,
        danger=step in {"lose", "refund_lost"},
    )


def refund_order(admin, request: HttpRequest, pk: int) -> HttpResponse:
    """Refund chosen units of an order's lines (full or partial) without a return: a goodwill or lost item."""
    order = get_object_or_404(Order, pk=pk)
    _allowed(admin, request, order)
    left = refunds.remaining(order).units
    rows = [
        (line.pk, line.product_name, left.get(line.pk, 0)) for line in order.lines.all() if left.get(line.pk)
    ]
    return _refund_page(
        admin,
        request,
        order,
        order,
        rows,
        title=_("Refund order %(number)s") % {"number": order.number},
        issue=lambda asked, fault: refunds.issue(
            order, asked, actor=request.user, shop_fault=fault, reason=_("Refund by the shop")
        ),
    )


def _refund_page(admin, request, obj, order: Order, rows, *, title: str, issue, fault: bool | None = None):
    class Base(forms.Form):
        shop_fault = forms.BooleanField(
            label=gettext_lazy("The shop is at fault (refund delivery too)"),
            required=False,
            initial=bool(fault),
        )

    Form = quantities_form(rows, base=Base)
    form = Form(request.POST or None)
    amounts = None
    if request.method == "POST" and form.is_valid():
        asked, shop_fault = chosen(form), form.cleaned_data["shop_fault"] if fault is None else fault
        try:
            amounts = refunds.quote(order, asked, shop_fault=shop_fault) if asked else None
            if "confirm" in request.POST and asked:
                refund = issue(asked, shop_fault)
                return _done(
                    request, obj, _refund_message(refund), error=refund.status == Refund.Status.FAILED
                )
        except (refunds.RefundRefused, returns.ReturnRefused) as exc:
            return _done(request, obj, str(exc), error=True)
        if not asked:
            form.add_error(None, _("Choose at least one item to refund."))
    return _page(
        request,
        admin,
        obj,
        title=title,
        action="refund",
        form=form,
        amounts=amounts,
        button=_("Refund this amount") if amounts else _("Show the refund"),
        danger=bool(amounts),
    )


def _refund_message(refund: Refund) -> str:
    from storefront.markets.money import format_money

    amount = format_money(refund.amount, refund.currency)
    if refund.status == Refund.Status.SUCCEEDED:
        return _("Refunded %(amount)s to the original payment method.") % {"amount": amount}
    if refund.status == Refund.Status.FAILED:
        return _("The gateway refused the refund of %(amount)s.") % {"amount": amount}
    return _(
        "The refund of %(amount)s is on its way: the gateway has not confirmed it yet; it is checked again "
        "automatically."
    ) % {"amount": amount}


# --- returns ---------------------------------------------------------------------------------------------------

RETURN_STEPS = {
    "approve": (gettext_lazy("Approve return %(code)s"), gettext_lazy("Approve")),
    "receive": (
        gettext_lazy("Receive return %(code)s (puts its items back in stock)"),
        gettext_lazy("Received"),
    ),
    "reject": (gettext_lazy("Refuse return %(code)s"), gettext_lazy("Refuse the return")),
    "replace": (gettext_lazy("Send a replacement for return %(code)s"), gettext_lazy("Send the replacement")),
}


def return_step(admin, request: HttpRequest, pk: int, step: str) -> HttpResponse:
    ret = get_object_or_404(ReturnRequest.objects.select_related("order"), pk=pk)
    _allowed(admin, request, ret)
    if step == "refund":
        return _refund_return(admin, request, ret)
    if step not in RETURN_STEPS:
        raise PermissionDenied
    title, button = RETURN_STEPS[step]
    form_class: type[forms.Form] | None = {"reject": RejectForm, "replace": ParcelForm}.get(step)
    form = form_class(request.POST or None) if form_class else None
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            if step == "reject":
                assert form is not None  # the reject and replace steps have their forms
                returns.reject(ret, reason=form.cleaned_data["reason"], actor=request.user)
            elif step == "replace":
                assert form is not None
                returns.send_replacement(ret, actor=request.user, **form.cleaned_data)
            else:
                getattr(returns, step)(ret, actor=request.user)
        except (returns.ReturnRefused, fulfilment.ShipmentRefused) as exc:
            return _done(request, ret, str(exc), error=True)
        return _done(request, ret, _("Done: %(step)s.") % {"step": button})
    facts = [
        (_("Order"), ret.order.number),
        (_("Status"), ret.get_status_display()),
        (_("Reason"), ret.get_reason_display() + (f": {ret.detail}" if ret.detail else "")),
        (_("Items"), ", ".join(f"{x.order_line.product_name} x {x.quantity}" for x in ret.lines.all())),
    ]
    return _page(
        request,
        admin,
        ret,
        title=title % {"code": ret.code},
        action=step,
        form=form,
        facts=facts,
        button=button,
        danger=step == "reject",
    )


def _refund_return(admin, request: HttpRequest, ret: ReturnRequest) -> HttpResponse:
    names = {x.order_line_id: x.order_line.product_name for x in ret.lines.select_related("order_line")}
    rows = [(line_id, names[line_id], n) for line_id, n in returns.outstanding(ret).items()]
    if not rows:
        return _done(request, ret, _("Everything in this return has been refunded already."), error=True)
    return _refund_page(
        admin,
        request,
        ret,
        ret.order,
        rows,
        title=_("Refund return %(code)s") % {"code": ret.code},
        fault=ret.reason in ReturnRequest.SHOP_FAULT,
        issue=lambda asked, _fault: returns.refund(ret, asked, actor=request.user),
    )


# --- the queue -----------------------------------------------------------------------------------------------


def queue(admin, request: HttpRequest) -> HttpResponse:
    """What needs the merchant: paid orders to ship, returns waiting, refunds due or unconfirmed."""
    to_ship = Order.objects.filter(status=Order.Status.PAID).order_by("paid_at")
    waiting = ReturnRequest.objects.filter(status__in=[RS.REQUESTED, RS.APPROVED, RS.SENT]).select_related(
        "order"
    )
    received = ReturnRequest.objects.filter(status=RS.RECEIVED).select_related("order")
    refunds_due = [
        ret for ret in received if ret.kind == ReturnRequest.Kind.REFUND and returns.outstanding(ret)
    ]
    replacements = [ret for ret in received if ret.kind == ReturnRequest.Kind.EXCHANGE]
    unconfirmed = Refund.objects.filter(status=Refund.Status.UNKNOWN).select_related("order")
    parcels = Shipment.objects.filter(
        status__in=[Shipment.Status.DELAYED, Shipment.Status.LOST]
    ).select_related("order")
    sections = [
        (
            _("To ship"),
            [(o.number, reverse("admin:checkout_order_ship", args=[o.pk])) for o in to_ship[:100]],
            to_ship.count(),
        ),
        (
            _("Returns waiting"),
            [(r.code, reverse("admin:checkout_returnrequest_change", args=[r.pk])) for r in waiting[:100]],
            waiting.count(),
        ),
        (
            _("Refunds due"),
            [(r.code, reverse("admin:checkout_returnrequest_refund", args=[r.pk])) for r in refunds_due],
            len(refunds_due),
        ),
        (
            _("Replacements to send"),
            [(r.code, reverse("admin:checkout_returnrequest_replace", args=[r.pk])) for r in replacements],
            len(replacements),
        ),
        (
            _("Refunds not yet confirmed by the gateway"),
            [
                (
                    f"{r.order.number} {r.amount} {r.currency}",
                    reverse("admin:checkout_order_change", args=[r.order_id]),
                )
                for r in unconfirmed[:100]
            ],
            unconfirmed.count(),
        ),
        (
            _("Parcels delayed or lost"),
            [
                (
                    f"{p.order.number} {p.tracking_number}: {p.get_status_display()}",
                    reverse("admin:checkout_order_change", args=[p.order_id]),
                )
                for p in parcels[:100]
            ],
            parcels.count(),
        ),
    ]
    return TemplateResponse(
        request,
        "admin/checkout/queue.html",
        {
            **admin.admin_site.each_context(request),
            "opts": admin.model._meta,
            "title": _("Order queue"),
            "sections": sections,
        },
    )
