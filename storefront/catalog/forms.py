"""Catalogue forms: writing a review, asking to hear when a product is back in stock."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Review


class ReviewForm(forms.ModelForm):
    rating = forms.TypedChoiceField(
        label=_("Your rating"),
        coerce=int,
        widget=forms.RadioSelect,
        choices=[
            (5, _("5 stars, excellent")),
            (4, _("4 stars, good")),
            (3, _("3 stars, average")),
            (2, _("2 stars, poor")),
            (1, _("1 star, very poor")),
        ],
        error_messages={"required": _("Choose a rating from 1 to 5 stars.")},
    )

    class Meta:
        model = Review
        fields = ["rating", "title", "body"]
        error_messages = {
            "title": {"required": _("Enter a title for your review.")},
            "body": {
                "required": _("Write your review."),
                "max_length": _("Keep your review under 4,000 characters."),
            },
        }


class StockAlertForm(forms.Form):
    """'Notify me when back in stock': the address to write to (signed-in shoppers with one on file skip it)."""

    email = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": _("Enter your e-mail address."),
            "invalid": _("Enter an e-mail address like name@example.com."),
        },
    )

    def __init__(self, *args, user=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.known_email = user.email if user is not None and user.is_authenticated and user.email else ""
        if self.known_email:
            del self.fields["email"]

    @property
    def address(self) -> str:
        return (self.known_email or self.cleaned_data["email"]).strip().lower()
