"""How a request gets its edition: `?edition=` (this visit), then the cookie, then the user's preference; the
rules are the shop's one mechanism for visitor choices (storefront.visitor_choices).

Saving the choice (a lasting cookie and, signed in, `User.preferred_edition`) is `save_choice`, called only by
the switcher's CSRF-protected POST (editions.views.switcher).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from storefront.visitor_choices import COOKIE_MAX_AGE, VisitorChoice  # noqa: F401 - the cookie lifetime, as before

from . import registry

COOKIE_NAME = "edition"


def _parse(value: object) -> registry.Edition | None:
    return registry.get(value) if isinstance(value, str) else None


EDITION: VisitorChoice[registry.Edition] = VisitorChoice(
    COOKIE_NAME, _parse, lambda: registry.DEFAULT, "preferred_edition", code=lambda edition: edition.slug
)


def resolve(request: HttpRequest) -> tuple[registry.Edition, bool]:
    """The request's edition, and whether it was chosen just now by `?edition=` (remembered for the visit)."""
    return EDITION.resolve(request)


def remember_for_visit(request: HttpRequest, response: HttpResponse, edition: registry.Edition) -> None:
    EDITION.remember_for_visit(request, response, edition)


def save_choice(request: HttpRequest, response: HttpResponse, edition: registry.Edition) -> None:
    EDITION.save(request, response, edition)
