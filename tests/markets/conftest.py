"""Compiled catalogues (.mo) are build output (`make messages`); compile them here too when they are missing or
older than their .po, so `pytest tests/markets` works straight after editing a translation."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation


def _compile_stale_catalogues() -> None:
    pos = Path(settings.BASE_DIR, "locale").glob("*/LC_MESSAGES/*.po")
    stale = [
        po
        for po in pos
        if not (mo := po.with_suffix(".mo")).exists() or mo.stat().st_mtime < po.stat().st_mtime
    ]
    if not stale:
        return
    from django.core.management import call_command
    from django.utils.translation import trans_real

    call_command("compilemessages", verbosity=0, ignore_patterns=[".venv"])
    trans_real._translations = {}
    trans_real._default = None


_compile_stale_catalogues()


@pytest.fixture(autouse=True)
def _language_does_not_leak():
    """Requests here switch languages (LocaleMiddleware leaves the last one active in the thread): reset it, so
    tests that run later in the same process see the default language."""
    yield
    translation.deactivate()
