"""The cart count for the header, read from the session (no query)."""

from django.http import HttpRequest

from .services import count_from_session


def cart_summary(request: HttpRequest) -> dict:
    session = getattr(request, "session", None)
    return {"cart_count": count_from_session(request) if session is not None else 0}
