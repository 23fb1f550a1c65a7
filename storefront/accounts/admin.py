"""Admin for shop users, with their addresses."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import Address, SavedPaymentMethod, User


class AddressInline(admin.StackedInline):
    model = Address
    extra = 0


@admin.register(User)
class ShopUserAdmin(UserAdmin):
    inlines = [AddressInline]
    fieldsets = tuple(UserAdmin.fieldsets or ()) + (
        (
            "Preferences",
            {
                "fields": [
                    "preferred_edition",
                    "preferred_language",
                    "preferred_currency",
                    "preferred_country",
                ]
            },
        ),
    )


@admin.register(SavedPaymentMethod)
class SavedPaymentMethodAdmin(admin.ModelAdmin):
    list_display = ["user", "brand", "last4", "is_default"]
    readonly_fields = ["token", "brand", "last4", "exp_month", "exp_year"]
