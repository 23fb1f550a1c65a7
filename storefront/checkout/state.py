"""What the shopper has chosen so far in checkout, kept in their session as one small typed object.

Checkout writes it; family payment reads it (asking a relative to pay for the cart uses the address chosen in
checkout). Nothing else touches the session key.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest

from storefront.accounts.models import Address

ADDRESS_KEY = "checkout_address_id"


@dataclass(frozen=True)
class CheckoutState:
    address_id: int | None = None

    @classmethod
    def of(cls, request: HttpRequest) -> CheckoutState:
        raw = request.session.get(ADDRESS_KEY)
        return cls(address_id=raw if isinstance(raw, int) else None)

    def with_address(self, address: Address | int) -> CheckoutState:
        return CheckoutState(address_id=address if isinstance(address, int) else address.pk)

    def save(self, request: HttpRequest) -> None:
        request.session[ADDRESS_KEY] = self.address_id

    def address(self, user) -> Address | None:
        """The chosen delivery address, if it still exists and is this shopper's."""
        if self.address_id is None or not getattr(user, "is_authenticated", False):
            return None
        return Address.objects.filter(pk=self.address_id, user=user).first()
