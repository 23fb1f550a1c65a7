"""The four editions and what each changes: stylesheet, `<html>` class and optional features. Nothing else."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Edition:
    slug: str
    name: str | Promise
    description: str | Promise
    stylesheet: str  # a static path
    features: frozenset[str] = field(default_factory=frozenset)

    @property
    def html_class(self) -> str:
        return f"edition-{self.slug}"

    def has(self, feature: str) -> bool:
        return feature in self.features


STANDARD = Edition(
    "standard",
    _("Standard"),
    _("The everyday shop."),
    "css/edition-standard.css",
    frozenset({"compare", "search_suggestions"}),
)
ELDER = Edition(
    "elder",
    _("Large text (elder)"),
    _("Large text and buttons, simple pages, voice search."),
    "css/edition-elder.css",
    frozenset({"voice_search", "read_aloud", "simple_nav", "big_buy"}),
)
SCREEN_READER = Edition(
    "screen-reader",
    _("Screen reader"),
    _("Linear pages built for screen readers and keyboards."),
    "css/edition-screen-reader.css",
    frozenset({"compare", "search_suggestions", "shortcuts", "card_step"}),
)
CROSS_BORDER = Edition(
    "cross-border",
    _("Cross-border"),
    _("Your language, currency, destination and landed cost up front."),
    "css/edition-cross-border.css",
    frozenset({"compare", "search_suggestions", "market_bar", "landed_cost"}),
)

EDITIONS: dict[str, Edition] = {e.slug: e for e in (STANDARD, ELDER, SCREEN_READER, CROSS_BORDER)}
DEFAULT = STANDARD


def get(slug: str | None) -> Edition | None:
    """The edition for a slug, or None for anything unknown (never an error)."""
    if not slug or not isinstance(slug, str):
        return None
    return EDITIONS.get(slug.strip().lower())


def all_editions() -> list[Edition]:
    return list(EDITIONS.values())
