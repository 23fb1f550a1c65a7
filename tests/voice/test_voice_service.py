"""Voice off the web workers (#12): the bounded pool, the per-client upload limit, the relay to the voice service,
and the web process never loading the model. No recognition runs here (the pool refuses first, or the relay
answers), so these tests need no speech model; the real two-process run is tests/voice/test_voice_load.py.
"""

from __future__ import annotations

import http.server
import json
import subprocess
import sys
import threading
from contextlib import ExitStack
from pathlib import Path

import pytest
from django.core.cache import cache
from django.test import RequestFactory
from voicekit import make_wav, tone

from storefront.voice import errors, pool, recogniser, relay

URL = "/voice/search/"
ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_limits(settings):
    settings.VOICE_SERVICE_URL = ""
    settings.VOICE_IN_PROCESS = True
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def no_recognition(monkeypatch):
    """Recognition must not run (nor load a model) in these tests."""

    def refuse(*args, **kwargs):  # pragma: no cover - the failure path
        raise AssertionError("recognition ran in the web process")

    monkeypatch.setattr(recogniser, "recognise_search", refuse)


def message_in_korean(error_class) -> str:
    from django.utils import translation

    with translation.override("ko"):
        return str(error_class.default_message)


def post(client, *, accept: str = "application/json", **extra):
    return client.post(URL, data=make_wav(tone(0.5)), content_type="audio/wav", HTTP_ACCEPT=accept, **extra)


def test_a_full_pool_answers_503_with_retry_after_at_once(ko_client, settings, no_recognition):
    settings.VOICE_POOL_SIZE = 2
    with ExitStack() as held:
        for _ in range(2):
            held.enter_context(pool.slot())
        response = post(ko_client)
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    assert response.json()["error"] == message_in_korean(errors.VoiceBusyError)


def test_the_busy_message_is_a_fragment_for_the_script_and_a_whole_page_without_javascript(
    ko_client, settings, no_recognition
):
    settings.VOICE_POOL_SIZE = 1
    with pool.slot():
        fragment = post(ko_client, accept="text/html")
        page = ko_client.post(URL, {"audio": make_upload()})
    assert fragment.status_code == page.status_code == 503
    assert "Retry-After" in fragment and "Retry-After" in page
    assert "data-voice-fragment" in fragment.content.decode() and "<html" not in fragment.content.decode()
    html = page.content.decode()
    assert "<html" in html and "<h1" in html  # a page to land on when the form was posted without JavaScript
    assert message_in_korean(errors.VoiceBusyError) in html


def make_upload():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("voice.wav", make_wav(tone(0.5)), "audio/wav")


