"""URL path converters for the shop's opaque references, registered once for every urls.py.

Each converter matches only the shape its generator produces, so a malformed reference (a NUL byte, another
alphabet, a wrong length) is a 404 from the resolver and never reaches a view or the database. Import this module
in a urls.py before using the converter names (`<order_number:number>`, `<invite_code:code>`,
`<provider_ref:reference>`); registration happens on the first import only.
"""

from __future__ import annotations

from django.urls import register_converter


class _Token:
    regex: str

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return str(value)


class OrderNumberConverter(_Token):
    """checkout.models.new_order_number: 10 characters without 0/O or 1/I."""

    regex = "[ABCDEFGHJKLMNPQRSTUVWXYZ23456789]{10}"


class InviteCodeConverter(_Token):
    """family.models.new_invite_code: secrets.token_urlsafe(24), 32 URL-safe base64 characters."""

    regex = "[A-Za-z0-9_-]{32}"


class ProviderReferenceConverter(_Token):
    """A payment provider's reference (the test wallets' `wal_` + 24 hex). The provider, not the shop, chooses
    its format, so this accepts the token alphabet up to the column's length (64) rather than one provider's
    pattern."""

    regex = "[A-Za-z0-9_-]{1,64}"


register_converter(OrderNumberConverter, "order_number")
register_converter(InviteCodeConverter, "invite_code")
register_converter(ProviderReferenceConverter, "provider_ref")
