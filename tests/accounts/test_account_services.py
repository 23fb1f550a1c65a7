"""One home for the account rules other apps use (issue 16): the default card and address, making one the
default, adding an address, and the one `next=` check. The scan at the end keeps the copies from coming back."""

from __future__ import annotations

import re
from pathlib import Path

from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from storefront.accounts import services
from storefront.accounts.models import Address
from storefront.nexturl import is_local_url, safe_next

ROOT = Path(__file__).resolve().parents[2]


def test_default_card_and_address_and_switching_them(user, other_user, make_address, make_saved_card):
    assert (
        services.default_address(AnonymousUser()) is None and services.default_card(AnonymousUser()) is None
    )
    assert services.default_address(user) is None and services.default_card(user) is None
    home, work = make_address(user), make_address(user, street_address="1 Main St")
    make_address(other_user)
    first, second = make_saved_card(user, is_default=True), make_saved_card(user, is_default=False)
    assert services.default_address(user) == home and services.default_card(user) == first
    services.set_default_address(user, work)
    services.set_default_card(user, second)
    assert services.default_address(user) == work and services.default_card(user) == second
    assert list(user.addresses.filter(is_default=True)) == [work]
    assert list(user.payment_methods.filter(is_default=True)) == [second]
    assert services.default_address(other_user).is_default  # the other shopper's default untouched


def test_an_added_address_is_the_default_only_when_there_is_none(user, make_address):
    first = services.add_address(
        user, Address(full_name="A", street_address="1 Main St", city="X", country="US")
    )
    second = services.add_address(
        user, Address(full_name="A", street_address="2 Main St", city="X", country="US")
    )
    assert first.is_default and not second.is_default and first.user == user


def test_safe_next_keeps_local_paths_only():
    factory = RequestFactory()
    for bad in ("https://evil.example/", "//evil.example/x", "javascript:alert(1)", "relative/path", ""):
        assert safe_next(factory.post("/", {"next": bad}), "/fallback") == "/fallback"
    assert safe_next(factory.post("/", {"next": "/cart/?a=1"}), "/f") == "/cart/?a=1"
    assert safe_next(factory.get("/?next=/orders/"), "/f") == "/f"
    assert safe_next(factory.get("/?next=/orders/"), "/f", from_query=True) == "/orders/"
    assert is_local_url(factory.get("/"), "http://testserver/back/") and not is_local_url(
        factory.get("/"), "http://evil.example/"
    )


def test_no_copies_of_the_account_rules_remain():
    """Default-card/address look-ups and next= host checks live in accounts/services.py and nexturl.py only."""
    lookup = re.compile(
        r"(Address|SavedPaymentMethod|payment_methods|addresses)\b[^\n]*is_default=True\)\.first\(\)"
    )
    copies = []
    for path in (ROOT / "storefront").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        name = path.relative_to(ROOT).as_posix()
        if name != "storefront/nexturl.py" and "url_has_allowed_host_and_scheme" in text:
            copies.append(f"{name}: next= check (use storefront.nexturl)")
        if name != "storefront/accounts/services.py" and lookup.search(text):
            copies.append(f"{name}: default look-up (use storefront.accounts.services)")
    assert copies == []
