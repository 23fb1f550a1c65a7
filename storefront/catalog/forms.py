"""Catalogue forms: writing a review."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Review


class ReviewForm(forms.ModelForm):
    rating = forms.TypedChoiceField(
        label=_("Your rating"), coerce=int, widget=forms.RadioSelect,
        choices=[(5, _("5 stars, excellent")), (4, _("4 stars, good")), (3, _("3 stars, average")),
                 (2, _("2 stars, poor")), (1, _("1 star, very poor"))],
        error_messages={"required": _("Choose a rating from 1 to 5 stars.")},
    )

    class Meta:
        model = Review
        fields = ["rating", "title", "body"]
        error_messages = {
            "title": {"required": _("Enter a title for your review.")},
            "body": {"required": _("Write your review."),
                     "max_length": _("Keep your review under 4,000 characters.")},
        }
