"""Responsive product images: Pillow makes WebP and JPEG derivatives at fixed widths from one original.

Derivatives get content-hashed names so they can be cached forever; `Product.image_variants` records them:
{"width": W, "height": H, "webp": {"160": "path", ...}, "jpeg": {...}}.
"""

from __future__ import annotations

import hashlib
import io
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageOps

WIDTHS = (160, 320, 640)
ASPECT = (1, 1)  # product images are square, so width and height are known before the image loads
DERIVATIVE_DIR = "products/"


def _square(img: Image.Image) -> Image.Image:
    img = ImageOps.exif_transpose(img).convert("RGB")
    side = min(img.size)
    return ImageOps.fit(img, (side, side), method=Image.Resampling.LANCZOS)


def make_variants(original: bytes, stem: str) -> dict[str, Any]:
    """Write the WebP and JPEG derivatives of an original image and return their description."""
    digest = hashlib.sha256(original).hexdigest()[:10]
    with Image.open(io.BytesIO(original)) as src:
        square = _square(src)
    variants: dict[str, Any] = {"webp": {}, "jpeg": {}}
    largest = min(max(WIDTHS), square.width)
    for width, ext, data in encode_all(square):
        name = f"{DERIVATIVE_DIR}{stem}-{digest}-{width}.{'jpg' if ext == 'jpeg' else ext}"
        if not default_storage.exists(name):
            default_storage.save(name, ContentFile(data))
        variants[ext][str(width)] = name
    variants["width"] = variants["height"] = largest
    return variants


def encode_all(square: Image.Image) -> list[tuple[int, str, bytes]]:
    """(width, "webp"/"jpeg", bytes) for every derivative of a square image."""
    out = []
    for width in WIDTHS:
        if width > square.width and width != WIDTHS[0]:
            continue
        resized = square if width == square.width else square.resize((width, width), Image.Resampling.LANCZOS)
        for fmt, ext, options in (
            ("WEBP", "webp", {"quality": 78, "method": 4}),
            ("JPEG", "jpeg", {"quality": 80, "optimize": True, "progressive": True}),
        ):
            buf = io.BytesIO()
            resized.save(buf, fmt, **options)
            out.append((width, ext, buf.getvalue()))
    return out
