"""The edition switcher page: a plain list of editions, each a link that sets `?edition=`."""

from django.http import HttpRequest, HttpResponse

from .rendering import render_page


def switcher(request: HttpRequest) -> HttpResponse:
    return render_page(request, "editions/switcher.html")
