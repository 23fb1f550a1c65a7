"""The URLs of a picture's derivatives, as the `{% picture %}` component writes them: srcset lists and the
JPEG fallback, from the `variants` mapping the catalogue's image pipeline stores (format -> width -> path).
They live here, below the catalogue, because formatting a picture is presentation every app may use."""

from __future__ import annotations

from typing import Any

from django.conf import settings


def srcset(variants: dict[str, Any], fmt: str) -> str:
    return ", ".join(
        f"{settings.MEDIA_URL}{path} {width}w"
        for width, path in sorted(variants.get(fmt, {}).items(), key=lambda item: int(item[0]))
    )


def fallback_url(variants: dict[str, Any], width: int = 320) -> str:
    jpeg = variants.get("jpeg", {})
    if not jpeg:
        return ""
    key = str(width) if str(width) in jpeg else sorted(jpeg, key=int)[-1]
    return f"{settings.MEDIA_URL}{jpeg[key]}"
