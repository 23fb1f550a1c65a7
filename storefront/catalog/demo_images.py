"""Draws the demo catalogue's product pictures with Pillow: a plain tile per product, coloured by brand."""

from __future__ import annotations

import hashlib
import io

from PIL import Image, ImageDraw, ImageFont

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
