"""A request's edition: ?edition= (for the visit), cookie, user preference, default; unknown slugs ignored."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse

from editions import registry, resolution
from editions.middleware import EditionMiddleware


def make_request(rf, query: str = "", cookie: str | None = None, user=None):
    request = rf.get(f"/?{query}")
    if cookie is not None:
        request.COOKIES[resolution.COOKIE_NAME] = cookie
    request.user = user or AnonymousUser()
    return request


def test_default_is_standard(rf):
    assert resolution.resolve(make_request(rf)) == (registry.STANDARD, False)


def test_param_beats_cookie_and_preference(rf, user):
    user.preferred_edition = "screen-reader"
    request = make_request(rf, "edition=elder", cookie="cross-border", user=user)
    assert resolution.resolve(request) == (registry.ELDER, True)


def test_cookie_beats_preference(rf, user):
    user.preferred_edition = "screen-reader"
    request = make_request(rf, cookie="cross-border", user=user)
    assert resolution.resolve(request) == (registry.CROSS_BORDER, False)


def test_preference_beats_default(rf, user):
    user.preferred_edition = "elder"
    assert resolution.resolve(make_request(rf, user=user)) == (registry.ELDER, False)


def test_anonymous_preference_is_not_consulted(rf):
    request = make_request(rf)
    request.user.preferred_edition = "elder"  # AnonymousUser is not authenticated
    assert resolution.resolve(request)[0] == registry.STANDARD


@pytest.mark.parametrize("slug", ["nope", "", "ELDER ", "../elder", "<script>", "e" * 10_000, "elder\x00"])
def test_unknown_or_odd_slugs(rf, slug):
    edition, chosen = resolution.resolve(make_request(rf, f"edition={slug}"))
    if slug.strip().lower() == "elder":
        assert (edition, chosen) == (registry.ELDER, True)  # case and spaces are forgiven
    else:
        assert (edition, chosen) == (registry.STANDARD, False)


def test_unknown_param_falls_through_to_cookie(rf):
    assert resolution.resolve(make_request(rf, "edition=bogus", cookie="elder")) == (registry.ELDER, False)


def test_unknown_cookie_and_preference_fall_back_to_default(rf, user):
    user.preferred_edition = "retired-edition"
    assert resolution.resolve(make_request(rf, cookie="bogus", user=user)) == (registry.STANDARD, False)


def test_repeated_param_uses_the_last_value(rf):
    request = make_request(rf, "edition=elder&edition=screen-reader")
    assert resolution.resolve(request)[0] == registry.SCREEN_READER


def test_middleware_keeps_param_for_the_visit_and_never_saves_the_preference(rf, user):
    request = make_request(rf, "edition=elder", user=user)
    response = EditionMiddleware(lambda r: HttpResponse())(request)
    assert request.edition == registry.ELDER
    cookie = response.cookies[resolution.COOKIE_NAME]
    assert cookie.value == "elder"
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert cookie["max-age"] == ""  # a browser-session cookie: this visit only
    user.refresh_from_db()
    assert user.preferred_edition == ""
    assert "Cookie" in response["Vary"]


def test_middleware_does_not_set_cookie_without_param(rf):
    request = make_request(rf, cookie="elder")
    response = EditionMiddleware(lambda r: HttpResponse())(request)
    assert request.edition == registry.ELDER
    assert resolution.COOKIE_NAME not in response.cookies


def test_unknown_param_sets_nothing(rf, user):
    request = make_request(rf, "edition=bogus", user=user)
    response = EditionMiddleware(lambda r: HttpResponse())(request)
    assert request.edition == registry.STANDARD
    assert resolution.COOKIE_NAME not in response.cookies
    user.refresh_from_db()
    assert user.preferred_edition == ""
