"""The voice service process: what it serves, and the work it does once at start-up.

`warm_up` loads each configured language's model, builds its vocabulary and grammar and decodes a moment of
near-silence, so the first shopper does not pay for any of it (it took 4-15 s on a fresh worker when the web
workers recognised). Run it in the gunicorn master (`--preload`) and the workers share the model's pages.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseNotFound

logger = logging.getLogger(__name__)

SERVED_PREFIXES = ("/voice/", "/healthz")


class OnlyVoiceMiddleware:
    """404 for anything but /voice/ and /healthz: this process exists to recognise speech."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(SERVED_PREFIXES):
            return HttpResponseNotFound(b"The voice service serves /voice/ only.", content_type="text/plain")
        return self.get_response(request)


def warm_up() -> list[str]:
    """Load every available model with its vocabulary, and decode once; returns the languages made ready."""
    from . import audio, recogniser, registry

    ready = []
    for language in sorted(registry.status()["available"]):
        try:
            model, vocab = recogniser.models_for(language)
            # One decode, directly: no decoding threads may exist before gunicorn forks (--preload).
            quiet = recogniser.dither(bytes(audio.TARGET_RATE * 2), recogniser.DITHER)
            if recogniser._denoise_on():  # noqa: SLF001 - warm numpy's FFT too when it is used
                from .denoise import denoise

                denoise(quiet)
            recogniser.decode(
                model,
                audio.change_speed(quiet, 1.1),
                None if recogniser.decodes_sentences(model, vocab) else vocab.grammar(),
            )
        except Exception:  # a missing table or a broken model must not stop the service from answering 503s
            logger.exception("Voice warm-up failed for %s", language)
            continue
        ready.append(language)
    from django.db import connections

    connections.close_all()  # warmed in gunicorn's master (--preload): workers must not share its connections
    logger.info("Voice service ready for %s", ", ".join(ready) or "no language")
    return ready
