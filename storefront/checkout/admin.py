"""Merchant admin for orders: status, shipping and delivery actions, returns, payment records (read only)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Order, OrderLine, Payment, ReturnRequest


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


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = ["number", "user", "status", "total", "currency", "placed_at"]
    list_filter = ["status", "currency"]
    search_fields = ["number", "user__username", "user__email"]
    readonly_fields = ["number", "user", "idempotency_key", "currency", "exchange_rate", "subtotal", "shipping",
                       "duties", "total", "total_base", "shipping_address", "payment_method_label",
                       "stock_released", "placed_at", "paid_at"]
    inlines = [OrderLineInline, PaymentInline]
    actions = ["mark_shipped", "mark_delivered"]

    @admin.action(description=_("Mark selected paid orders as shipped"))
    def mark_shipped(self, request, queryset) -> None:
        n = queryset.filter(status=Order.Status.PAID).update(status=Order.Status.SHIPPED, shipped_at=timezone.now())
        messages.success(request, _("%(n)d orders marked as shipped.") % {"n": n})

    @admin.action(description=_("Mark selected shipped orders as delivered"))
    def mark_delivered(self, request, queryset) -> None:
        n = queryset.filter(status=Order.Status.SHIPPED).update(
            status=Order.Status.DELIVERED, delivered_at=timezone.now())
        messages.success(request, _("%(n)d orders marked as delivered.") % {"n": n})


@admin.register(ReturnRequest)
class ReturnRequestAdmin(admin.ModelAdmin):
    list_display = ["order", "status", "created_at"]
    list_editable = ["status"]
    list_filter = ["status"]
