"""The sandbox wallet provider's page (storefront/sandbox/views.py): only its own references, one settlement,
and back only to this site's return URL."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from storefront.sandbox.models import SandboxWalletCharge

Status = SandboxWalletCharge.Status


@pytest.fixture
def charge(db):
    def make(return_url: str = "/checkout/pay/return/OB-1/") -> SandboxWalletCharge:
        return SandboxWalletCharge.objects.create(
            idempotency_key="k1",
            reference="wal_0123abcd",
            method="kakaopay",
            amount=Decimal("12000"),
            currency="KRW",
            description="Order OB-1",
            return_url=return_url,
        )

    return make


def page(charge: SandboxWalletCharge) -> str:
    return reverse("sandbox:provider", args=[charge.reference])


def test_unknown_provider_page_is_404(client, db):
    assert client.get(reverse("sandbox:provider", args=["wal_nope"])).status_code == 404


@pytest.mark.parametrize("reference", ["%00", "wal_0123abcd%00", "wal%20x", "..%2Fadmin", "wal_0123abcd%2F"])
def test_malformed_references_are_404(client, charge, reference):
    charge()
    assert client.get(f"/test-provider/{reference}/").status_code == 404


def test_the_page_shows_the_amount_and_the_three_endings(client, charge):
    html = client.get(page(charge())).content.decode()
    assert "Kakao Pay test payment page" in html and "Order OB-1" in html
    for label in ("Confirm payment", "Payment fails", "Cancel"):
        assert label in html


def test_a_choice_settles_once_and_goes_back_to_the_shop(client, charge):
    wallet = charge()
    response = client.post(page(wallet), {"outcome": "confirm"})
    assert response.status_code == 302 and response["Location"] == "/checkout/pay/return/OB-1/"
    client.post(page(wallet), {"outcome": "cancel"})  # too late: the payment is finished
    wallet.refresh_from_db()
    assert wallet.status == Status.SUCCEEDED and wallet.settled_at is not None


def test_an_unknown_choice_changes_nothing(client, charge):
    wallet = charge()
    assert client.post(page(wallet), {"outcome": "refund-me"}).status_code == 400
    wallet.refresh_from_db()
    assert wallet.status == Status.PENDING


def test_never_sends_the_shopper_to_another_site(client, charge):
    wallet = charge(return_url="https://evil.example/steal")
    response = client.post(page(wallet), {"outcome": "fail"})
    assert response.status_code == 302 and response["Location"] == "/"
