"""Merchant admin for orders, parcels, returns and refunds. Statuses are read only: every step is a link to a
confirmation page (`admin_actions`) or an admin action that leads to one, and goes through its service."""

from __future__ import annotations

from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from . import admin_actions, history
from .models import Order, OrderEvent, OrderLine, Payment, Refund, ReturnLine, ReturnRequest, Shipment


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class OrderLineInline(ReadOnlyInline):
    model = OrderLine
    fields = readonly_fields = ("product", "product_name", "unit_price", "quantity", "line_total", "duty")


class PaymentInline(ReadOnlyInline):
    model = Payment
    fields = readonly_fields = (
        "kind",
        "gateway",
        "method",
        "idempotency_key",
        "amount",
        "currency",
        "status",
        "reference",
        "message",
    )


class OrderEventInline(ReadOnlyInline):
    """The order's life as the lifecycle recorded it: read only, never edited."""

    model = OrderEvent
    fields = readonly_fields = (
        "at",
        "transition",
        "from_status",
        "to_status",
        "source",
        "actor",
        "details",
        "note",
        "data",
    )

    @admin.display(description=_("Details"))
    def details(self, event: OrderEvent) -> str:
        """What the shop recorded, as the shopper's timeline says it (in the reader's language)."""
        return history.recorded(event.data or {})


class ShipmentInline(ReadOnlyInline):
    model = Shipment
    fields = readonly_fields = ("carrier", "tracking_number", "status", "shipped_at", "delivered_at", "steps")

    @admin.display(description=_("actions"))
    def steps(self, parcel: Shipment) -> str:
        S = Shipment.Status
        steps: dict[str, list[str]] = {
            S.IN_TRANSIT: ["deliver", "delay", "lose"],
            S.DELAYED: ["deliver", "lose"],
            S.LOST: ["reship", "refund_lost"],
        }
        names = steps.get(parcel.status, [])
        return format_html_join(
            " | ",
            '<a href="{}">{}</a>',
            (
                (
                    reverse("admin:checkout_order_parcel", args=[parcel.pk, name]),
                    admin_actions.PARCEL_STEPS[name][1],
                )
                for name in names
            ),
        )


class RefundInline(ReadOnlyInline):
    model = Refund
    fields = readonly_fields = (
        "created_at",
        "amount",
        "currency",
        "goods",
        "shipping",
        "duties",
        "taxes",
        "status",
        "fast",
        "reason",
        "idempotency_key",
        "settled_at",
    )


class ReturnInline(ReadOnlyInline):
    model = ReturnRequest
    fields = readonly_fields = ("link", "status", "kind", "reason", "created_at")

    @admin.display(description=_("return"))
    def link(self, ret: ReturnRequest) -> str:
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:checkout_returnrequest_change", args=[ret.pk]), ret.code
        )


