"""How a request gets its edition: `?edition=` (this visit), then the cookie, then the user's preference.

A link can change what this visit shows, nothing more: `?edition=` sets a browser-session cookie and never the
account (issue 11 #6: a cross-site GET must not rewrite a shopper's stored preferences). Saving the choice (a
lasting cookie and, signed in, `User.preferred_edition`) is `save_choice`, called only by the switcher's
CSRF-protected POST (editions.views.switcher).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from . import registry

COOKIE_NAME = "edition"
COOKIE_MAX_AGE = 365 * 24 * 3600


def resolve(request: HttpRequest) -> tuple[registry.Edition, bool]:
    """The request's edition, and whether it was chosen just now by `?edition=` (remembered for the visit)."""
    chosen = registry.get(request.GET.get("edition"))
    if chosen:
        return chosen, True
    from_cookie = registry.get(request.COOKIES.get(COOKIE_NAME))
    if from_cookie:
        return from_cookie, False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        preferred = registry.get(getattr(user, "preferred_edition", ""))
        if preferred:
            return preferred, False
    return registry.DEFAULT, False


def _set_cookie(request: HttpRequest, response: HttpResponse, edition: registry.Edition,
                max_age: int | None) -> None:
    response.set_cookie(COOKIE_NAME, edition.slug, max_age=max_age, samesite="Lax", httponly=True,
                        secure=request.is_secure())


def remember_for_visit(request: HttpRequest, response: HttpResponse, edition: registry.Edition) -> None:
    """A `?edition=` link: a cookie that ends with the browser session; the account is not touched."""
    _set_cookie(request, response, edition, None)


def save_choice(request: HttpRequest, response: HttpResponse, edition: registry.Edition) -> None:
    """The shopper chose on the switcher (POST): a lasting cookie and, signed in, their preference."""
    _set_cookie(request, response, edition, COOKIE_MAX_AGE)
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and getattr(user, "preferred_edition", None) != edition.slug:
        user.preferred_edition = edition.slug
        user.save(update_fields=["preferred_edition"])
