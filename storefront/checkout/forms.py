"""Checkout forms: choosing a delivery address, choosing how to pay, asking for a return, its tracking code."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from storefront.markets import payment_methods
from storefront.markets.choices import country_name

from .models import ReturnRequest


class ChooseAddressForm(forms.Form):
    address = forms.TypedChoiceField(
        label=_("Deliver to"),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose where to deliver your order.")},
    )

    def __init__(self, *args, addresses=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["address"]).choices = [
            (a.pk, ", ".join(a.lines())) for a in addresses
        ]


class PaymentMethodField(forms.ChoiceField):
    """Radio choice of a way to pay; a local method posted for a destination where it is not offered gets a
    message that says so (the page never shows it there, but an old tab or a crafted post can send it)."""

    country = ""

    def validate(self, value) -> None:
        try:
            super().validate(value)
        except forms.ValidationError as exc:
            method = payment_methods.get(value)
            if exc.code == "invalid_choice" and method is not None and method.is_redirect:
                raise forms.ValidationError(
                    _("%(method)s is not available for delivery to %(country)s. Choose another way to pay."),
                    code="unavailable",
                    params={"method": method.name, "country": country_name(self.country)},
                ) from exc
            raise


class ChoosePaymentForm(forms.Form):
    """Saved cards, "A new card" and the local methods offered for the delivery country; nothing else."""

    method = PaymentMethodField(
        label=_("Pay with"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose how to pay."),
            "invalid_choice": _("Choose one of the ways to pay shown."),
        },
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(
        self, *args, methods=(), local_methods=(), cards: bool = True, country: str = "", **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        choices = ([(str(m.pk), m.label) for m in methods] + [("new", _("A new card"))]) if cards else []
        method = cast(forms.ChoiceField, self.fields["method"])
        method.choices = choices + [(m.code, m.name) for m in local_methods]
        method.country = country  # type: ignore[attr-defined]  # read by the method widget
        self.fields["method"].help_text = " ".join(
            _("With %(method)s, you approve the payment on the %(method)s page, then come back here.")
            % {"method": m.name}
            for m in local_methods
        )


class ReturnForm(forms.Form):
    """Which units of which lines, why, and a refund or an exchange. One quantity field per returnable line
    (`qty_<line id>`), 0 by default: the shopper picks what goes back."""

    reason = forms.ChoiceField(
        label=_("Why are you returning them?"),
        choices=ReturnRequest.Reason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a reason for the return.")},
    )
    detail = forms.CharField(
        label=_("Tell us more"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed when you choose “Another reason”."),
    )
    kind = forms.ChoiceField(
        label=_("What would you like?"),
        choices=ReturnRequest.Kind.choices,
        widget=forms.RadioSelect,
        initial=ReturnRequest.Kind.REFUND,
        error_messages={"required": _("Choose a refund or an exchange.")},
    )

    def __init__(self, *args, returnable=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.returnable = list(returnable)
        quantity_fields = {}
        for line, most in self.returnable:
            quantity_fields[f"qty_{line.pk}"] = forms.TypedChoiceField(
                label=_("How many %(name)s to return") % {"name": line.product_name},
                coerce=int,
                initial=0,
                choices=[(n, str(n)) for n in range(most + 1)],
                error_messages={"invalid_choice": _("Choose how many to return, up to %(n)d.") % {"n": most}},
            )
        self.fields = {**quantity_fields, **self.fields}

    def quantity_fields(self) -> list:
        return [self[name] for name in self.fields if name.startswith("qty_")]

    def quantities(self) -> dict[int, int]:
        return {
            int(name[4:]): value
            for name, value in self.cleaned_data.items()
            if name.startswith("qty_") and value
        }

    def clean(self) -> dict:
        data = cast("dict[str, Any]", super().clean())  # Form.clean returns cleaned_data
        if not self.errors and not self.quantities():
            first = next(iter(self.fields), None)
            if first:
                self.add_error(first, _("Choose at least one item to return."))
        if data.get("reason") == ReturnRequest.Reason.OTHER and not (data.get("detail") or "").strip():
            self.add_error("detail", _("Tell us briefly why you are returning the items."))
        return data


class TrackingForm(forms.Form):
    tracking_code = forms.CharField(
        label=_("Tracking code"),
        max_length=40,
        help_text=_("On the receipt you got when you handed the parcel over."),
        error_messages={"required": _("Enter the tracking code from your receipt.")},
    )
