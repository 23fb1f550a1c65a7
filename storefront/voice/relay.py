"""The web app's side of voice when recognition runs in the voice service (VOICE_SERVICE_URL).

Recognition needs the speech model (600+ MB) and a CPU for a few hundred milliseconds; web workers must do
neither. In production a front proxy sends /voice/ straight to the voice service (`storefront.voice.wsgi`, see
the README). Where no proxy does that (this machine, `make serve`), the web app relays the request itself:
the body, the shopper's cookies and the headers the response depends on go to the service, and its answer
(status, Retry-After, cookies, the rendered fragment or page) comes back unchanged. The service renders with
the same settings, database and templates, so what the shopper sees does not depend on the route taken.

A relay holds a web thread only while the service works, and only a few at once per process
(VOICE_RELAY_SLOTS); past that, or when the service is down or slow, the shopper gets a quick 503 with
Retry-After and a message, and the rest of the site keeps its threads. Nothing here imports the recogniser.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import threading
import urllib.parse
from typing import cast

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from . import errors

# Request headers the service needs to render the same answer the web app would (and to check CSRF).
FORWARDED_REQUEST_HEADERS = (
    "Content-Type",
    "Content-Length",
    "Accept",
    "Accept-Language",
    "Cookie",
    "X-CSRFToken",
    "HX-Request",
    "HX-Current-URL",
    "Origin",
    "Referer",
    "User-Agent",
)
RETURNED_HEADERS = ("Content-Type", "Retry-After", "Vary", "Content-Language", "Cache-Control")
RELAY_HEADER = "X-Voice-Relay"

_lock = threading.Lock()
_semaphore: threading.BoundedSemaphore | None = None
_size = 0


def enabled() -> bool:
    """Whether this process hands voice requests to the voice service instead of recognising them itself."""
    return bool(getattr(settings, "VOICE_SERVICE_URL", "")) and not getattr(
        settings, "VOICE_IS_SERVICE", False
    )


def token() -> str:
    """Proves a request came through our relay, so the service may trust the client address it names."""
    return hmac.new(settings.SECRET_KEY.encode(), b"voice-relay", hashlib.sha256).hexdigest()


def trusted(request: HttpRequest) -> bool:
    return hmac.compare_digest(request.headers.get(RELAY_HEADER, ""), token())


def _slots() -> threading.BoundedSemaphore:
    global _semaphore, _size
    wanted = max(1, int(getattr(settings, "VOICE_RELAY_SLOTS", 2)))
    with _lock:
        if _semaphore is None or _size != wanted:
            _semaphore, _size = threading.BoundedSemaphore(wanted), wanted
        return _semaphore


def forward(request: HttpRequest, body: bytes) -> HttpResponse:
    """The voice service's answer to this request, or errors.VoiceBusyError / VoiceUnavailableError."""
    semaphore = _slots()
    if not semaphore.acquire(blocking=False):
        raise errors.VoiceBusyError(retry_after=int(getattr(settings, "VOICE_RETRY_AFTER", 5)))
    try:
        return _forward(request, body)
    finally:
        semaphore.release()


def _forward(request: HttpRequest, body: bytes) -> HttpResponse:
    base = urllib.parse.urlsplit(settings.VOICE_SERVICE_URL)
    connection_class = http.client.HTTPSConnection if base.scheme == "https" else http.client.HTTPConnection
    timeout = float(getattr(settings, "VOICE_RELAY_TIMEOUT", 30))
    headers = {name: request.headers[name] for name in FORWARDED_REQUEST_HEADERS if name in request.headers}
    headers["Content-Length"] = str(len(body))
    headers["Host"] = request.get_host()  # the service checks CSRF's Origin and builds links for this host
    headers["X-Forwarded-For"] = request.META.get("REMOTE_ADDR", "")
    headers["X-Forwarded-Proto"] = cast(str, request.scheme)  # Django always knows it: http or https
    headers[RELAY_HEADER] = token()
    path = base.path.rstrip("/") + request.get_full_path()
    connection = connection_class(cast(str, base.hostname), base.port, timeout=timeout)
    try:
        connection.request(cast(str, request.method), path, body=body, headers=headers)
        upstream = connection.getresponse()
        content = upstream.read()
    except (OSError, http.client.HTTPException) as exc:  # refused, reset or timed out: say so, quickly
        raise errors.VoiceUnavailableError(
            retry_after=int(getattr(settings, "VOICE_RETRY_AFTER", 5)) * 2
        ) from exc
    finally:
        connection.close()
    response = HttpResponse(content, status=upstream.status)
    for name in RETURNED_HEADERS:
        value = upstream.getheader(name)
        if value is not None:
            response[name] = value
    for cookie in upstream.headers.get_all("Set-Cookie") or []:
        response.cookies.load(cookie)
    return response
