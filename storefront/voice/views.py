"""The voice search endpoint: POST a WAV (raw body or multipart field `audio`), get results as HTML or JSON.

Uploads are parsed with an in-memory handler only, so audio is never spooled to a temporary file; the size
limit is checked from Content-Length before the body is read.

Where recognition runs: in the voice service (`storefront.voice.wsgi`), which serves this same view with the
model loaded once. A web process with VOICE_SERVICE_URL relays the request there (`relay`) and never loads the
model; without it, only when VOICE_IN_PROCESS is on (development, tests) does it recognise in process. Either
way a client past its upload rate gets 429 and a full pool a quick 503, both with Retry-After.

The page's script posts the raw WAV and gets a fragment; the form for browsers without JavaScript posts
multipart and gets a whole page; `Accept: application/json` gets JSON.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib import messages
from django.core.files.uploadhandler import MemoryFileUploadHandler
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from storefront.catalog.models import Product

from . import audio, commands, errors, pool, registry, relay

logger = logging.getLogger(__name__)

MULTIPART_OVERHEAD = 16 * 1024  # boundaries, headers and the CSRF field around the audio part

try:
    from editions.rendering import render_page as _render
except ImportError:  # pragma: no cover - editions is part of the project, but keep voice usable alone
    from django.shortcuts import render as _render  # type: ignore[assignment]  # same call as voice uses it


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _check_declared_size(request: HttpRequest) -> None:
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > audio.max_bytes() + MULTIPART_OVERHEAD:
        raise errors.AudioTooLargeError()


def _read_audio(request: HttpRequest) -> bytes:
    _check_declared_size(request)
    if request.content_type == "multipart/form-data":
        upload = request.FILES.get("audio")
        if upload is None:
            raise errors.NotWavError(_("Send the recording as a WAV file in the form field “audio”."))
        assert upload.size is not None  # Django's upload handlers always set it
        if upload.size > audio.max_bytes():
            raise errors.AudioTooLargeError()
        return upload.read()
    return request.body


def _wants_page(request: HttpRequest) -> bool:
    """A form post without JavaScript (multipart, not from our script) needs a whole page to land on."""
    return request.content_type == "multipart/form-data" and request.headers.get("HX-Request") != "true"


def _error(request: HttpRequest, exc: errors.VoiceError) -> HttpResponse:
    message = str(exc.message)
    if _wants_json(request):
        response: HttpResponse = JsonResponse({"error": message}, status=exc.status)
    elif _wants_page(request):
        response = _render(request, "voice/page.html", {"message": message, "error": True}, status=exc.status)
    else:
        response = _render(request, "voice/_error.html", {"message": message}, status=exc.status)
    if exc.retry_after:
        response["Retry-After"] = str(exc.retry_after)
    return response


def client_key(request: HttpRequest) -> str:
    """Who is uploading, for the rate limit: the address our relay names, else the connecting address."""
    if relay.trusted(request):
        forwarded = request.headers.get("X-Forwarded-For", "").split(",")[0].strip()
        if forwarded:
            return forwarded
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _recognise(request: HttpRequest, language: str):
    if not (getattr(settings, "VOICE_IN_PROCESS", False) or getattr(settings, "VOICE_IS_SERVICE", False)):
        raise errors.VoiceUnavailableError()
    from . import recogniser  # only here: a web process that relays never imports the recogniser (nor vosk)

    wav = _read_audio(request)
    with pool.slot():
        return recogniser.recognise_search(wav, language)


def _products(ids: list[int]) -> list[Product]:
    found = Product.objects.for_listing().in_bulk(ids)
    return [found[pid] for pid in ids if pid in found]


LAST_KEY = "voice_last"  # the last results, for "Not this? Back to the results"
JUMP_KEY = "voice_jump"  # {"url", "say"}: the product page a clear hit opened, and what to tell the shopper


def speech_language(request: HttpRequest) -> str:
    """The language to recognise: the one the page offered the microphone for (?lang=, see the `voice_language`
    tag), when a model exists for it; otherwise the page's language."""
    asked = registry.normalise_language(request.GET.get("lang"))
    if (
        asked
        and asked in {registry.normalise_language(code) for code, _name in settings.LANGUAGES}
        and registry.has_model(asked)
    ):
        return asked
    return get_language() or ""


def _product_url(request: HttpRequest) -> str:
    """The product page the shopper spoke on (?product=<id>), for "ask my family to pay" about it."""
    pid = request.GET.get("product", "")
    product = Product.objects.filter(pk=int(pid), is_active=True).first() if pid.isdigit() else None
    return product.get_absolute_url() if product is not None else ""


