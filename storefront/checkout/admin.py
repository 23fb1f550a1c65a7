"""Merchant admin for orders: status, shipping and delivery actions, returns, payment records (read only)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from . import lifecycle
from .models import Order, OrderEvent, OrderLine, Payment, ReturnRequest


class OrderLineInline(admin.TabularInline):
    model = OrderLine
    extra = 0
    readonly_fields = ["product", "product_name", "unit_price", "quantity", "line_total"]
    can_delete = False


class PaymentInline(admin.TabularInline):
    model = Payment
    extra = 0
    readonly_fields = ["kind", "gateway", "method", "idempotency_key", "amount", "currency", "status", "reference",
                       "message"]
    can_delete = False


class OrderEventInline(admin.TabularInline):
    """The order's life as the lifecycle recorded it: read only, never edited."""

    model = OrderEvent
    extra = 0
    fields = readonly_fields = ["at", "transition", "from_status", "to_status", "source", "actor", "note"]
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = ["number", "user", "status", "total", "currency", "placed_at"]
    list_filter = ["status", "currency"]
    search_fields = ["number", "user__username", "user__email"]
    readonly_fields = ["number", "user", "status", "idempotency_key", "currency", "exchange_rate", "subtotal", "shipping",
                       "duties", "total", "total_base", "shipping_address", "payment_method_label",
                       "stock_released", "placed_at", "paid_at", "shipped_at", "delivered_at", "cancelled_at",
                       "failure_message", "payment_attempt", "reconcile_after", "reconcile_tries", "duties",
                       "taxes", "destination", "delivery_min_days", "delivery_max_days"]
    inlines = [OrderLineInline, PaymentInline, OrderEventInline]
    actions = ["mark_shipped", "mark_delivered"]

    @admin.action(description=_("Mark selected paid orders as shipped"))
    def mark_shipped(self, request, queryset) -> None:
        n = sum(lifecycle.try_move(order, "ship", actor=request.user, source=OrderEvent.Source.MERCHANT)[1]
                for order in queryset.filter(status=Order.Status.PAID).order_by("pk"))
        messages.success(request, _("%(n)d orders marked as shipped.") % {"n": n})

    @admin.action(description=_("Mark selected shipped orders as delivered"))
    def mark_delivered(self, request, queryset) -> None:
        n = sum(lifecycle.try_move(order, "deliver", actor=request.user, source=OrderEvent.Source.MERCHANT)[1]
                for order in queryset.filter(status=Order.Status.SHIPPED).order_by("pk"))
        messages.success(request, _("%(n)d orders marked as delivered.") % {"n": n})


@admin.register(ReturnRequest)
class ReturnRequestAdmin(admin.ModelAdmin):
    list_display = ["order", "status", "created_at"]
    list_editable = ["status"]
    list_filter = ["status"]
