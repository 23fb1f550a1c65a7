"""The one input the cart takes: a product and a quantity, validated with messages a shopper understands."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from storefront.catalog.models import Product

from .services import MAX_QUANTITY_PER_LINE


class CartLineForm(forms.Form):
    product = forms.ModelChoiceField(
        queryset=Product.objects.active(),
        widget=forms.HiddenInput,
        error_messages={
            "invalid_choice": _("That product is not on sale."),
            "required": _("Choose a product."),
        },
    )
    quantity = forms.IntegerField(
        label=_("Quantity"),
        min_value=0,
        max_value=MAX_QUANTITY_PER_LINE,
        initial=1,
        error_messages={
            "invalid": _("Enter the quantity as a whole number, like 2."),
            "min_value": _("The quantity cannot be negative."),
            "max_value": _("You can buy at most %(limit_value)s of one item."),
            "required": _("Enter a quantity."),
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0, "max": MAX_QUANTITY_PER_LINE}),
    )
