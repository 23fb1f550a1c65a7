"""POST /voice/search/: method, CSRF, body formats, JSON and HTML replies, and 4xx (never 500) for bad input.

These cases fail before any recognition, so they run without loading the speech model.
"""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from voicekit import make_wav, tone

URL = "/voice/search/"
pytestmark = pytest.mark.django_db


def post_wav(client, data: bytes, **extra):
    return client.post(URL, data=data, content_type="audio/wav", HTTP_ACCEPT="application/json", **extra)


def test_url_is_part_of_the_contract():
    from django.urls import reverse

    assert reverse("voice:search") == URL


def test_get_is_not_allowed(ko_client):
    assert ko_client.get(URL).status_code == 405


def test_missing_csrf_token_is_refused_with_403():
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="ko")
    response = post_wav(client, make_wav(tone(1.0)))
    assert response.status_code == 403


def test_a_valid_csrf_token_is_accepted_and_bad_audio_still_gets_a_clear_4xx():
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="ko")
    secret = _get_new_csrf_string()
    client.cookies[settings.CSRF_COOKIE_NAME] = secret
    response = post_wav(client, b"not a wav", HTTP_X_CSRFTOKEN=secret)
    assert response.status_code == 400  # past CSRF, refused by the audio check
    assert "WAV" in response.json()["error"]


@pytest.mark.parametrize(
    "body, status",
    [
        (b"", 400),  # empty
        (b"definitely not audio", 400),  # non-WAV
        (b"RIFF\x24\x00\x00\x00WAVEfmt ", 400),  # truncated header
    ],
)
def test_bad_bodies_get_json_errors(ko_client, body, status):
    response = post_wav(ko_client, body)
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    assert isinstance(response.json()["error"], str) and response.json()["error"]


def test_24_bit_audio_is_refused(ko_client):
    frames = b"".join(int(s * 256).to_bytes(4, "little", signed=True)[:3] for s in tone(0.5))
    response = post_wav(ko_client, make_wav(frames, width=3))
    assert response.status_code == 415
    assert "16" in response.json()["error"]


def test_silence_is_refused_with_a_helpful_message(ko_client):
    response = post_wav(ko_client, make_wav([0] * 16000))
    assert response.status_code == 422
    assert response.json()["error"]


def test_too_long_audio_is_refused(ko_client, settings):
    settings.VOICE_MAX_SECONDS = 2
    response = post_wav(ko_client, make_wav(tone(3.0)))
    assert response.status_code == 413


def test_too_large_audio_is_refused_before_reading(ko_client, settings):
    settings.VOICE_MAX_BYTES = 20_000
    response = post_wav(ko_client, make_wav(tone(5.0)))
    assert response.status_code == 413
    response = ko_client.post(
        URL,
        {"audio": SimpleUploadedFile("a.wav", make_wav(tone(5.0)), "audio/wav")},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 413


def test_multipart_without_the_audio_field_is_refused(ko_client):
    response = ko_client.post(URL, {"other": "x"}, HTTP_ACCEPT="application/json")
    assert response.status_code == 400
    assert response.json()["error"]


def test_language_without_a_model_is_refused_clearly(client):
    response = client.post(
        URL,
        data=make_wav(tone(1.0)),
        content_type="audio/wav",
        HTTP_ACCEPT="application/json",
        HTTP_ACCEPT_LANGUAGE="ar",
    )
    assert response.status_code == 422
    assert response.json()["error"]


def test_errors_as_html_fragment_without_json_accept(ko_client):
    response = ko_client.post(URL, data=b"nope", content_type="audio/wav")
    assert response.status_code == 400
    html = response.content.decode()
    assert "data-voice-fragment" in html and "<html" not in html


def test_audio_is_never_written_to_a_temporary_file(ko_client, monkeypatch):
    """Multipart uploads stay in memory (no TemporaryFileUploadHandler), whatever the settings say."""
    import tempfile

    def no_temp_files(*args, **kwargs):  # pragma: no cover - the failure path
        raise AssertionError("audio must not be spooled to disk")

    monkeypatch.setattr(tempfile, "NamedTemporaryFile", no_temp_files)
    monkeypatch.setattr(settings, "FILE_UPLOAD_MAX_MEMORY_SIZE", 10, raising=False)
    upload = SimpleUploadedFile("a.wav", b"RIFF not really", "audio/wav")
    response = ko_client.post(URL, {"audio": upload}, HTTP_ACCEPT="application/json")
    assert response.status_code == 400
    assert json.loads(response.content)["error"]
