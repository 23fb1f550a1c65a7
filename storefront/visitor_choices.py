"""One mechanism for what a visitor chooses per request: edition, display currency, shipping destination.

Each choice is read the same way: a `?<key>=` link (this visit only), then the `<key>` cookie, then the signed-in
shopper's stored preference, then the default. A link changes only the visit (a browser-session cookie) and
never the account, so a cross-site GET cannot rewrite a shopper's stored preferences (issue 11 #6); saving a
choice (a lasting cookie and, signed in, the preference field) is `save`, called only by a CSRF-protected POST.
The editions and markets apps each declare their choices with this class (editions.resolution,
markets.choices); neither has its own copy of the rules.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from django.http import HttpRequest, HttpResponse

T = TypeVar("T")
COOKIE_MAX_AGE = 365 * 24 * 3600


@dataclass(frozen=True)
class VisitorChoice(Generic[T]):
    key: str  # the query parameter and the cookie
    parse: Callable[[object], T | None]  # a submitted or stored value -> the offered choice, or None
    default: Callable[[], T]
    preference: str  # the User field that keeps a signed-in shopper's choice
    code: Callable[[T], str] = str  # the choice as stored in the cookie and the preference

    def resolve(self, request: HttpRequest) -> tuple[T, bool]:
        """The request's choice, and whether a `?<key>=` link chose it just now (to remember for the visit)."""
        chosen = self.parse(request.GET.get(self.key))
        if chosen is not None:
            return chosen, True
        from_cookie = self.parse(request.COOKIES.get(self.key))
        if from_cookie is not None:
            return from_cookie, False
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            preferred = self.parse(getattr(user, self.preference, None))
            if preferred is not None:
                return preferred, False
        return self.default(), False

    def remember_for_visit(self, request: HttpRequest, response: HttpResponse, value: T) -> None:
        """A `?<key>=` link: a cookie that ends with the browser session; the account is untouched."""
        self._set_cookie(request, response, value, None)

    def save(self, request: HttpRequest, response: HttpResponse, value: T) -> None:
        """The shopper chose (a POST): a lasting cookie and, signed in, their stored preference."""
        self._set_cookie(request, response, value, COOKIE_MAX_AGE)
        user = getattr(request, "user", None)
        code = self.code(value)
        if user is not None and user.is_authenticated and getattr(user, self.preference, None) != code:
            setattr(user, self.preference, code)
            user.save(update_fields=[self.preference])

    def _set_cookie(
        self, request: HttpRequest, response: HttpResponse, value: T, max_age: int | None
    ) -> None:
        response.set_cookie(
            self.key,
            self.code(value),
            max_age=max_age,
            samesite="Lax",
            httponly=True,
            secure=request.is_secure(),
        )