def _go(request: HttpRequest, url: str, say: str, payload: dict) -> HttpResponse:
    """Send the shopper to `url`: JSON says where, the script's fragment goes there, a form post redirects."""
    if _wants_json(request):
        return JsonResponse({**payload, "go": url})
    if _wants_page(request) and url:
        return HttpResponseRedirect(url, status=303)
    return _render(
        request, "voice/_go.html", {"url": url, "say": say, "read": payload.get("command") == "read"}
    )


def _command(request: HttpRequest, result) -> HttpResponse:
    command = commands.route(result.command, product_url=_product_url(request))
    if command.name == "read":
        say = _("Reading this page aloud.")
        if _wants_page(request):  # no script, so nothing can read: say how instead
            return _render(
                request,
                "voice/page.html",
                {
                    "error": True,
                    "message": _(
                        "Reading aloud needs JavaScript. Use the “Read aloud” button on a product page."
                    ),
                },
            )
    else:
        say = _("You said: %(command)s. Opening it now.") % {"command": result.transcript}
        messages.info(request, _("You said: %(command)s.") % {"command": result.transcript})
    return _go(request, command.url, say, {"transcript": result.transcript, "command": command.name})


def _remember(request: HttpRequest, result, products: list[Product], suggestions: list[dict]) -> None:
    request.session[LAST_KEY] = {
        "transcript": result.transcript,
        "ids": [p.pk for p in products],
        "suggestions": suggestions,
        "focused": result.focused,
    }


@csrf_protect
@vary_on_headers("Accept")
def _search(request: HttpRequest) -> HttpResponse:
    try:
        if not relay.trusted(request):  # a relayed upload was counted by the web process that relayed it
            pool.check_rate(client_key(request))
        result = _recognise(request, speech_language(request))
    except errors.VoiceError as exc:
        return _error(request, exc)
    if result.command:
        return _command(request, result)
    products = _products(result.product_ids)
    search_url = reverse("catalog:search")
    suggestions = [
        {"text": s.text, "url": f"{search_url}?{urlencode({'q': s.text})}"} for s in result.suggestions
    ]
    _remember(request, result, products, suggestions)
    if result.go_to_product and products:
        hit = products[0]
        say = _("You said: %(transcript)s. Here is %(product)s.") % {
            "transcript": result.transcript,
            "product": hit.display_name,
        }
        request.session[JUMP_KEY] = {"url": hit.get_absolute_url(), "say": say}
        messages.info(request, say)
        return _go(
            request,
            hit.get_absolute_url(),
            say,
            {
                "transcript": result.transcript,
                "results": [
                    {"id": p.pk, "name": p.display_name, "url": p.get_absolute_url()} for p in products
                ],
            },
        )
    if _wants_json(request):
        return JsonResponse(
            {
                "transcript": result.transcript,
                "results": [
                    {"id": p.pk, "name": p.display_name, "url": p.get_absolute_url()} for p in products
                ],
                "did_you_mean": [s["text"] for s in suggestions],
            }
        )
    context = {"result": result, "products": products, "suggestions": suggestions, "search_url": search_url}
    return _render(request, "voice/page.html" if _wants_page(request) else "voice/_results.html", context)


@require_GET
def last(request: HttpRequest) -> HttpResponse:
    """The last voice results again: where "Not this?" leads from the product page a clear hit opened."""
    stored = request.session.get(LAST_KEY)
    request.session.pop(JUMP_KEY, None)
    if not stored:
        return _render(
            request,
            "voice/page.html",
            {
                "error": True,
                "message": _(
                    "There are no voice results to go back to. Press “Speak” and say what you are looking for."
                ),
            },
        )
    result = {"transcript": stored["transcript"]}
    return _render(
        request,
        "voice/page.html",
        {
            "result": result,
            "products": _products(stored["ids"]),
            "suggestions": stored["suggestions"],
            "search_url": reverse("catalog:search"),
            "not_this": True,
        },
    )


@csrf_exempt  # only so the upload handlers can be set first; _search is csrf_protect-ed, CSRF is enforced
@require_POST
def search(request: HttpRequest) -> HttpResponse:
    if relay.enabled():
        return _relay(request)
    # Keep uploads in memory: Django would otherwise spool large multipart files to a temporary file on disk.
    request.upload_handlers = [MemoryFileUploadHandler(request)]
    return _search(request)


def _relay(request: HttpRequest) -> HttpResponse:
    """Hand the request, unparsed, to the voice service (CSRF is checked there, on the same cookie and token)."""
    try:
        pool.check_rate(client_key(request))
        _check_declared_size(request)
        return relay.forward(request, request.body)
    except errors.VoiceError as exc:
        return _error(request, exc)
