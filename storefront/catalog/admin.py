"""Merchant admin for the catalogue: categories, brands, products (with image upload and required alt text).

Content is edited per language (one fieldset each: English, Simplified Chinese, Korean, Arabic: name, description,
selling points, picture description); an empty translation of a text the English has is marked "Missing" beside
its box and in the product list's "Missing translations" column, and can be filtered for, so nothing silently
falls back to English on the shop. Only the English picture description is required with a picture: a missing
translation is marked, and the shop reads the product's translated name instead (Product.display_image_alt)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import images
from .models import Brand, Category, Product, Review
from .translated import CONTENT_LANGUAGES, field_suffix

LANGUAGE_LABELS = {
    "en": _("English"),
    "zh-hans": _("Simplified Chinese"),
    "ko": _("Korean"),
    "ar": _("Arabic"),
}
MISSING = _("Missing: shoppers reading this language see the English text.")


def _mark_missing(form: forms.ModelForm, fields: tuple[str, ...]) -> None:
    """Puts the "missing" marker on every empty translation box of an existing object whose English is filled
    in (help text, and a class the admin's CSS can pick up), so a merchant sees at a glance what is left to
    translate. An empty English text (a product with no selling points or no picture) leaves nothing to translate."""
    if not form.instance.pk:
        return
    for language in CONTENT_LANGUAGES[1:]:
        for field in fields:
            name = f"{field}{field_suffix(language)}"
            english: str = getattr(form.instance, field, "")
            translation: str = getattr(form.instance, name, "")
            if name in form.fields and english and not translation:
                form.fields[name].help_text = MISSING
                form.fields[name].widget.attrs["class"] = "translation-missing"


def _language_fieldsets(fields: tuple[str, ...], first: tuple[str, ...] = ()) -> list:
    sets: list[tuple[Any, dict[str, Any]]] = [(None, {"fields": first})] if first else []
    for language in CONTENT_LANGUAGES:
        suffix = field_suffix(language)
        sets.append((LANGUAGE_LABELS[language], {"fields": [f"{field}{suffix}" for field in fields]}))
    return sets


class TranslatedAdminForm(forms.ModelForm):
    translated_fields: tuple[str, ...] = ("name",)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _mark_missing(self, self.translated_fields)


PRODUCT_TRANSLATED = ("name", "description", "selling_points", "image_alt")


class ProductAdminForm(TranslatedAdminForm):
    translated_fields = PRODUCT_TRANSLATED

    class Meta:
        model = Product
        fields = "__all__"  # noqa: DJ007 (every column, each language's too: the admin edits the whole product)

    def clean(self) -> dict:
        data = cast("dict[str, Any]", super().clean())  # Form.clean returns cleaned_data
        has_image = bool(data.get("image")) or bool(self.instance.image_variants)
        if has_image and not (data.get("image_alt") or "").strip():
            self.add_error("image_alt", _("Describe the image for people who cannot see it."))
        return data


class MissingTranslationFilter(admin.SimpleListFilter):
    title = _("missing translation")
    parameter_name = "missing"

    def lookups(self, request, model_admin):
        return [(language, LANGUAGE_LABELS[language]) for language in CONTENT_LANGUAGES[1:]]

    def queryset(self, request, queryset):
        if self.value() in CONTENT_LANGUAGES[1:]:
            return queryset.filter(**{f"name{field_suffix(self.value())}": ""})
        return queryset


class NameTranslationsForm(TranslatedAdminForm):
    translated_fields = ("name",)


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    form = NameTranslationsForm
    list_display = ["name", "name_zh_hans", "name_ko", "name_ar", "position"]
    list_editable = ["position"]
    list_filter = [MissingTranslationFilter]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "name_zh_hans", "name_ko", "name_ar"]
    fieldsets = _language_fieldsets(("name",), first=("slug", "position"))


@admin.register(Brand)
class BrandAdmin(admin.ModelAdmin):
    form = NameTranslationsForm
    list_display = ["name", "name_zh_hans", "name_ko", "name_ar"]
    list_filter = [MissingTranslationFilter]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = _language_fieldsets(("name",), first=("slug",))


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    form = ProductAdminForm
    list_display = [
        "name",
        "category",
        "brand",
        "price",
        "stock",
        "rating_average",
        "is_active",
        "missing_translations",
    ]
    list_editable = ["price", "stock", "is_active"]
    list_filter = [MissingTranslationFilter, "category", "brand", "is_active"]
    search_fields = ["name", "name_zh_hans", "name_ko", "name_ar", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    list_select_related = ["category", "brand"]
    readonly_fields = ["rating_average", "rating_count", "created_at"]
    fieldsets = _language_fieldsets(
        PRODUCT_TRANSLATED,
        first=("category", "brand", "slug", "price", "stock", "is_active"),
    ) + [
        (
            _("Details"),
            {
                "fields": [
                    "specifications",
                    "image",
                    "rating_average",
                    "rating_count",
                    "created_at",
                ]
            },
        )
    ]

    @admin.display(description=_("Missing translations"))
    def missing_translations(self, obj: Product) -> str:
        return ", ".join(str(LANGUAGE_LABELS[language]) for language in obj.missing_languages) or "—"

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
    list_display = ["product", "user", "rating", "title", "language", "created_at"]
    list_filter = ["rating", "language"]
    raw_id_fields = ["product", "user"]
