"""`{% voice_available as ok %}`: whether the active language has a speech model (so the mic can be offered)."""

from __future__ import annotations

from django import template
from django.utils.translation import get_language

from ..registry import has_model

register = template.Library()


@register.simple_tag
def voice_available() -> bool:
    return has_model(get_language())
