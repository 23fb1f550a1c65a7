from django.contrib import admin

from .models import Destination, DutyRule, ExchangeRate


@admin.register(ExchangeRate)
class ExchangeRateAdmin(admin.ModelAdmin):
    list_display = ("currency", "rate", "as_of", "updated_at")
    list_filter = ("currency",)
    date_hierarchy = "as_of"
    search_fields = ("currency",)
    ordering = ("currency", "-as_of")


class DutyRuleInline(admin.TabularInline):
    model = DutyRule
    extra = 1
    autocomplete_fields = ("category",)


@admin.register(Destination)
class DestinationAdmin(admin.ModelAdmin):
    list_display = (
        "country",
        "shipping_fee",
        "free_shipping_from",
        "duty_free_up_to",
        "default_duty_rate",
        "tax_free_up_to",
        "import_tax_rate",
        "delivery_min_days",
        "delivery_max_days",
    )
    list_editable = ("default_duty_rate", "import_tax_rate")
    search_fields = ("country",)
    inlines = [DutyRuleInline]
    fieldsets = (
        (None, {"fields": ("country",)}),
        (
            "Delivery",
            {"fields": ("shipping_fee", "free_shipping_from", "delivery_min_days", "delivery_max_days")},
        ),
        (
            "Import duty and tax",
            {"fields": ("duty_free_up_to", "default_duty_rate", "tax_free_up_to", "import_tax_rate")},
        ),
    )
