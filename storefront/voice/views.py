"""The voice search endpoint: POST a WAV (raw body or multipart field `audio`), get results as HTML or JSON.

Uploads are parsed with an in-memory handler only, so audio is never spooled to a temporary file; the size
limit is checked from Content-Length before the body is read.
"""

from __future__ import annotations

import logging

from django.core.files.uploadhandler import MemoryFileUploadHandler
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from storefront.catalog.models import Product

from . import audio, errors, recogniser

logger = logging.getLogger(__name__)

MULTIPART_OVERHEAD = 16 * 1024  # boundaries, headers and the CSRF field around the audio part

try:
    from editions.rendering import render_page as _render
except ImportError:  # pragma: no cover - editions is part of the project, but keep voice usable alone
    from django.shortcuts import render as _render


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _read_audio(request: HttpRequest) -> bytes:
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > audio.max_bytes() + MULTIPART_OVERHEAD:
        raise errors.AudioTooLargeError()
    if request.content_type == "multipart/form-data":
        upload = request.FILES.get("audio")
        if upload is None:
            raise errors.NotWavError(_("Send the recording as a WAV file in the form field “audio”."))
        if upload.size > audio.max_bytes():
            raise errors.AudioTooLargeError()
        return upload.read()
    return request.body


def _error(request: HttpRequest, exc: errors.VoiceError) -> HttpResponse:
    message = str(exc.message)
    if _wants_json(request):
        return JsonResponse({"error": message}, status=exc.status)
    return _render(request, "voice/_error.html", {"message": message}, status=exc.status)


def _products(ids: list[int]) -> list[Product]:
    found = Product.objects.for_listing().in_bulk(ids)
    return [found[pid] for pid in ids if pid in found]


@csrf_protect
@vary_on_headers("Accept")
def _search(request: HttpRequest) -> HttpResponse:
    try:
        result = recogniser.recognise_search(_read_audio(request), get_language() or "")
    except errors.VoiceError as exc:
        return _error(request, exc)
    products = _products(result.product_ids)
    if _wants_json(request):
        return JsonResponse({
            "transcript": result.transcript,
            "results": [{"id": p.pk, "name": p.display_name, "url": p.get_absolute_url()} for p in products],
        })
    search_url = reverse("catalog:search")
    suggestions = [{"text": s.text, "url": f"{search_url}?{urlencode({'q': s.text})}"} for s in result.suggestions]
    return _render(request, "voice/_results.html", {
        "result": result, "products": products, "suggestions": suggestions, "search_url": search_url,
    })


@csrf_exempt  # only so the upload handlers can be set first; _search is csrf_protect-ed, CSRF is enforced
@require_POST
def search(request: HttpRequest) -> HttpResponse:
    # Keep uploads in memory: Django would otherwise spool large multipart files to a temporary file on disk.
    request.upload_handlers = [MemoryFileUploadHandler(request)]
    return _search(request)
