"""Checkout forms: choosing a delivery address, choosing how to pay, asking for a return."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ReturnRequest


class ChooseAddressForm(forms.Form):
    address = forms.TypedChoiceField(label=_("Deliver to"), coerce=int, widget=forms.RadioSelect,
                                     error_messages={"required": _("Choose where to deliver your order.")})

    def __init__(self, *args, addresses=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["address"].choices = [(a.pk, ", ".join(a.lines())) for a in addresses]


class ChoosePaymentForm(forms.Form):
    method = forms.ChoiceField(label=_("Pay with"), widget=forms.RadioSelect,
                               error_messages={"required": _("Choose how to pay.")})
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, methods=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["method"].choices = [(str(m.pk), m.label) for m in methods] + [("new", _("A new card"))]


class ReturnForm(forms.ModelForm):
    class Meta:
        model = ReturnRequest
        fields = ["reason"]
        labels = {"reason": _("Why are you returning this order?")}
        error_messages = {"reason": {"required": _("Tell us briefly why you are returning the order.")}}
        widgets = {"reason": forms.Textarea(attrs={"rows": 3})}
