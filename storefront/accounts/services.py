"""Account rules shared by every app: saving a card token (and which card is the default)."""

from __future__ import annotations

from typing import Protocol

from django.db import transaction

from .models import SavedPaymentMethod


class CardTokenLike(Protocol):
    token: str
    brand: str
    last4: str
    exp_month: int
    exp_year: int


def save_card(user, card: CardTokenLike, *, make_default: bool = False) -> SavedPaymentMethod:
    """Keep a gateway token for the shopper. It becomes the default when asked, or when it is their first card.

    Checkout calls this only after a successful charge: a declined card is never offered again. Saving the same
    token twice (a resent form) keeps one row."""
    with transaction.atomic():
        first = not SavedPaymentMethod.objects.select_for_update().filter(user=user).exists()
        if make_default:
            SavedPaymentMethod.objects.filter(user=user).update(is_default=False)
        method, _created = SavedPaymentMethod.objects.get_or_create(token=card.token, defaults={
            "user": user, "brand": card.brand, "last4": card.last4, "exp_month": card.exp_month,
            "exp_year": card.exp_year, "is_default": make_default or first})
    return method
