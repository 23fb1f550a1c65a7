"""Languages: a labelled switcher on every edition's pages, Arabic right-to-left, the choice remembered in a
cookie and for signed-in shoppers, Accept-Language as the default, and unknown codes never an error."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.urls import reverse

from editions import registry
from storefront.markets.middleware import supported_language

SETLANG = "/i18n/setlang/"


def html_tag(response) -> str:
    return re.search(r"<html[^>]*>", response.content.decode()).group(0)


@pytest.mark.parametrize("slug", [e.slug for e in registry.all_editions()])
def test_every_edition_has_a_labelled_language_switcher(client, db, slug):
    response = client.get(f"/?edition={slug}")
    page = response.content.decode()
    form = re.search(r'<form[^>]*action="/i18n/setlang/"[^>]*>(.*?)</form>', page, flags=re.S)
    assert form is not None and 'method="post"' in form.group(0)
    body = form.group(1)
    assert '<label for="market-language">Language</label>' in body
    assert re.search(r'<select id="market-language" name="language">', body)
    assert 'name="csrfmiddlewaretoken"' in body
    assert '<input type="hidden" name="next" value="/?edition=' in body
    assert '<button type="submit">Change language</button>' in body
    for code, native in (("en", "English"), ("zh-hans", "简体中文"), ("ko", "한국어"), ("ar", "العربيّة")):
        assert f'<option value="{code}" lang="{code}"' in body and native in body


def test_switching_language_sets_the_cookie_and_comes_back(client, db):
    response = client.post(SETLANG, {"language": "ko", "next": "/search/?q=apple"})
    assert response.status_code == 302 and response["Location"] == "/search/?q=apple"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ko"
    page = client.get("/")
    assert 'lang="ko"' in html_tag(page)
    assert "오픈 바스켓" in page.content.decode()


@pytest.mark.parametrize(
    ("language", "brand", "direction"),
    [
        ("en", "Open Basket", "ltr"),
        ("zh-hans", "开心菜篮", "ltr"),
        ("ko", "오픈 바스켓", "ltr"),
        ("ar", "السلة المفتوحة", "rtl"),
    ],
)
def test_pages_in_each_language(client, db, language, brand, direction):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get("/?edition=cross-border")
    assert html_tag(response).startswith(f'<html lang="{language}" dir="{direction}"')
    assert brand in response.content.decode()


def test_accept_language_is_the_default(client, db):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="ar-SA,ar;q=0.9,en;q=0.5")
    assert 'lang="ar" dir="rtl"' in html_tag(response)
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9")
    assert 'lang="zh-hans"' in html_tag(response)


@pytest.mark.parametrize(
    ("bad", "shown"),
    [
        ("xx", "en"),
        ("../../etc", "en"),
        ("", "en"),
        ("\x00", "en"),
        ("ko-x-" + "a" * 300, "ko"),
        ("ar-EG-bogus", "ar"),
    ],
)
def test_unknown_languages_fall_back_and_never_fail(client, db, bad, shown):
    """Unknown codes are ignored; a known prefix (ko-..., ar-...) falls back to that language."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = bad
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=bad or "*")
    assert response.status_code == 200
    assert f'lang="{shown}"' in html_tag(response)
    response = client.post(SETLANG, {"language": bad, "next": "/"})
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_a_signed_in_shopper_keeps_their_language(client, user):
    client.force_login(user)
    client.post(SETLANG, {"language": "ar", "next": "/"})
    user.refresh_from_db()
    assert user.preferred_language == "ar"
    # Another browser (no language cookie), same shopper: their language, and the cookie is set for next time.
    other = type(client)()
    other.force_login(user)
    response = other.get("/", HTTP_ACCEPT_LANGUAGE="ko")
    assert 'lang="ar" dir="rtl"' in html_tag(response)
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ar"
    # A cookie on this browser still wins over the stored preference.
    other.cookies[settings.LANGUAGE_COOKIE_NAME] = "ko"
    assert 'lang="ko"' in html_tag(other.get("/"))


def test_switching_while_a_preference_exists_is_not_overwritten(client, user):
    user.preferred_language = "ar"
    user.save()
    client.force_login(user)
    response = client.post(SETLANG, {"language": "zh-hans", "next": "/"})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "zh-hans"
    user.refresh_from_db()
    assert user.preferred_language == "zh-hans"


def test_unknown_language_is_not_stored(client, user):
    client.force_login(user)
    client.post(SETLANG, {"language": "klingon", "next": "/"})
    user.refresh_from_db()
    assert user.preferred_language == ""


def test_anonymous_switch_stores_nothing(client, db):
    response = client.post(SETLANG, {"language": "ko", "next": "/"}, follow=True)
    assert response.redirect_chain == [("/", 302)]
    html = response.content.decode()
    assert '<html lang="ko"' in html  # the page they came back to is in Korean
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ko"  # kept in the visitor's cookie only
    assert settings.SESSION_COOKIE_NAME not in client.cookies


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("ko", "ko"),
        ("zh-Hans", "zh-hans"),
        ("zh-hans", "zh-hans"),
        ("ar", "ar"),
        ("en-GB", "en"),
        ("xx", None),
        ("", None),
        (None, None),
        ("a" * 50, None),
    ],
)
def test_supported_language(code, expected):
    assert supported_language(code) == expected


def test_set_language_url_is_the_contract():
    assert reverse("set_language") == SETLANG


def test_bad_stored_preferences_are_ignored(client, user):
    user.preferred_language, user.preferred_currency, user.preferred_country = "xx-bogus", "BTC", "ZZ"
    user.save()
    client.force_login(user)
    response = client.get("/?edition=cross-border")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'lang="en"' in html_tag(response)
    assert '<option value="USD" selected>' in page and '<option value="US" selected>' in page
