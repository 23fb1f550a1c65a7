"""PAYMENT_SANDBOX decides whether the sandbox exists at all: off, the app is not installed, its provider page
is a 404, and a shop with no real gateway fails `manage.py check`; on (DEBUG, the demo, these tests), all is
there. The settings module is read once per process, so the "off" cases run `manage.py` in a subprocess."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.test import override_settings
from django.urls import NoReverseMatch, clear_url_caches, reverse

from storefront.sandbox.models import SandboxWalletCharge

ROOT = Path(__file__).resolve().parents[2]
PROBE = """
import os
import django
django.setup()
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.urls import Resolver404, resolve
try:
    resolve("/test-provider/wal_abc/")
    mounted = True
except Resolver404:
    mounted = False
print(apps.is_installed("storefront.sandbox"), mounted, sorted(settings.PAYMENT_CARD_GATEWAYS))
try:
    call_command("check", stdout=open(os.devnull, "w"))
    print("check passed")
except SystemCheckError as exc:
    print("check failed:", str(exc).replace(chr(10), " "))
"""


def run(argv: list[str], **env: str) -> subprocess.CompletedProcess:
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "PAYMENT_SANDBOX", "PAYMENT_GATEWAY", "PAYMENT_CARD_GATEWAYS", "DATABASE_URL"}
    }
    env = {
        **base,
        "DJANGO_SETTINGS_MODULE": "storefront.settings",
        "SECRET_KEY": "switch-test-not-a-secret",
        "DATABASE_URL": "sqlite:///:memory:",
        **env,
    }
    return subprocess.run(
        [sys.executable, *argv], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.fixture
def root_urls_reloaded():
    """Re-read the root URLconf under the test's settings, and again afterwards for the tests that follow."""

    def reload() -> None:
        clear_url_caches()
        importlib.reload(importlib.import_module(settings.ROOT_URLCONF))

    yield reload
    reload()


def test_on_in_the_tests_and_the_demo():
    assert settings.PAYMENT_SANDBOX and apps.is_installed("storefront.sandbox")
    assert reverse("sandbox:provider", args=["wal_abc"]) == "/test-provider/wal_abc/"


def test_off_the_provider_page_is_not_mounted(client, db, root_urls_reloaded):
    SandboxWalletCharge.objects.create(
        idempotency_key="k", reference="wal_abc", method="alipay", amount=Decimal("3.00"), currency="CNY"
    )
    assert client.get("/test-provider/wal_abc/").status_code == 200
    with override_settings(PAYMENT_SANDBOX=False):
        root_urls_reloaded()
        assert client.get("/test-provider/wal_abc/").status_code == 404
        with pytest.raises(NoReverseMatch):
            reverse("sandbox:provider", args=["wal_abc"])


def probe(**env: str) -> list[str]:
    """(installed, mounted, card gateways) and the outcome of `manage.py check`, in a fresh process."""
    done = run(["-c", PROBE], **env)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().split("\n")


def test_production_default_has_no_sandbox_and_fails_the_check_without_a_gateway():
    state, check = probe(DEBUG="False")
    assert state == "False False []"
    assert check.startswith("check failed:") and "checkout.E001" in check and "PAYMENT_SANDBOX" in check


def test_sandbox_can_be_switched_on_or_off_explicitly():
    assert probe(DEBUG="False", PAYMENT_SANDBOX="True") == ["True True ['test']", "check passed"]
    state, check = probe(DEBUG="True", PAYMENT_SANDBOX="False")
    assert state == "False False []" and "checkout.E001" in check
