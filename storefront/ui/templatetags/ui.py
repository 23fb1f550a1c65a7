"""Template helpers for components: accessible widgets, error summaries, ratings and responsive pictures."""

from __future__ import annotations

from decimal import Decimal

from django import forms, template
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from storefront.ui import pictures

register = template.Library()


@register.simple_tag
def widget(field: forms.BoundField, **attrs) -> str:
    """Render a field's widget with its hint and error joined into `aria-describedby`, and `aria-invalid`."""
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}-hint")
    if field.errors:
        described.append(f"{field.auto_id}-error")
        attrs["aria-invalid"] = "true"
    if described:
        attrs["aria-describedby"] = " ".join(described)
    if field.field.required and not isinstance(field.field.widget, (forms.RadioSelect, forms.CheckboxInput)):
        attrs.setdefault("required", False)
    attrs = {k.replace("_", "-"): v for k, v in attrs.items() if v is not False}
    return field.as_widget(attrs=attrs)


@register.filter
def is_checkbox(field: forms.BoundField) -> bool:
    return isinstance(field.field.widget, forms.CheckboxInput)


@register.filter
def is_radio(field: forms.BoundField) -> bool:
    return isinstance(field.field.widget, forms.RadioSelect)


@register.simple_tag
def error_list(*forms_: forms.Form) -> list[dict]:
    """Every error of the given forms as {text, href} for the error summary, in field order."""
    out = []
    for form in forms_:
        if form is None or not form.is_bound:
            continue
        for error in form.non_field_errors():
            out.append({"text": error, "href": ""})
        for field in form:
            for error in field.errors:
                target = field.auto_id
                if isinstance(field.field.widget, forms.RadioSelect):
                    target = f"{field.auto_id}_0"
                text = (
                    _("%(field)s: %(error)s") % {"field": field.label, "error": error}
                    if error in _generic_messages(field.field)
                    else error
                )
                out.append({"text": text, "href": f"#{target}"})
    return out


def _generic_messages(field: forms.Field) -> set[str]:
    """Django's stock messages for this kind of field ("This field is required."): they do not say which field,
    so the summary names it (a list of four identical lines tells a screen-reader user nothing)."""
    messages: set[str] = set()
    for cls in type(field).__mro__:
        messages.update(str(m) for m in getattr(cls, "default_error_messages", {}).values())
    return messages


@register.simple_tag
def rating_text(average: Decimal, count: int) -> str:
    if not count:
        return _("No reviews yet")
    stars = f"{Decimal(average):.1f}".rstrip("0").rstrip(".")
    return ngettext(
        "%(stars)s out of 5 stars, %(count)d review", "%(stars)s out of 5 stars, %(count)d reviews", count
    ) % {"stars": stars, "count": count}


@register.simple_tag
def product_picture(
    product,
    sizes: str = "(min-width: 60em) 320px, 45vw",
    width: int = 320,
    loading: str = "lazy",
    decorative: bool = False,
) -> str:
    """`<picture>` with WebP and JPEG srcsets; width/height set so nothing shifts while it loads; described in
    the reader's language (`decorative`: alt="" where the product's name is written beside it)."""
    variants = product.image_variants or {}
    if not variants:
        return ""
    alt = "" if decorative else product.display_image_alt
    fetch = "high" if loading == "eager" else "auto"
    return format_html(
        '<picture><source type="image/webp" srcset="{}" sizes="{}">'
        '<img src="{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="{}" loading="{}" decoding="async" '
        'fetchpriority="{}"></picture>',
        pictures.srcset(variants, "webp"),
        sizes,
        pictures.fallback_url(variants, width),
        pictures.srcset(variants, "jpeg"),
        sizes,
        width,
        width,
        alt,
        loading,
        fetch,
    )


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some parameters changed (None removes one): for sort and page links."""
    request = context["request"]
    params = request.GET.copy()
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"
