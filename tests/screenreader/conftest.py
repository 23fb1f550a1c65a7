"""Fixtures for the screen-reader transcript tests: one Orca + Chromium session per module (harness.py), the
seeded catalogue of the browser tests served by the live server, and sign-in by session cookie.

Every test here is marked `screenreader`. Without the Debian packages the tests skip locally and fail under
CI=true (install them with `bash .ci/system-packages`).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parent / "browser"))
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from browserkit import seed_catalogue  # noqa: E402
from harness import ScreenReader, missing_tools  # noqa: E402


def pytest_collection_modifyitems(config, items):
    for item in items:
        if HERE in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.screenreader)


@pytest.fixture(scope="session")
def screen_reader(tmp_path_factory):
    missing = missing_tools()
    if missing:
        message = f"the screen-reader harness needs: {' '.join(missing)} (bash .ci/system-packages)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true: {message}", pytrace=False)
        pytest.skip(message)
    sr = ScreenReader(tmp_path_factory.mktemp("screen-reader"))
    try:
        sr.start()
    except Exception:
        sr.stop()
        raise
    yield sr
    sr.stop()


@pytest.fixture(scope="session")
def cdp(screen_reader, playwright):
    """Playwright attached to Orca's Chromium over CDP: for cookies and for putting focus where a journey
    starts (the listening and the key presses stay with Orca and xdotool). It borrows pytest-playwright's
    session Playwright: a second sync Playwright in the same run refuses to start inside the first's loop."""
    browser = playwright.chromium.connect_over_cdp(f"http://127.0.0.1:{screen_reader.cdp_port}")
    yield browser.contexts[0]
    browser.close()


@pytest.fixture
def shop(live_server, _test_settings, settings, tmp_path_factory):
    from browserkit import Shop

    settings.MEDIA_ROOT = tmp_path_factory.getbasetemp() / "screenreader-media"
    return Shop(url=live_server.url, **seed_catalogue())


@pytest.fixture
def sign_in_as(cdp, shop):
    """Sign a user in for Orca's Chromium (a session cookie); returns the session for extra keys."""
    from django.test import Client

    def sign_in(user, **session_values):
        client = Client()
        client.force_login(user)
        session = client.session
        for key, value in session_values.items():
            session[key] = value
        session.save()
        cdp.clear_cookies()
        cdp.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": shop.url}])
        return session

    return sign_in
