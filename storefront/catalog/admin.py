"""Merchant admin for the catalogue: categories, brands, products (with image upload and required alt text)."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import images
from .models import Brand, Category, Product, Review


class ProductAdminForm(forms.ModelForm):
    class Meta:
        model = Product
        fields = "__all__"

    def clean(self) -> dict:
        data = super().clean()
        has_image = bool(data.get("image")) or bool(self.instance.image_variants)
        if has_image and not (data.get("image_alt") or "").strip():
            self.add_error("image_alt", _("Describe the image for people who cannot see it."))
        return data


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "name_zh_hans", "name_ko", "position"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "name_zh_hans", "name_ko"]


@admin.register(Brand)
class BrandAdmin(admin.ModelAdmin):
    list_display = ["name", "name_zh_hans", "name_ko"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    form = ProductAdminForm
    list_display = ["name", "category", "brand", "price", "stock", "rating_average", "is_active"]
    list_editable = ["price", "stock", "is_active"]
    list_filter = ["category", "brand", "is_active"]
    search_fields = ["name", "name_zh_hans", "name_ko", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    list_select_related = ["category", "brand"]
    readonly_fields = ["rating_average", "rating_count", "created_at"]

    def save_model(self, request, obj: Product, form, change: bool) -> None:
        new_image = "image" in form.changed_data and obj.image
        super().save_model(request, obj, form, change)
        if new_image:
            obj.image.open("rb")
            try:
                obj.image_variants = images.make_variants(obj.image.read(), obj.slug)
            finally:
                obj.image.close()
            obj.save(update_fields=["image_variants", "updated_at"])


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ["product", "user", "rating", "title", "created_at"]
    list_filter = ["rating"]
    raw_id_fields = ["product", "user"]
