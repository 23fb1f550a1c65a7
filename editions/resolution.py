"""How a request gets its edition: `?edition=` (persisted), then the cookie, then the user's preference."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from . import registry

COOKIE_NAME = "edition"
COOKIE_MAX_AGE = 365 * 24 * 3600


def resolve(request: HttpRequest) -> tuple[registry.Edition, bool]:
    """The request's edition, and whether it was chosen just now by `?edition=` (so it must be persisted)."""
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


def persist(request: HttpRequest, response: HttpResponse, edition: registry.Edition) -> None:
    """Remember a chosen edition in a cookie and, for a signed-in shopper, in their preferences."""
    response.set_cookie(
        COOKIE_NAME, edition.slug, max_age=COOKIE_MAX_AGE, samesite="Lax", httponly=True,
        secure=request.is_secure(),
    )
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and getattr(user, "preferred_edition", None) != edition.slug:
        user.preferred_edition = edition.slug
        user.save(update_fields=["preferred_edition"])
