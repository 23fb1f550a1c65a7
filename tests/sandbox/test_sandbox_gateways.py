"""The sandbox gateways (storefront/sandbox/card.py, wallets.py): tokenising keeps no card number; charges,
wallet payments and refunds are idempotent per key."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection

from storefront.accounts.models import SavedPaymentMethod
from storefront.checkout.gateways.base import (
    CardDetails,
    CardInvalid,
    ChargeRequest,
    GatewayTimeout,
    Outcome,
    PaymentDeclined,
    PaymentError,
)
from storefront.checkout.models import Payment
from storefront.sandbox import models as sandbox_models
from storefront.sandbox import wallets as sandbox_wallets
from storefront.sandbox.card import SandboxCardGateway, card_brand, luhn_ok
from storefront.sandbox.wallets import SandboxWalletGateway

NEXT_YEAR = date.today().year + 1
CARDS = [
    "4242424242424242",
    "5555555555554444",
    "4000000000000002",
    "4000000000009995",
    "4000000000000119",
    "4000000000003220",
]


def card(number: str, month: int = 12, year: int = NEXT_YEAR, cvc: str = "123") -> CardDetails:
    return CardDetails(number, month, year, cvc)


def all_stored_text() -> str:
    """Every value of every column of every table: the card number must appear nowhere."""
    chunks = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 (table names come from introspection)
            chunks.extend(str(value) for row in cursor.fetchall() for value in row)
    return "\n".join(chunks)


@pytest.mark.parametrize("number", CARDS)
def test_tokenise_never_stores_the_number(db, number):
    spaced = " ".join(number[i : i + 4] for i in range(0, 16, 4))  # as typed: "4242 4242 4242 4242"
    token = SandboxCardGateway().tokenize(card(spaced))
    assert token.last4 == number[-4:]
    assert token.token.startswith("tok_") and number not in token.token
    stored = sandbox_models.SandboxCard.objects.get(token=token.token)
    fields = sandbox_models.SandboxCard._meta.fields
    assert number not in "|".join(str(getattr(stored, f.attname)) for f in fields)
    assert number[:12] not in all_stored_text()


def test_checkout_with_a_new_card_stores_no_number_anywhere(place, product, tokenize):
    from storefront.checkout import payments

    for number in CARDS:
        order, _ = place((product, 1))
        payments.collect(order, tokenize(number))
    assert Payment.objects.exists()
    everything = all_stored_text()
    for number in CARDS:
        assert number not in everything
        assert number[:12] not in everything  # not even the first 12 digits


def test_saved_methods_hold_only_token_brand_and_last4(make_saved_card, user):
    method = make_saved_card(user, "5555555555554444")
    assert (method.brand, method.last4) == ("Mastercard", "4444")
    assert method.label == "Mastercard ending in 4444"
    assert "5555555555554444" not in str(SavedPaymentMethod.objects.filter(pk=method.pk).values().get())


@pytest.mark.parametrize(
    ("details", "message"),
    [
        (card("4242424242424241"), "valid card number"),  # Luhn fails
        (card("4242"), "valid card number"),
        (card("4242424242424242", month=13), "expired"),
        (card("4242424242424242", year=2001), "expired"),
        (card("4242424242424242", cvc="12"), "security code"),
        (card("4242424242424242", cvc="abc"), "security code"),
    ],
)
def test_invalid_cards_are_refused_before_anything_is_stored(db, details, message):
    with pytest.raises(CardInvalid, match=message):
        SandboxCardGateway().tokenize(details)
    assert not sandbox_models.SandboxCard.objects.exists()


def test_luhn_and_brands():
    assert luhn_ok("4242424242424242") and not luhn_ok("4242424242424243")
    assert card_brand("4242424242424242") == "Visa"
    assert card_brand("2221000000000009") == "Mastercard"
    assert card_brand("378282246310005") == "American Express"
    assert card_brand("6200000000000005") == "UnionPay"


def request_for(token: str, key: str = "k1", amount: str = "10.00") -> ChargeRequest:
    return ChargeRequest(token=token, amount=Decimal(amount), currency="USD", idempotency_key=key)


def test_charge_with_the_same_key_charges_once(tokenize):
    gateway = SandboxCardGateway()
    token = tokenize()
    first = gateway.charge(request_for(token))
    again = gateway.charge(request_for(token))
    assert first == again and first.succeeded
    assert sandbox_models.SandboxCardCharge.objects.count() == 1


@pytest.mark.parametrize(
    ("number", "message"), [("4000000000000002", "declined"), ("4000000000009995", "not enough funds")]
)
def test_declines_raise_and_keep_raising_on_retry(tokenize, number, message):
    gateway = SandboxCardGateway()
    token = tokenize(number)
    for _attempt in range(2):
        with pytest.raises(PaymentDeclined, match=message):
            gateway.charge(request_for(token))
    assert list(sandbox_models.SandboxCardCharge.objects.values_list("succeeded", flat=True)) == [False]


def test_timeout_charges_nothing(tokenize):
    with pytest.raises(GatewayTimeout, match="not been charged"):
        SandboxCardGateway().charge(request_for(tokenize("4000000000000119")))
    assert not sandbox_models.SandboxCardCharge.objects.exists()
    assert SandboxCardGateway().lookup("k1") is None


def test_timeout_after_charge_is_found_by_lookup(tokenize):
    with pytest.raises(GatewayTimeout):
        SandboxCardGateway().charge(request_for(tokenize("4000000000003220")))
    found = SandboxCardGateway().lookup("k1")
    assert found is not None and found.succeeded and found.amount == Decimal("10.00")


def test_unknown_token_is_declined(db):
    with pytest.raises(PaymentDeclined):
        SandboxCardGateway().charge(request_for("tok_forged"))


def test_refund_is_idempotent_and_bounded(tokenize):
    gateway = SandboxCardGateway()
    charge = gateway.charge(request_for(tokenize(), amount="20.00"))
    first = gateway.refund(charge.reference, Decimal("20.00"), "USD", "r1")
    again = gateway.refund(charge.reference, Decimal("20.00"), "USD", "r1")
    assert first == again
    assert sandbox_models.SandboxCardCharge.objects.filter(kind="refund").count() == 1
    with pytest.raises(PaymentDeclined):
        gateway.refund(charge.reference, Decimal("20.01"), "USD", "r2")
    with pytest.raises(PaymentDeclined):
        gateway.refund("ch_unknown", Decimal("1.00"), "USD", "r3")


# --- the sandbox wallet provider (sandbox/wallets.py) -------------------------------------------------------


def wallet_request(key: str = "w1", amount: str = "30.00", currency: str = "CNY") -> ChargeRequest:
    return ChargeRequest("", Decimal(amount), currency, key, "Order W")


def test_wallet_charge_is_settled_once_by_the_provider_page(db):
    gateway = SandboxWalletGateway()
    start = gateway.begin(wallet_request(), "alipay", "http://testserver/back/")
    assert start.url == f"/test-provider/{start.reference}/"
    assert gateway.lookup("w1").outcome is Outcome.PENDING
    sandbox_wallets.settle(start.reference, sandbox_models.SandboxWalletCharge.Status.SUCCEEDED)
    sandbox_wallets.settle(start.reference, sandbox_models.SandboxWalletCharge.Status.DECLINED)  # too late
    result = gateway.lookup("w1")
    assert result.succeeded and (result.amount, result.currency) == (Decimal("30.00"), "CNY")
    assert gateway.cancel("w1").outcome is Outcome.SUCCEEDED  # closing a paid payment does not undo it
    assert gateway.lookup("unknown-key") is None and gateway.cancel("unknown-key") is None


def test_wallet_refund_is_idempotent_and_bounded(db):
    gateway = SandboxWalletGateway()
    start = gateway.begin(wallet_request(), "alipay", "/back/")
    with pytest.raises(PaymentDeclined):  # nothing was paid yet
        gateway.refund(start.reference, Decimal("1.00"), "CNY", "r0")
    sandbox_wallets.settle(start.reference, sandbox_models.SandboxWalletCharge.Status.SUCCEEDED)
    first = gateway.refund(start.reference, Decimal("20.00"), "CNY", "r1")
    assert gateway.refund(start.reference, Decimal("20.00"), "CNY", "r1") == first
    with pytest.raises(PaymentDeclined):  # 20 + 10.01 is more than was paid
        gateway.refund(start.reference, Decimal("10.01"), "CNY", "r2")
    with pytest.raises(PaymentDeclined):
        gateway.refund(start.reference, Decimal("1.00"), "USD", "r3")
    gateway.refund(start.reference, Decimal("10.00"), "CNY", "r4")
    assert sandbox_models.SandboxWalletCharge.objects.filter(kind="refund").count() == 2


def test_wallet_gateway_refuses_methods_it_does_not_serve_and_nothing_to_pay(db):
    gateway = SandboxWalletGateway()
    with pytest.raises(PaymentError):
        gateway.begin(wallet_request(), "card", "/back/")
    with pytest.raises(PaymentDeclined):
        gateway.begin(wallet_request(amount="0"), "alipay", "/back/")
    assert not sandbox_models.SandboxWalletCharge.objects.exists()
