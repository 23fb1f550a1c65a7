"""Error pages in the request's edition: a helpful 404, a calm 500, a CSRF failure that says what to do."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template import loader

from editions import loader as edition_templates
from editions import registry


def _render(request: HttpRequest, name: str, status: int, context: dict | None = None) -> HttpResponse:
    edition = getattr(request, "edition", registry.DEFAULT)
    try:
        with edition_templates.edition_templates(edition.slug):  # a failure may come before the middleware
            body = loader.get_template(name).render(context or {}, request)
    except Exception:  # the error page itself must never fail
        body = "<!doctype html><title>Error</title><h1>Something went wrong</h1>"
    return HttpResponse(body, status=status)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _render(request, "errors/404.html", 404)


def server_error(request: HttpRequest) -> HttpResponse:
    return _render(request, "errors/500.html", 500)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _database_failed(exception):
        # Django answers a session it could not save with SessionInterrupted, a "bad request"; when the save
        # failed because the database dropped the connection, the server failed, not the request: the calm
        # 500 page (nothing was lost: the order, if any, is reconciled) rather than "check what you sent".
        return _render(request, "errors/500.html", 500)
    return _render(request, "errors/400.html", 400)


def _database_failed(exception: BaseException | None) -> bool:
    """Whether a database error caused `exception` (Django's session backends re-raise it as UpdateError)."""
    from django.db import DatabaseError

    seen = 0
    while exception is not None and seen < 10:
        if isinstance(exception, DatabaseError):
            return True
        exception = exception.__cause__ or exception.__context__
        seen += 1
    return False


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    if request.headers.get("Accept", "").startswith("application/json"):
        from django.http import JsonResponse

        return JsonResponse(
            {
                "error": "The form was out of date or missing its security token. Reload the page "
                "and try again."
            },
            status=403,
        )
    return _render(request, "errors/403_csrf.html", 403)
