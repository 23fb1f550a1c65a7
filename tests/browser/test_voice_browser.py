"""static/js/voice.js against a real (fake-device) microphone stream in Chromium.

Chromium is launched with a fake capture device that plays a WAV synthesised in the test with espeak-ng (a
product name, then silence so the script's end-of-speech detection stops the recording). Pressing the elder
edition's microphone button must record, POST the WAV to /voice/search/ and show "You said: ..." with results,
or, when the product was heard clearly, open its page with the way back to the results.
"""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest
from browserkit import CHROMIUM, CHROMIUM_ARGS, new_context, set_edition

pytestmark = [pytest.mark.browser, pytest.mark.voice]


@pytest.fixture
def spoken_wav(tmp_path, shop):
    """The main product's Korean name, spoken by espeak-ng, 16 kHz mono, with 0.5 s silence before, 3 s after."""
    missing = [tool for tool in ("espeak-ng", "sox") if shutil.which(tool) is None]
    if missing:
        message = f"needs {' and '.join(missing)} (apt-get install espeak-ng sox)"
        if os.environ.get("CI", "").lower() == "true":  # CI must not skip voice tests silently
            pytest.fail(f"CI=true but the voice browser test {message}", pytrace=False)
        pytest.skip(message)
    spoken = tmp_path / "spoken.wav"
    out = tmp_path / "query.wav"
    subprocess.run(
        ["espeak-ng", "-v", "ko", "-s", "150", "-w", str(spoken), shop.product.name_ko], check=True
    )
    subprocess.run(
        ["sox", str(spoken), "-r", "16000", "-c", "1", "-b", "16", str(out), "pad", "0.5", "3"], check=True
    )
    return out


@pytest.fixture
def mic_browser(browser_type, spoken_wav):
    browser = browser_type.launch(
        executable_path=CHROMIUM,
        args=[
            *CHROMIUM_ARGS,
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            "--autoplay-policy=no-user-gesture-required",
            f"--use-file-for-fake-audio-capture={spoken_wav}",
        ],
    )
    yield browser
    browser.close()


def test_elder_microphone_button_records_posts_and_shows_what_was_heard(mic_browser, shop):
    context = new_context(mic_browser)
    context.add_cookies([{"name": "django_language", "value": "ko", "url": shop.url}])
    context.set_default_timeout(30_000)  # the first voice request loads the Korean model (a few seconds)
    page = context.new_page()
    set_edition(page, shop, "elder")
    page.goto(shop("/"))
    button = page.locator("[data-voice-button]").first
    button.wait_for(state="visible")
    with page.expect_response(lambda r: "/voice/search/" in r.url and r.request.method == "POST") as posted:
        button.click()
        page.wait_for_function(
            "() => document.querySelector('[data-voice-button]').getAttribute('aria-pressed') === 'true'"
        )
    response = posted.value
    assert response.status == 200
    assert response.request.headers.get("content-type") == "audio/wav"
    page.wait_for_function(
        "() => location.pathname !== '/' || "
        "document.querySelector('[data-voice-results] [data-voice-fragment]') !== null"
    )
    if page.url.rstrip("/") != shop("/").rstrip("/"):
        # A clear hit: the script opened the product, which says what was found and offers the way back.
        page.wait_for_url(f"**{shop.product.get_absolute_url()}")
        assert page.locator("[data-voice-speak]").count() == 1
        page.locator('a[href="/voice/results/"]').click()
        page.wait_for_url("**/voice/results/")
        assert page.locator("li.voice-card article.product-card").count() >= 1
    else:
        results = page.locator("[data-voice-results] [data-voice-fragment]")
        results.wait_for()
        transcript = page.locator("#voice-transcript-q")
        assert transcript.input_value().strip(), "no transcript shown"
        assert page.locator("label[for=voice-transcript-q]").is_visible()
        assert page.locator("[data-voice-results] li.voice-card article.product-card").count() >= 1
        assert button.get_attribute("aria-pressed") == "false"
    context.close()
