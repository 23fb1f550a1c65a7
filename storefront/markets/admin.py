from django.contrib import admin

from .models import ExchangeRate


@admin.register(ExchangeRate)
class ExchangeRateAdmin(admin.ModelAdmin):
    list_display = ("currency", "rate", "as_of", "updated_at")
    list_filter = ("currency",)
    date_hierarchy = "as_of"
    search_fields = ("currency",)
    ordering = ("currency", "-as_of")
