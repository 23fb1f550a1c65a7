"""Per-language content stored beside the English original (`name`, `name_zh_hans`, `name_ko`...)."""

from __future__ import annotations

from django.utils.translation import get_language

CONTENT_LANGUAGES = ("en", "zh-hans", "ko")


def field_suffix(language: str | None) -> str:
    """The column suffix for a language code: '' for English, '_zh_hans' for zh-hans, '_ko' for ko."""
    code = (language or "en").lower()
    if code.startswith("zh"):
        return "_zh_hans"
    if code.startswith("ko"):
        return "_ko"
    return ""


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