def _one(modeladmin, request, queryset, url_name: str, *args):
    """An admin action leads to the confirmation page of the one object chosen."""
    if queryset.count() != 1:
        messages.error(request, _("Choose exactly one, then confirm on the next page."))
        return None
    return HttpResponseRedirect(reverse(url_name, args=[queryset.get().pk, *args]))


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = ["number", "user", "status", "total", "currency", "placed_at"]
    list_filter = ["status", "currency"]
    search_fields = ["number", "user__username", "user__email"]
    readonly_fields = [
        "number",
        "user",
        "status",
        "next_steps",
        "idempotency_key",
        "currency",
        "exchange_rate",
        "subtotal",
        "shipping",
        "duties",
        "taxes",
        "total",
        "total_base",
        "shipping_address",
        "payment_method_label",
        "stock_released",
        "placed_at",
        "paid_at",
        "shipped_at",
        "delivered_at",
        "cancelled_at",
        "failure_message",
        "failure",
        "payment_attempt",
        "reconcile_after",
        "reconcile_tries",
        "destination",
        "delivery_min_days",
        "delivery_max_days",
    ]
    inlines = [OrderLineInline, ShipmentInline, PaymentInline, RefundInline, ReturnInline, OrderEventInline]
    actions = ["ship", "refund"]
    change_list_template = "admin/checkout/order_change_list.html"

    def has_add_permission(self, request) -> bool:
        return False

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("queue/", view(lambda r: admin_actions.queue(self, r)), name="checkout_order_queue"),
            path(
                "<int:pk>/ship/",
                view(lambda r, pk: admin_actions.ship_order(self, r, pk)),
                name="checkout_order_ship",
            ),
            path(
                "<int:pk>/refund/",
                view(lambda r, pk: admin_actions.refund_order(self, r, pk)),
                name="checkout_order_refund",
            ),
            path(
                "parcel/<int:pk>/<str:step>/",
                view(lambda r, pk, step: admin_actions.parcel_step(self, r, pk, step)),
                name="checkout_order_parcel",
            ),
        ] + super().get_urls()

    @admin.display(description=_("next steps"))
    def next_steps(self, order: Order) -> str:
        links = []
        if order.status == Order.Status.PAID:
            links.append((reverse("admin:checkout_order_ship", args=[order.pk]), _("Ship a parcel")))
        if order.is_paid:
            links.append((reverse("admin:checkout_order_refund", args=[order.pk]), _("Refund items")))
        return format_html_join(" | ", '<a href="{}">{}</a>', links) or "-"

    @admin.action(description=_("Ship the selected order (carrier and tracking number)…"))
    def ship(self, request, queryset):
        return _one(self, request, queryset, "admin:checkout_order_ship")

    @admin.action(description=_("Refund items of the selected order…"))
    def refund(self, request, queryset):
        return _one(self, request, queryset, "admin:checkout_order_refund")


class ReturnLineInline(ReadOnlyInline):
    model = ReturnLine
    fields = readonly_fields = ("order_line", "quantity")


@admin.register(ReturnRequest)
class ReturnRequestAdmin(admin.ModelAdmin):
    list_display = ["code", "order", "status", "kind", "reason", "created_at"]
    list_filter = ["status", "kind", "reason"]
    search_fields = ["code", "order__number", "tracking_code"]
    readonly_fields = [
        "code",
        "order",
        "status",
        "next_steps",
        "kind",
        "reason",
        "detail",
        "tracking_code",
        "rejection_reason",
        "restocked",
        "created_at",
        "updated_at",
    ]
    inlines = [ReturnLineInline]
    actions = ["approve", "receive", "refund", "reject"]

    def has_add_permission(self, request) -> bool:
        return False

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                f"<int:pk>/{step}/",
                view(lambda r, pk, step=step: admin_actions.return_step(self, r, pk, step)),
                name=f"checkout_returnrequest_{step}",
            )
            for step in [*admin_actions.RETURN_STEPS, "refund"]
        ] + super().get_urls()

    @admin.display(description=_("next steps"))
    def next_steps(self, ret: ReturnRequest) -> str:
        R = ReturnRequest.Status
        steps: dict[str, list[str]] = {
            R.REQUESTED: ["approve", "receive", "reject"],
            R.APPROVED: ["receive", "reject"],
            R.SENT: ["receive", "reject"],
            R.RECEIVED: ["refund"] if ret.kind == "refund" else ["replace"],
        }
        names = steps.get(ret.status, [])
        if ret.status == R.SENT and ret.kind == "refund":
            names = [*names, "refund"]
        labels = {**{k: v[1] for k, v in admin_actions.RETURN_STEPS.items()}, "refund": _("Refund")}
        return (
            format_html_join(
                " | ",
                '<a href="{}">{}</a>',
                (
                    (reverse(f"admin:checkout_returnrequest_{name}", args=[ret.pk]), labels[name])
                    for name in names
                ),
            )
            or "-"
        )

    @admin.action(description=_("Approve the selected return…"))
    def approve(self, request, queryset):
        return _one(self, request, queryset, "admin:checkout_returnrequest_approve")

    @admin.action(description=_("Receive the selected return…"))
    def receive(self, request, queryset):
        return _one(self, request, queryset, "admin:checkout_returnrequest_receive")

    @admin.action(description=_("Refund the selected return…"))
    def refund(self, request, queryset):
        return _one(self, request, queryset, "admin:checkout_returnrequest_refund")

    @admin.action(description=_("Refuse the selected return…"))
    def reject(self, request, queryset):
        return _one(self, request, queryset, "admin:checkout_returnrequest_reject")
