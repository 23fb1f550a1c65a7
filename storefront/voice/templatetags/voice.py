"""Template tags for offering voice search.

`{% voice_language as voice %}`: the language the microphone listens in, or None: the page's language when it
has a model, else the first of the shop's content languages that has one (so a shopper reading English or Chinese
is still offered Korean voice search, and told to speak Korean). `{% voice_available as ok %}` is its yes/no.
`{% voice_jump as jump %}`: on the product page a clear voice hit opened, what to say and the way back.
"""

from __future__ import annotations

from django import template
from django.conf import settings
from django.utils.translation import get_language, get_language_info

from .. import relay
from ..registry import has_model, normalise_language

register = template.Library()


def recognition_reachable() -> bool:
    """Whether anything here can recognise: the voice service (relayed) or, in development, this process."""
    return (
        relay.enabled()
        or bool(getattr(settings, "VOICE_IN_PROCESS", False))
        or bool(getattr(settings, "VOICE_IS_SERVICE", False))
    )


@register.simple_tag
def voice_language() -> dict | None:
    """{"code", "name" (in the page's language), "native" (in itself), "same_as_page"} or None."""
    if not recognition_reachable():
        return None
    page = normalise_language(get_language())
    candidates = [page] + [normalise_language(code) for code, _name in settings.LANGUAGES]
    for code in candidates:
        if code and has_model(code):
            info = get_language_info(code)
            return {
                "code": code,
                "name": info["name_translated"],
                "native": info["name_local"],
                "same_as_page": code == page or code == page.split("-")[0],
            }
    return None


@register.simple_tag
def voice_available() -> bool:
    return voice_language() is not None


@register.simple_tag(takes_context=True)
def voice_jump(context: template.Context) -> dict | None:
    """{"url", "say"} when this page is the product a clear voice hit just opened (shown once, then forgotten
    when the shopper goes back to the results or anywhere else)."""
    request = context.get("request")
    session = getattr(request, "session", None)
    if session is None:
        return None
    jump = session.get("voice_jump")
    if not jump:
        return None
    assert request is not None  # it has a session
    if jump.get("url") != request.path:
        session.pop("voice_jump", None)
        return None
    return jump
