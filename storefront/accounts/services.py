"""Account rules shared by every app: saving a card token, which card and which address is the default, and
adding an address (the first one, or one added while none is the default, becomes the default)."""

from __future__ import annotations

from typing import Protocol

from django.db import transaction

from .models import Address, SavedPaymentMethod


class CardTokenLike(Protocol):
    """What a gateway's card token carries (read-only: tokens are frozen dataclasses)."""

    @property
    def token(self) -> str: ...
    @property
    def brand(self) -> str: ...
    @property
    def last4(self) -> str: ...
    @property
    def exp_month(self) -> int: ...
    @property
    def exp_year(self) -> int: ...


def save_card(user, card: CardTokenLike, *, make_default: bool = False) -> SavedPaymentMethod:
    """Keep a gateway token for the shopper. It becomes the default when asked, or when it is their first card.

    Checkout calls this only after a successful charge: a declined card is never offered again. Saving the same
    token twice (a resent form) keeps one row."""
    with transaction.atomic():
        first = not SavedPaymentMethod.objects.select_for_update().filter(user=user).exists()
        if make_default:
            SavedPaymentMethod.objects.filter(user=user).update(is_default=False)
        method, _created = SavedPaymentMethod.objects.get_or_create(
            token=card.token,
            defaults={
                "user": user,
                "brand": card.brand,
                "last4": card.last4,
                "exp_month": card.exp_month,
                "exp_year": card.exp_year,
                "is_default": make_default or first,
            },
        )
    return method


def default_card(user) -> SavedPaymentMethod | None:
    """The user's default saved card, or None (also for an anonymous visitor)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return SavedPaymentMethod.objects.filter(user=user, is_default=True).first()


def set_default_card(user, method: SavedPaymentMethod) -> None:
    """Make one of the user's cards the default (the only one)."""
    with transaction.atomic():
        SavedPaymentMethod.objects.filter(user=user).exclude(pk=method.pk).update(is_default=False)
        SavedPaymentMethod.objects.filter(pk=method.pk, user=user).update(is_default=True)
    method.is_default = True


def default_address(user) -> Address | None:
    """The user's default address, or None (also for an anonymous visitor)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Address.objects.filter(user=user, is_default=True).first()


def set_default_address(user, address: Address) -> None:
    """Make one of the user's addresses the default (the only one)."""
    with transaction.atomic():
        Address.objects.filter(user=user).exclude(pk=address.pk).update(is_default=False)
        Address.objects.filter(pk=address.pk, user=user).update(is_default=True)
    address.is_default = True


def add_address(user, address: Address) -> Address:
    """Save a new address for the user: the default when they have none (one-click buying and "Ask my family to
    pay" need a default, and the page that sent the shopper here asked for one)."""
    address.user = user
    address.is_default = not Address.objects.filter(user=user, is_default=True).exists()
    address.save()
    return address
