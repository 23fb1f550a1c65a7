"""Per-language content stored beside the English original (`name`, `name_zh_hans`, `name_ko`, `name_ar`...),
and the specification words of the catalogue in every language (`term`)."""

from __future__ import annotations

import re

from django.utils.translation import get_language

CONTENT_LANGUAGES = ("en", "zh-hans", "ko", "ar")


def field_suffix(language: str | None) -> str:
    """The column suffix for a language code: '' for English, '_zh_hans' for zh-hans, '_ko' for ko."""
    code = (language or "en").lower()
    if code.startswith("zh"):
        return "_zh_hans"
    if code.startswith("ko"):
        return "_ko"
    if code.startswith("ar"):
        return "_ar"
    return ""


def content_language(language: str | None = None) -> str:
    """The content language for a shop language ("zh-hans", "ko", "ar", else "en")."""
    suffix = field_suffix(language or get_language())
    return {"_zh_hans": "zh-hans", "_ko": "ko", "_ar": "ar"}.get(suffix, "en")


_TERM_COLUMN = {"_zh_hans": 0, "_ko": 1, "_ar": 2}
_AMOUNT = re.compile(r"^(\d+(?:\.\d+)?) ([a-z]+)$")


def term(text: str, language: str | None = None) -> str:
    """A specification name or value in the language ("Origin" -> "원산지", "6 bottles" -> "6병"); unit
    symbols ("500 g") and words the catalogue vocabulary does not know are returned unchanged."""
    from .demo_data import TERMS, UNIT_WORDS

    column = _TERM_COLUMN.get(field_suffix(language or get_language()))
    if column is None or not isinstance(text, str):
        return text
    if text in TERMS:
        return TERMS[text][column]
    if (amount := _AMOUNT.match(text)) and amount.group(2) in UNIT_WORDS:
        return UNIT_WORDS[amount.group(2)][column].format(n=amount.group(1))
    return text


def localized(obj: object, field: str, language: str | None = None) -> str:
    """The field in the given (default: active) language, falling back to English when it is empty."""
    suffix = field_suffix(language or get_language())
    value = getattr(obj, f"{field}{suffix}", "") if suffix else ""
    return value or getattr(obj, field)


class TranslatedNameMixin:
    """Adds `display_name` (and `display_description` where there is one) in the active language."""

    @property
    def display_name(self) -> str:
        return localized(self, "name")
