"""Remembers which family-request statuses the user has seen, after the page showing them was made.

`{% family_status_watch %}` compares a request's status with the one this user saw last (kept in the session)
and only notes on the request what it showed (`remember_seen`); this middleware writes those notes into the
session once the view has answered, so rendering a template never writes anything.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

NOTES = "_family_seen"


def remember_seen(request: HttpRequest, key: str, status: str) -> None:
    """Note that `status` was shown under session `key`; saved by the middleware after the response is made."""
    notes = getattr(request, NOTES, None)
    if notes is None:
        notes = {}
        setattr(request, NOTES, notes)
    notes[key] = status


class SeenStatusMiddleware:
    """Inside SessionMiddleware (listed after it), so the session it changes is saved with the response."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        notes = getattr(request, NOTES, None)
        session = getattr(request, "session", None)
        if notes and session is not None and response.status_code < 400:
            for key, status in notes.items():
                if session.get(key) != status:
                    session[key] = status
        return response
