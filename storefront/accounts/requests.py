"""The request type of views only a signed-in shopper reaches (`@login_required`): `request.user` is a User.

For type checking only: the views behind `login_required` annotate `request: SignedInRequest`, so mypy knows the
user has addresses, orders and a time zone. At run time it is Django's own HttpRequest;
the middleware's attributes (edition, currency, ...) come from storefront.requests.ShopRequest.
"""

from __future__ import annotations

from storefront.requests import ShopRequest

from .models import User


class SignedInRequest(ShopRequest):
    user: User  # narrowed from User | AnonymousUser by login_required
