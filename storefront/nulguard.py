"""The safety net for NUL bytes in a request: no NUL from a URL, a query, a form or a cookie reaches a view.

PostgreSQL cannot store or compare text containing NUL (U+0000) and the driver raises, which was a 500 for any
lookup fed from the request (issue 11 #5). The URL converters (urlconverters.py) keep references well formed;
this middleware covers every other input in one place, before sessions, editions or markets read them:

- a NUL in the path is a 404: no page of the shop has such an address;
- a NUL in a query or url-encoded form name or value is a 400: the request itself is malformed;
- a cookie with a NUL is dropped, as if it had not been sent, so a mangled cookie cannot lock a visitor out.

Multipart bodies (uploads) are not parsed here, so views keep control of their upload handlers; Django's form
fields already refuse NUL in text (ProhibitNullCharactersValidator).
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import BadRequest
from django.http import Http404, HttpRequest, HttpResponse, QueryDict

NUL = "\x00"


def _has_nul(data: QueryDict) -> bool:
    return any(NUL in key or any(NUL in value for value in data.getlist(key)) for key in data)


class NulByteGuardMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if NUL in request.path_info:
            raise Http404("Not found")
        if _has_nul(request.GET):
            raise BadRequest("NUL byte in a query parameter")
        if (
            request.method == "POST"
            and request.content_type == "application/x-www-form-urlencoded"
            and _has_nul(request.POST)
        ):
            raise BadRequest("NUL byte in a form field")
        for name in [name for name, value in request.COOKIES.items() if NUL in name or NUL in value]:
            del request.COOKIES[name]
        return self.get_response(request)
