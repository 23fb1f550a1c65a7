"""URL references only match their real shape: a malformed order number, invite code or provider reference is a
404 from the resolver and never reaches the database (a NUL byte there was a 500 on PostgreSQL, issue 11 #5).

These tests run on whatever database DATABASE_URL names: run them on PostgreSQL too.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from storefront import urlconverters
from storefront.checkout.models import new_order_number
from storefront.family.models import new_invite_code

ORDER_URLS = [
    "/orders/{}/",
    "/orders/{}/cancel/",
    "/orders/{}/buy-again/",
    "/orders/{}/return/",
    "/checkout/confirmation/{}/",
    "/checkout/one-click/{}/",
    "/checkout/pay/return/{}/",
]
MALFORMED_ORDER_NUMBERS = [
    "%00",
    "ABCDE%00FGH",
    "ABCDEFGHJK%00",
    "abcdefghjk",
    "ABCDEFGHJ",
    "ABCDEFGHJKL",
    "ABCDEFGHI1",
    "ABCDEFGH0O",
    "ABCDE%20FGH",
    "%E2%80%8BABCDEFGHJ",
    "..",
    "A" * 500,
]
MALFORMED_INVITE_CODES = ["%00", "nope", "a" * 31 + "%00", "a" * 33, "a" * 31 + "!", "a" * 31 + "%20", ".."]
MALFORMED_PROVIDER_REFERENCES = [
    "%00",
    "wal_%00",
    "wal%00nope",
    "wal%20nope",
    "wal.nope",
    "x" * 65,
    "wal_%E2%80%8B",
]


def assert_404(response) -> None:
    assert response.status_code == 404, response.status_code


@pytest.mark.parametrize("url", ORDER_URLS)
@pytest.mark.parametrize("number", MALFORMED_ORDER_NUMBERS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_malformed_order_numbers_are_404(user_client, url, number, method):
    assert_404(getattr(user_client, method)(url.format(number)))


@pytest.mark.parametrize("url", ORDER_URLS)
def test_a_well_formed_but_unknown_order_number_is_still_404(user_client, url):
    assert_404(user_client.post(url.format("ABCDEFGHJK")))  # POST: some of these pages answer only POST


@pytest.mark.parametrize("code", MALFORMED_INVITE_CODES)
@pytest.mark.parametrize("method", ["get", "post"])
def test_malformed_invite_codes_are_404(user_client, code, method):
    assert_404(getattr(user_client, method)(f"/family/join/{code}/"))


@pytest.mark.parametrize("reference", MALFORMED_PROVIDER_REFERENCES)
@pytest.mark.parametrize("method", ["get", "post"])
def test_malformed_provider_references_are_404(client, db, reference, method):
    assert_404(getattr(client, method)(f"/test-provider/{reference}/"))


def test_a_real_order_number_still_resolves(user_client, place, product):
    order = place((product, 1))[0]
    assert reverse("checkout:order", args=[order.number]) == f"/orders/{order.number}/"
    assert user_client.get(f"/orders/{order.number}/").status_code == 200


def test_generated_references_match_their_converters():
    """The converters and the generators agree: every generated value is accepted."""
    import re

    for _ in range(200):
        assert re.fullmatch(urlconverters.OrderNumberConverter.regex, new_order_number())
        assert re.fullmatch(urlconverters.InviteCodeConverter.regex, new_invite_code())
    assert re.fullmatch(urlconverters.ProviderReferenceConverter.regex, "wal_" + "0a" * 12)


def test_reverse_refuses_a_malformed_reference():
    from django.urls import NoReverseMatch

    with pytest.raises(NoReverseMatch):
        reverse("checkout:order", args=["bad\x00"])
