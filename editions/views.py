"""Pages about using the shop: the edition switcher and help (keys, voice, orders). Same for every edition.

The switcher is where an edition is *saved* (POST, CSRF-protected): a lasting cookie and, signed in, the
account preference. A `?edition=` link only changes the visit (resolution.remember_for_visit).
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from storefront.nexturl import safe_next

from . import registry, resolution
from .rendering import render_page


def switcher(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        edition = registry.get(request.POST.get("edition"))
        if edition is None:
            errors = [{"text": _("Choose one of the editions below."), "href": ""}]
            return render_page(request, "editions/switcher.html", {"errors": errors}, status=400)
        response = redirect(safe_next(request, reverse("editions:switcher"), drop=("edition",)))
        resolution.save_choice(request, response, edition)
        return response
    return render_page(request, "editions/switcher.html")


def help_page(request: HttpRequest) -> HttpResponse:
    return render_page(request, "pages/help.html")
