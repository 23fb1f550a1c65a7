"""`/healthz`: is the database reachable, which voice models are available and loaded."""

from __future__ import annotations

from collections.abc import Mapping

from django.db import connection
from django.http import HttpRequest, JsonResponse


def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        db_ok = True
    except Exception:
        db_ok = False
    try:
        from storefront.voice.registry import status as voice_status

        voice: Mapping[str, object] = voice_status()
    except Exception:  # voice is optional for the shop's health
        voice = {"available": [], "loaded": []}
    return JsonResponse(
        {"status": "ok" if db_ok else "degraded", "database": db_ok, "voice": voice},
        status=200 if db_ok else 503,
    )
