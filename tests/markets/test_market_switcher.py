"""The market bar's currency and destination forms (issue 11 #6): a POST to /market/ saves the choice (lasting
cookie and, signed in, the account preference); a GET parameter changes only the visit; CSRF is enforced."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from storefront.markets import choices


@pytest.fixture
def settled_user(make_user):
    return make_user("dave", preferred_currency="EUR", preferred_country="DE")


def stored(user) -> tuple[str, str]:
    user.refresh_from_db()
    return user.preferred_currency, user.preferred_country


def test_get_params_do_not_touch_the_account(client, settled_user):
    client.force_login(settled_user)
    html = client.get("/?currency=KRW&country=KR&edition=cross-border").content.decode()
    assert '<option value="KRW" selected>' in html and '<option value="KR" selected>' in html
    assert stored(settled_user) == ("EUR", "DE")


def test_post_saves_the_currency(client, settled_user):
    client.force_login(settled_user)
    response = client.post("/market/", {"currency": "krw", "next": "/search/?q=apple"})
    assert response.status_code == 302 and response["Location"] == "/search/?q=apple"
    assert stored(settled_user) == ("KRW", "DE")
    assert response.cookies["currency"].value == "KRW"
    assert int(response.cookies["currency"]["max-age"]) == choices.COOKIE_MAX_AGE
    assert '<option value="KRW" selected>' in client.get("/").content.decode()


def test_post_saves_the_destination(client, settled_user):
    client.force_login(settled_user)
    response = client.post("/market/", {"country": "KR", "next": "/"})
    assert response.status_code == 302
    assert stored(settled_user) == ("EUR", "KR")


def test_an_anonymous_choice_lasts_in_a_cookie(client, db):
    response = client.post("/market/", {"currency": "CNY", "next": "/"})
    assert response.status_code == 302
    assert int(response.cookies["currency"]["max-age"]) == choices.COOKIE_MAX_AGE


@pytest.mark.parametrize(
    "data",
    [
        {"currency": "BTC"},
        {"country": "ZZ"},
        {},
        {"currency": "K" * 3000},
        {"currency": "KRW", "country": "ZZ"},
    ],
)
def test_unknown_codes_are_refused_and_nothing_saved(client, settled_user, data):
    client.force_login(settled_user)
    response = client.post("/market/", {**data, "next": "/"})
    assert response.status_code == 400
    assert "currency" not in response.cookies and "country" not in response.cookies
    assert stored(settled_user) == ("EUR", "DE")


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/x", ""])
def test_never_redirects_off_site(client, db, next_url):
    response = client.post("/market/", {"currency": "KRW", "next": next_url})
    assert response.status_code == 302 and response["Location"] == "/"


def test_get_is_not_allowed(client, db):
    assert client.get("/market/?currency=KRW").status_code == 405


def test_the_post_needs_the_csrf_token(settled_user):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(settled_user)
    assert browser.post("/market/", {"currency": "KRW", "next": "/"}).status_code == 403
    assert stored(settled_user) == ("EUR", "DE")
    page = browser.get("/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    accepted = browser.post("/market/", {"currency": "KRW", "next": "/", "csrfmiddlewaretoken": token})
    assert accepted.status_code == 302 and stored(settled_user) == ("KRW", "DE")


def test_the_market_bar_forms_post_with_a_token(client, db):
    html = client.get("/search/?q=apple&page=2&edition=cross-border").content.decode()
    forms = re.findall(r'<form class="market-form"[^>]*action="/market/"[^>]*>.*?</form>', html, flags=re.S)
    assert len(forms) == 2  # currency, and destination in the cross-border edition
    for form in forms:
        assert 'method="post"' in form and 'name="csrfmiddlewaretoken"' in form
        # back to the same listing, from its first page
        assert '<input type="hidden" name="next" value="/search/?q=apple&amp;edition=cross-border">' in form
