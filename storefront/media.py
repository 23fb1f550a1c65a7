"""Serves uploaded and generated media when no front server does (SERVE_MEDIA): product image derivatives have
content-hashed names, so they are cached for a year. The demo catalogue's pictures are drawn here on first
request (catalog/demo_images.py)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.views.static import serve

from storefront.catalog import demo_images


def serve_media(request: HttpRequest, path: str) -> HttpResponseBase:
    if path.startswith(demo_images.DEMO_DIR):  # the demo's pictures are drawn on their first request
        demo_images.ensure_drawn(path, str(settings.MEDIA_ROOT))
    response = serve(request, path, document_root=str(settings.MEDIA_ROOT))
    if response.status_code == 200 and not path.startswith("products/originals/"):
        response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response