def test_a_slot_is_given_back_after_a_refusal_and_after_an_error(ko_client, settings):
    settings.VOICE_POOL_SIZE = 1
    response = ko_client.post(
        URL, data=b"not a wav", content_type="audio/wav", HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 400
    with pool.slot():  # the failed request gave its slot back: one is free again
        pass


def test_uploads_past_the_rate_limit_get_429_with_retry_after(ko_client, settings):
    settings.VOICE_RATE_LIMIT = 3
    bad = dict(data=b"not a wav", content_type="audio/wav", HTTP_ACCEPT="application/json")
    statuses = [ko_client.post(URL, **bad).status_code for _ in range(4)]
    assert statuses == [400, 400, 400, 429]
    limited = ko_client.post(URL, **bad)
    assert limited.status_code == 429 and int(limited["Retry-After"]) == settings.VOICE_RATE_WINDOW
    # another client is not affected
    other = ko_client.post(URL, REMOTE_ADDR="10.0.0.9", **bad)
    assert other.status_code == 400


def test_a_forged_forwarded_address_does_not_escape_the_limit(ko_client, settings):
    settings.VOICE_RATE_LIMIT = 1
    bad = dict(data=b"x", content_type="audio/wav", HTTP_ACCEPT="application/json")
    assert ko_client.post(URL, **bad).status_code == 400
    assert ko_client.post(URL, HTTP_X_FORWARDED_FOR="10.1.1.1", **bad).status_code == 429


class FakeService(http.server.ThreadingHTTPServer):
    """Stands in for the voice service: records what it got, answers what the test says."""

    def __init__(
        self,
        status: int = 200,
        body: bytes = b"<section data-voice-fragment>ok</section>",
        headers: dict[str, str] | None = None,
    ) -> None:
        self.status, self.body, self.extra = status, body, headers or {}
        self.requests: list[dict] = []
        super().__init__(("127.0.0.1", 0), self.Handler)
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            self.server.requests.append({"path": self.path, "headers": dict(self.headers), "body": body})
            self.send_response(self.server.status)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            for name, value in self.server.extra.items():
                self.send_header(name, value)
            self.send_header("Set-Cookie", "sessionid=abc; Path=/; HttpOnly")
            self.end_headers()
            self.wfile.write(self.server.body)

        def log_message(self, *args) -> None:
            pass


@pytest.fixture
def service(settings):
    server = FakeService()
    settings.VOICE_SERVICE_URL = server.url
    yield server
    server.shutdown()
    server.server_close()


def test_with_a_service_url_the_web_process_relays_and_never_recognises(ko_client, service, no_recognition):
    wav = make_wav(tone(0.5))
    ko_client.cookies["csrftoken"] = "t" * 32
    response = ko_client.post(
        URL + "?next=/",
        data=wav,
        content_type="audio/wav",
        HTTP_ACCEPT="text/html",
        HTTP_X_CSRFTOKEN="t" * 32,
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert response.content == service.body
    assert response.cookies["sessionid"].value == "abc"
    (got,) = service.requests
    assert got["path"] == URL + "?next=/"
    assert got["body"] == wav
    headers = {k.lower(): v for k, v in got["headers"].items()}
    assert headers["x-csrftoken"] == "t" * 32 and "csrftoken=" in headers["cookie"]
    assert headers["hx-request"] == "true" and headers["accept-language"] == "ko"
    assert headers["host"] == "testserver"  # the service checks CSRF and builds links for the shopper's host
    assert headers["x-voice-relay"] == relay.token() and headers["x-forwarded-for"] == "127.0.0.1"


def test_the_services_refusal_comes_back_with_its_retry_after(ko_client, service, no_recognition):
    service.status, service.extra = 503, {"Retry-After": "5"}
    response = post(ko_client)
    assert response.status_code == 503 and response["Retry-After"] == "5"


def test_a_stopped_service_is_a_quick_clear_503(ko_client, settings, no_recognition):
    settings.VOICE_SERVICE_URL = "http://127.0.0.1:9"  # nothing listens on the discard port
    response = post(ko_client)
    assert response.status_code == 503 and int(response["Retry-After"]) > 0
    assert response.json()["error"] == message_in_korean(errors.VoiceUnavailableError)


def test_relays_in_flight_are_bounded_per_web_process(ko_client, service, settings, no_recognition):
    settings.VOICE_RELAY_SLOTS = 1
    relay._slots().acquire()
    try:
        response = post(ko_client)
    finally:
        relay._slots().release()
    assert response.status_code == 503 and response["Retry-After"]
    assert not service.requests


def test_the_relay_counts_the_upload_once_and_the_service_trusts_only_its_token(rf, settings):
    settings.VOICE_RATE_LIMIT = 1
    from storefront.voice.views import client_key

    relayed = rf.post(URL, HTTP_X_FORWARDED_FOR="203.0.113.7", HTTP_X_VOICE_RELAY=relay.token())
    forged = rf.post(URL, HTTP_X_FORWARDED_FOR="203.0.113.7", HTTP_X_VOICE_RELAY="guess")
    assert client_key(relayed) == "203.0.113.7"
    assert client_key(forged) == "127.0.0.1"


def test_the_voice_service_serves_only_voice():
    from storefront.voice.service import OnlyVoiceMiddleware

    middleware = OnlyVoiceMiddleware(lambda request: "served")
    factory = RequestFactory()
    assert middleware(factory.post(URL)) == "served"
    assert middleware(factory.get("/healthz")) == "served"
    assert middleware(factory.get("/")).status_code == 404
    assert middleware(factory.get("/cart/")).status_code == 404


def test_without_a_service_or_in_process_voice_the_endpoint_says_so(ko_client, settings, no_recognition):
    settings.VOICE_IN_PROCESS = False
    response = post(ko_client)
    assert response.status_code == 503
    assert json.loads(response.content)["error"]


def test_importing_the_web_app_and_rendering_voice_pages_loads_no_model():
    """The web entry point, every URL module and the microphone's template tag, in a fresh process: no vosk."""
    code = (
        "import sys, storefront.wsgi\n"
        "from django.urls import get_resolver; get_resolver().url_patterns\n"
        "import storefront.voice.views, storefront.voice.templatetags.voice as t\n"
        "from django.utils import translation\n"
        "translation.activate('ko'); t.voice_available()\n"
        "assert 'vosk' not in sys.modules, 'vosk imported'\n"
        "assert 'storefront.voice.recogniser' not in sys.modules, 'recogniser imported'\n"
        "print('clean')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "storefront.settings",
            "DATABASE_URL": "sqlite:///:memory:",
        },
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "clean" in done.stdout
