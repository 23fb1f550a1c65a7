"""The edition registry and edition-first template names. No database."""

from __future__ import annotations

import pytest

from editions import registry


def test_four_editions_with_distinct_stylesheets_and_classes():
    editions = registry.all_editions()
    assert [e.slug for e in editions] == ["standard", "elder", "screen-reader", "cross-border"]
    assert len({e.stylesheet for e in editions}) == 4
    assert [e.html_class for e in editions] == [f"edition-{e.slug}" for e in editions]
    assert registry.DEFAULT is registry.STANDARD


@pytest.mark.parametrize(
    ("slug", "expected"),
    [
        ("elder", registry.ELDER),
        (" Elder ", registry.ELDER),
        ("screen-reader", registry.SCREEN_READER),
        (None, None),
        ("", None),
        ("bogus", None),
        (42, None),
        (["elder"], None),
    ],
)
def test_get(slug, expected):
    assert registry.get(slug) is expected


def test_features():
    assert registry.ELDER.has("voice_search")
    assert not registry.STANDARD.has("voice_search")
    assert registry.CROSS_BORDER.has("landed_cost")
