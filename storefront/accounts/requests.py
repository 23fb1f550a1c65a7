"""The request type of views only a signed-in shopper reaches (`@login_required`): `request.user` is a User.

For type checking only: the views behind `login_required` annotate `request: SignedInRequest`, so mypy knows the
user has addresses, orders and a time zone. At run time it is Django's own HttpRequest.
"""

from __future__ import annotations

from django.http import HttpRequest

from .models import User


class SignedInRequest(HttpRequest):
    user: User  # narrowed from User | AnonymousUser by login_required
