"""Choosing an edition, currency or destination (issue 11 #6): a link (GET ?edition= / ?currency= / ?country=)
changes only this visit; the account preference is saved only by the switcher's POST forms, behind CSRF."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from editions import resolution

CROSS_SITE = "/?currency=KRW&edition=elder&country=KR"


@pytest.fixture
def settled_user(make_user):
    return make_user("carol", preferred_edition="standard", preferred_currency="EUR", preferred_country="DE")


def stored(user) -> tuple[str, str, str]:
    user.refresh_from_db()
    return user.preferred_edition, user.preferred_currency, user.preferred_country


def test_a_cross_site_get_changes_this_visit_but_not_the_account(client, settled_user, assert_edition_page):
    client.force_login(settled_user)
    response = client.get(CROSS_SITE, HTTP_REFERER="https://elsewhere.example/")
    assert response.status_code == 200
    html = assert_edition_page(response, "elder")  # the visit shows what the link asked for
    assert '<option value="KRW" selected>' in html
    assert stored(settled_user) == ("standard", "EUR", "DE")
    # ...for the rest of this visit only: browser-session cookies, no max-age
    for name in ("edition", "currency", "country"):
        assert response.cookies[name]["max-age"] == "" and not response.cookies[name]["expires"]
    assert_edition_page(client.get("/"), "elder")


def test_a_new_visit_gets_the_account_preference_back(settled_user, assert_edition_page):
    first = Client()
    first.force_login(settled_user)
    first.get(CROSS_SITE)
    later = Client()  # the browser was closed: session cookies gone
    later.force_login(settled_user)
    html = assert_edition_page(later.get("/"), "standard")
    assert '<option value="EUR" selected>' in html


def test_an_anonymous_link_sets_nothing_lasting(client, db):
    response = client.get("/?edition=elder&currency=KRW")
    assert response.cookies["edition"]["max-age"] == "" and response.cookies["currency"]["max-age"] == ""


def test_the_switcher_post_saves_the_edition(client, settled_user, assert_edition_page):
    client.force_login(settled_user)
    response = client.post("/editions/", {"edition": "elder", "next": "/search/?q=milk&edition=standard"})
    assert response.status_code == 302 and response["Location"] == "/search/?q=milk"
    assert stored(settled_user)[0] == "elder"
    assert int(response.cookies["edition"]["max-age"]) == resolution.COOKIE_MAX_AGE
    assert_edition_page(client.get("/"), "elder")


def test_the_switcher_post_remembers_an_anonymous_choice_in_a_lasting_cookie(client, db):
    response = client.post("/editions/", {"edition": "screen-reader", "next": "/"})
    assert response.status_code == 302
    assert response.cookies["edition"].value == "screen-reader"
    assert int(response.cookies["edition"]["max-age"]) == resolution.COOKIE_MAX_AGE


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/", "", "javascript:alert(1)"])
def test_the_switcher_never_redirects_off_site(client, db, next_url):
    response = client.post("/editions/", {"edition": "elder", "next": next_url})
    assert response.status_code == 302 and response["Location"] == "/editions/"


@pytest.mark.parametrize("value", ["", "bogus", "ELDER\x01", "e" * 5000])
def test_an_unknown_edition_is_refused_and_nothing_saved(client, settled_user, value):
    client.force_login(settled_user)
    response = client.post("/editions/", {"edition": value, "next": "/"})
    assert response.status_code == 400
    assert "edition" not in response.cookies
    assert stored(settled_user)[0] == "standard"


def test_the_switcher_post_needs_the_csrf_token(settled_user):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(settled_user)
    refused = browser.post("/editions/", {"edition": "elder", "next": "/"})
    assert refused.status_code == 403
    assert stored(settled_user)[0] == "standard"
    page = browser.get("/editions/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    accepted = browser.post("/editions/", {"edition": "elder", "next": "/", "csrfmiddlewaretoken": token})
    assert accepted.status_code == 302 and stored(settled_user)[0] == "elder"


@pytest.mark.parametrize("path", ["/", "/editions/"])
def test_the_switchers_are_post_forms_with_a_token_and_buttons(client, db, path):
    html = client.get(path).content.decode()
    forms = re.findall(r'<form[^>]*action="/editions/"[^>]*>.*?</form>', html, flags=re.S)
    assert forms, "no edition switcher form"
    for form in forms:
        assert 'method="post"' in form and 'name="csrfmiddlewaretoken"' in form
        assert '<button type="submit" name="edition" value="elder"' in form
    assert "?edition=" not in html  # no link that would only look like a lasting choice


def test_the_header_switcher_returns_to_the_same_page_without_the_param(client, db):
    html = client.get("/search/?q=milk&edition=elder").content.decode()
    form = re.search(r'<form[^>]*action="/editions/"[^>]*>.*?</form>', html, flags=re.S).group(0)
    assert '<input type="hidden" name="next" value="/search/?q=milk">' in form
