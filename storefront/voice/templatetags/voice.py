"""`{% voice_available as ok %}`: whether the active language has a speech model (so the mic can be offered)."""

from __future__ import annotations

from django import template
from django.utils.translation import get_language

from django.conf import settings

from .. import relay
from ..registry import has_model

register = template.Library()


@register.simple_tag
def voice_available() -> bool:
    return recognition_reachable() and has_model(get_language())


def recognition_reachable() -> bool:
    """Whether anything here can recognise: the voice service (relayed) or, in development, this process."""
    return relay.enabled() or bool(getattr(settings, "VOICE_IN_PROCESS", False)) or bool(
        getattr(settings, "VOICE_IS_SERVICE", False))
