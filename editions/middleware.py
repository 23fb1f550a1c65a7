"""Sets `request.edition` once per request, and the edition templates are looked up for (editions.loader);
views and templates never parse parameters or cookies themselves."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers

from . import loader, resolution


class EditionMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        edition, chosen_now = resolution.resolve(request)
        request.edition = edition  # type: ignore[attr-defined]
        token = loader.activate(edition.slug)  # every template this request renders is edition-first
        try:
            response = self.get_response(request)
        finally:
            loader.deactivate(token)
        if chosen_now:
            resolution.remember_for_visit(request, response, edition)
        patch_vary_headers(response, ["Cookie"])
        return response
