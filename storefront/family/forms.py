"""Family payment forms: inviting (from either side), naming the other person, asking, the payer's answer,
and preparing a basket ("Help me shop")."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from storefront.accounts.forms import CardForm

from .models import Relation


def relation_field(label) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        required=False,
        choices=[("", _("Just their name"))] + list(Relation.choices),
        error_messages={"invalid_choice": _("Choose from the list.")},
    )


def note_field() -> forms.CharField:
    """The optional note to the other side of a family link (requests, checkout asks, baskets)."""
    return forms.CharField(
        label=_("A note for them"),
        required=False,
        max_length=250,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": _("Keep the note to 250 characters or fewer.")},
    )


EMAIL_ERRORS = {"invalid": _("Enter an email address like name@example.com.")}


class InviteForm(forms.Form):
    """The payer offers to pay for someone."""

    relation = relation_field(_("What are they to you?"))
    email = forms.EmailField(
        label=_("Their email address"),
        required=False,
        help_text=_("We email them the invitation link. Or leave this empty and share the link yourself."),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
        error_messages=EMAIL_ERRORS,
    )


class HelpRequestForm(forms.Form):
    """ "Ask a family member to help me": the beneficiary starts the link."""

    prefix = "help"

    relation = relation_field(_("Who will help you?"))
    email = forms.EmailField(
        label=_("Their email address"),
        required=False,
        help_text=_(
            "We email them the link. Or leave this empty: you get a link and a "
            "short code to give them yourself."
        ),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
        error_messages=EMAIL_ERRORS,
    )


class ShareCodeForm(forms.Form):
    prefix = "code"

    code = forms.CharField(
        label=_("Code from a family member"),
        max_length=12,
        help_text=_("8 letters and digits, like K7PM-4QXD."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
        error_messages={"required": _("Enter the code you were given.")},
    )


class AcceptForm(forms.Form):
    relation = relation_field(_("What are they to you?"))


class RelationForm(forms.Form):
    relation = relation_field(_("What are they to you?"))


class BasketForm(forms.Form):
    """The payer prepares a basket for the person they pay for, from their own cart."""

    note = note_field()


class AskForm(forms.Form):
    note = note_field()


class ApproveForm(forms.Form):
    method = forms.ChoiceField(
        label=_("Pay with"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose which of your cards to pay with."),
            "invalid_choice": _("Choose which of your cards to pay with."),
        },
    )

    def __init__(self, *args, methods=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["method"]).choices = [(str(m.pk), m.label) for m in methods]
        default = next((m for m in methods if m.is_default), methods[0] if methods else None)
        if default is not None and not self.is_bound:
            self.initial["method"] = str(default.pk)


class DeclineForm(forms.Form):
    message = forms.CharField(
        label=_("Message for them"),
        required=False,
        max_length=250,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": _("Keep the message to 250 characters or fewer.")},
    )


class CategoryChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.display_name


class AllowanceForm(forms.Form):
    monthly_limit = forms.DecimalField(
        label=_("Monthly allowance"),
        required=False,
        min_value=0,
        max_digits=10,
        decimal_places=2,
        help_text=_(
            "Requests up to this total each calendar month are paid at once from your default card, "
            "and the total starts again on the 1st. Leave empty for no allowance: you answer every "
            "request."
        ),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        error_messages={
            "invalid": _("Enter an amount, like 50 or 49.99."),
            "min_value": _("Enter an amount of 0 or more."),
            "max_decimal_places": _("Use at most 2 digits after the decimal point."),
            "max_digits": _("Enter a smaller amount."),
        },
    )
    excluded_categories = CategoryChoices(
        label=_("Always ask me first for"), required=False, queryset=None, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, **kwargs) -> None:
        from storefront.catalog.models import Category

        super().__init__(*args, **kwargs)
        cast(
            forms.ModelMultipleChoiceField, self.fields["excluded_categories"]
        ).queryset = Category.objects.all()


KEY_FIELD: dict[str, Any] = dict(regex=r"^[A-Za-z0-9-]{16,64}$", widget=forms.HiddenInput)


class ProductAskForm(forms.Form):
    """ "Ask my family to pay" on a product page: one unit of one product, held for 48 hours."""

    product = forms.IntegerField(widget=forms.HiddenInput)
    idempotency_key = forms.RegexField(**KEY_FIELD)


class CheckoutAskForm(forms.Form):
    """ "Ask my family to pay" at checkout, instead of paying: which linked payer, and an optional note."""

    prefix = "family"  # the pay step has its own method and idempotency_key fields

    link = forms.ChoiceField(
        label=_("Who should pay?"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose who you are asking to pay."),
            "invalid_choice": _("Choose who you are asking to pay."),
        },
    )
    note = note_field()
    idempotency_key = forms.RegexField(**KEY_FIELD)

    def __init__(self, *args, links=(), **kwargs) -> None:
        from .services import display_name

        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["link"]).choices = [
            (str(link.pk), link.payer_name or display_name(link.payer)) for link in links
        ]
        if links and not self.is_bound:
            self.initial["link"] = str(links[0].pk)


class FamilyCardForm(CardForm):
    """A card for paying for family: always saved, and made the default (the allowance and baskets charge
    the default card)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["save"]
