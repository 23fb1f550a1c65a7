"""The request's currency and destination: ?param (this visit), cookie, the shopper's preference, default."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse

from storefront.markets import choices
from storefront.markets.middleware import MarketMiddleware


def make_request(rf, query: str = "", cookies: dict | None = None, user=None):
    request = rf.get(f"/?{query}")
    request.COOKIES.update(cookies or {})
    request.user = user or AnonymousUser()
    return request


def test_default(rf):
    assert choices.resolve_currency(make_request(rf)) == ("USD", False)
    assert choices.resolve_country(make_request(rf)) == ("US", False)


def test_param_wins_and_is_case_insensitive(rf):
    request = make_request(rf, "currency=krw&country=kr", {"currency": "EUR"})
    assert choices.resolve_currency(request) == ("KRW", True)
    assert choices.resolve_country(request) == ("KR", True)


def test_cookie_then_user_preference(rf, user):
    user.preferred_currency = "CNY"
    request = make_request(rf, cookies={"currency": "eur"}, user=user)
    assert choices.resolve_currency(request) == ("EUR", False)
    assert choices.resolve_currency(make_request(rf, user=user)) == ("CNY", False)


@pytest.mark.parametrize("query", ["currency=XXX", "currency=", "currency=usd%00", "currency=" + "A" * 5000])
def test_unknown_values_are_ignored(rf, query):
    assert choices.resolve_currency(make_request(rf, query, {"currency": "BTC"})) == ("USD", False)


def test_middleware_keeps_a_param_for_the_visit_and_never_saves_the_preference(rf, user):
    request = make_request(rf, "currency=KRW&country=DE", user=user)
    response = MarketMiddleware(lambda r: HttpResponse())(request)
    assert (request.currency, request.country) == ("KRW", "DE")
    assert response.cookies["currency"].value == "KRW"
    assert response.cookies["currency"]["httponly"] and response.cookies["currency"]["max-age"] == ""
    user.refresh_from_db()
    assert (user.preferred_currency, user.preferred_country) == ("", "")


def test_middleware_sets_no_cookie_without_a_choice(rf):
    request = make_request(rf, cookies={"currency": "EUR"})
    response = MarketMiddleware(lambda r: HttpResponse())(request)
    assert request.currency == "EUR"
    assert "currency" not in response.cookies
