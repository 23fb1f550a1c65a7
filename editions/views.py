"""Pages about using the shop: the edition switcher and help (keys, voice, orders). Same for every edition."""

from django.http import HttpRequest, HttpResponse

from .rendering import render_page


def switcher(request: HttpRequest) -> HttpResponse:
    return render_page(request, "editions/switcher.html")


def help_page(request: HttpRequest) -> HttpResponse:
    return render_page(request, "pages/help.html")
