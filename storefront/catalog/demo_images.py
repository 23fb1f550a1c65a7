"""Draws the demo catalogue's product pictures with Pillow: a plain tile per product, coloured by brand.

Drawing all 1,126 pictures (six derivatives each) took minutes, so `seed_demo` only records where each picture
will live (`demo_variants`) and the media view draws it on its first request (`ensure_drawn`), writing the
files to MEDIA_ROOT so every later request is a plain file. `seed_demo --draw-images` draws them all up front,
in parallel (`draw_to_disk` is a pure function for a process pool).
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import tempfile
from pathlib import Path
from typing import Any, NamedTuple

from PIL import Image, ImageDraw, ImageFont

from . import images

DEMO_DIR = "products/demo/"
_DEMO_PATH = re.compile(
    r"^products/demo/(?P<slug>[-\w]+)-(?P<key>[0-9a-f]{10})-(?P<width>\d+)\.(?:webp|jpg)$"
)


class Tile(NamedTuple):
    """Everything `draw` needs for one product: its picture is a function of these alone."""

    slug: str
    label: str
    brand_index: int
    item_index: int

    @property
    def key(self) -> str:
        return hashlib.sha256(f"{self.label}|{self.brand_index}|{self.item_index}".encode()).hexdigest()[:10]


SIZE = 640
PALETTE = ("#f4d35e", "#3d5a80", "#6a994e", "#98c1d9", "#ee964b", "#e07a5f", "#81b29a", "#5e548e")
SHAPES = ("circle", "square", "diamond", "triangle")


def draw(label: str, brand_index: int, item_index: int) -> bytes:
    """A 640x640 PNG: brand colour background, a shape per item, the English product label."""
    bg = PALETTE[brand_index % len(PALETTE)]
    fg = PALETTE[(brand_index + 3 + item_index) % len(PALETTE)]
    img = Image.new("RGB", (SIZE, SIZE), bg)
    d = ImageDraw.Draw(img)
    shape = SHAPES[item_index % len(SHAPES)]
    box = (160, 110, 480, 430)
    if shape == "circle":
        d.ellipse(box, fill=fg, outline="#1b1b1b", width=8)
    elif shape == "square":
        d.rounded_rectangle(box, radius=40, fill=fg, outline="#1b1b1b", width=8)
    elif shape == "diamond":
        d.polygon([(320, 100), (490, 270), (320, 440), (150, 270)], fill=fg, outline="#1b1b1b", width=8)
    else:
        d.polygon([(320, 100), (500, 430), (140, 430)], fill=fg, outline="#1b1b1b", width=8)
    seed = int(hashlib.sha256(label.encode()).hexdigest()[:6], 16)
    d.ellipse((60 + seed % 60, 60, 110 + seed % 60, 110), fill="#ffffff")
    try:
        font = ImageFont.load_default(size=44)
    except TypeError:  # Pillow built without FreeType
        font = ImageFont.load_default()
    d.rounded_rectangle((30, 470, 610, 600), radius=20, fill="#ffffff")
    text = label if len(label) <= 24 else label[:23] + "…"
    width = d.textlength(text, font=font)
    d.text(((SIZE - width) / 2, 510), text, fill="#1b1b1b", font=font)
    buf = io.BytesIO()
    img.save(buf, "PNG", optimize=False)
    return buf.getvalue()


def demo_variants(tile: Tile) -> dict[str, Any]:
    """The `image_variants` of a demo product, naming files that may not be drawn yet."""
    variants: dict[str, Any] = {"webp": {}, "jpeg": {}, "width": SIZE, "height": SIZE}
    for width in images.WIDTHS:
        for ext, suffix in (("webp", "webp"), ("jpeg", "jpg")):
            variants[ext][str(width)] = f"{DEMO_DIR}{tile.slug}-{tile.key}-{width}.{suffix}"
    return variants


def draw_to_disk(tile: Tile, media_root: str) -> None:
    """Draw one tile and write its derivatives under media_root (atomically: a half-written file is never served)."""
    with Image.open(io.BytesIO(draw(tile.label, tile.brand_index, tile.item_index))) as src:
        square = src.convert("RGB")
    folder = Path(media_root) / DEMO_DIR
    folder.mkdir(parents=True, exist_ok=True)
    for width, ext, data in images.encode_all(square):
        target = folder / f"{tile.slug}-{tile.key}-{width}.{'jpg' if ext == 'jpeg' else ext}"
        fd, tmp = tempfile.mkstemp(dir=folder, suffix=".part")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, target)


def is_drawn(variants: dict[str, Any], media_root: str) -> bool:
    """True unless these are demo pictures whose files are not on disk yet."""
    largest = variants.get("webp", {}).get(str(max(images.WIDTHS)), "")
    return not largest.startswith(DEMO_DIR) or (Path(media_root) / largest).is_file()


def tile_for(product) -> Tile:
    """The tile of a demo product (its brand's position in the demo brands picks the colour)."""
    from .demo_data import BRANDS

    brand_index = {b.en.lower().replace(" ", "-"): i for i, b in enumerate(BRANDS)}
    return Tile(product.slug, product.name, brand_index.get(product.brand.slug, 0), product.id)


def ensure_drawn(path: str, media_root: str) -> bool:
    """Draw the demo picture behind a media path on its first request; False when the path is not one."""
    match = _DEMO_PATH.match(path)
    if not match or (Path(media_root) / path).is_file():
        return bool(match)
    from .models import Product

    product = Product.objects.select_related("brand").filter(slug=match["slug"]).first()
    if product is None:
        return False
    tile = tile_for(product)
    if tile.key != match["key"]:
        return False
    draw_to_disk(tile, media_root)
    return True
