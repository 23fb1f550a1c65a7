"""Checkout forms: choosing a delivery address, choosing how to pay, asking for a return."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from storefront.markets import payment_methods
from storefront.markets.choices import country_name

from .models import ReturnRequest


class ChooseAddressForm(forms.Form):
    address = forms.TypedChoiceField(label=_("Deliver to"), coerce=int, widget=forms.RadioSelect,
                                     error_messages={"required": _("Choose where to deliver your order.")})

    def __init__(self, *args, addresses=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["address"].choices = [(a.pk, ", ".join(a.lines())) for a in addresses]


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

    method = PaymentMethodField(label=_("Pay with"), widget=forms.RadioSelect, error_messages={
        "required": _("Choose how to pay."), "invalid_choice": _("Choose one of the ways to pay shown.")})
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, methods=(), local_methods=(), cards: bool = True, country: str = "",
                 **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices = ([(str(m.pk), m.label) for m in methods] + [("new", _("A new card"))]) if cards else []
        self.fields["method"].choices = choices + [(m.code, m.name) for m in local_methods]
        self.fields["method"].country = country
        self.fields["method"].help_text = " ".join(
            _("With %(method)s, you approve the payment on the %(method)s page, then come back here.")
            % {"method": m.name} for m in local_methods)


class ReturnForm(forms.ModelForm):
    class Meta:
        model = ReturnRequest
        fields = ["reason"]
        labels = {"reason": _("Why are you returning this order?")}
        error_messages = {"reason": {"required": _("Tell us briefly why you are returning the order.")}}
        widgets = {"reason": forms.Textarea(attrs={"rows": 3})}
