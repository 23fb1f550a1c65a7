"""Right-to-left: stylesheets use logical properties only, so Arabic pages mirror without a separate stylesheet;
every edition renders Arabic pages with dir="rtl", including the market bar and the voice button's messages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings

from editions import registry

CSS = sorted(Path(settings.BASE_DIR, "static", "css").glob("*.css"))
PHYSICAL = re.compile(
    r"(?<![\w-])(?:(?:margin|padding|border)-(?:left|right)(?:-\w+)?|left|right)\s*:"
    r"|text-align\s*:\s*(?:left|right)|float\s*:\s*(?:left|right)|clear\s*:\s*(?:left|right)"
    r"|border-(?:top|bottom)-(?:left|right)-radius",
    re.I,
)


def physical_properties(css: str) -> list[str]:
    css = re.sub(r"/\*.*?\*/", " ", css, flags=re.S)
    return [m.group(0) for m in PHYSICAL.finditer(css)]


def test_the_checker_sees_physical_properties():
    assert physical_properties("a { margin-left: 1px; right: 0; text-align: left } /* left: 0 */") == [
        "margin-left:",
        "right:",
        "text-align: left",
    ]
    assert physical_properties("a { margin-inline-start: 1px; inset-inline-end: 0; text-align: start }") == []


@pytest.mark.parametrize("path", CSS, ids=lambda p: p.name)
def test_stylesheets_use_logical_properties(path):
    assert physical_properties(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("slug", [e.slug for e in registry.all_editions()])
def test_arabic_pages_are_right_to_left_in_every_edition(client, db, slug):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"
    page = client.get(f"/?edition={slug}").content.decode()
    assert re.search(r'<html lang="ar" dir="rtl"', page)
    assert '<label for="market-language">اللغة</label>' in page
    assert "تغيير اللغة" in page


def test_voice_button_messages_are_translated(client, db):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ko"
    page = client.get("/?edition=elder").content.decode()
    button = re.search(r"<button[^>]*data-voice-button[^>]*>", page, flags=re.S).group(0)
    assert 'data-label-stop="중지"' in button
    assert 'data-msg-working="검색 중…"' in button
