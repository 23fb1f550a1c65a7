"""Checkout state (issue 11): one typed object in the session, read by checkout and family alike."""

from __future__ import annotations

from django.test import RequestFactory

from storefront.checkout.state import ADDRESS_KEY, CheckoutState


def request_with(session: dict, user):
    request = RequestFactory().get("/")
    request.session = session
    request.user = user
    return request


def test_the_chosen_address_round_trips_and_belongs_to_the_shopper(address, user, other_user, make_address):
    request = request_with({}, user)
    assert CheckoutState.of(request).address(user) is None
    CheckoutState.of(request).with_address(address).save(request)
    assert request.session[ADDRESS_KEY] == address.pk
    assert CheckoutState.of(request).address(user) == address
    theirs = make_address(other_user)
    CheckoutState().with_address(theirs).save(request)
    assert CheckoutState.of(request).address(user) is None  # never another shopper's address


def test_a_tampered_session_value_is_ignored(db, user):
    request = request_with({ADDRESS_KEY: "1 OR 1=1"}, user)
    assert CheckoutState.of(request) == CheckoutState(address_id=None)
