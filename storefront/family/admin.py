"""Family payment in the admin: read mostly; the audit log is never edited."""

from django.contrib import admin

from .models import FamilyEvent, FamilyLink, PayRequest


@admin.register(FamilyLink)
class FamilyLinkAdmin(admin.ModelAdmin):
    list_display = ["payer", "beneficiary", "status", "created_at", "accepted_at", "ended_at"]
    list_filter = ["status"]
    readonly_fields = ["invite_code", "created_at", "accepted_at", "ended_at", "ended_by"]


@admin.register(PayRequest)
class PayRequestAdmin(admin.ModelAdmin):
    list_display = ["public_id", "beneficiary", "payer", "order", "status", "created_at", "expires_at"]
    list_filter = ["status"]
    readonly_fields = ["public_id", "order", "cart_signature", "created_at", "decided_at"]


@admin.register(FamilyEvent)
class FamilyEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "link", "kind", "actor", "pay_request"]
    list_filter = ["kind"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
