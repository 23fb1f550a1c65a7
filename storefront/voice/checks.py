"""System checks for voice settings: a mistyped decoder option is reported at start-up, not on the first search."""

from __future__ import annotations

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from . import decoder


@checks.register(checks.Tags.compatibility)
def decoder_options(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    problems: list[checks.CheckMessage] = []
    for language, options in (getattr(settings, "VOICE_DECODER_OPTIONS", {}) or {}).items():
        try:
            decoder.validate(options or {})
        except ImproperlyConfigured as exc:
            problems.append(checks.Error(f"{exc} (language {language!r})", id="voice.E001"))
    return problems
