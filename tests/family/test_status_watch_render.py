"""`{% family_status_watch %}` renders without side effects (issue 16): it reads what the user saw last from the
session, and what it showed is saved by family.middleware after the response, not while the template renders."""

from __future__ import annotations

from django.contrib.sessions.backends.db import SessionStore
from django.http import HttpResponse
from django.template import engines
from django.test import RequestFactory

from storefront.family.middleware import SeenStatusMiddleware
from storefront.family.templatetags.family import SEEN_KEY


def test_rendering_the_watch_writes_nothing_and_the_middleware_remembers_it(ask, product, user):
    pay_request, _created = ask((product, 1))
    request = RequestFactory().get("/")
    request.user = user
    request.session = SessionStore()
    key = SEEN_KEY.format(pay_request.public_id)
    request.session[key] = "approved"  # seen before, since changed
    request.session.save()
    request.session.modified = False
    page = (
        engines["django"]
        .from_string("{% load family %}{% family_status_watch pay_request %}")
        .render({"pay_request": pay_request}, request)
    )
    assert "has changed since you last looked" in page
    assert request.session.modified is False and request.session[key] == "approved"  # rendering wrote nothing

    SeenStatusMiddleware(lambda r: HttpResponse(page))(request)
    assert request.session[key] == pay_request.status and request.session.modified


def test_an_error_response_remembers_nothing(ask, product, user):
    pay_request, _created = ask((product, 1))
    request = RequestFactory().get("/")
    request.user = user
    request.session = SessionStore()
    engines["django"].from_string("{% load family %}{% family_status_watch pay_request %}").render(
        {"pay_request": pay_request}, request
    )
    SeenStatusMiddleware(lambda r: HttpResponse(status=500))(request)
    assert SEEN_KEY.format(pay_request.public_id) not in request.session
