"""The gateway registry (checkout/gateways/__init__.py) and the payment configuration checks (checkout/checks.py):
gateways come from settings, checkout never imports the sandbox, and a shop with no card gateway fails
`manage.py check` with a message that says what to set."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from storefront.checkout import checks
from storefront.checkout.gateways import (
    UnknownGateway,
    gateway_named,
    get_gateway,
    get_redirect_gateway,
    is_redirect_gateway,
)
from storefront.markets import payment_methods

STOREFRONT = Path(__file__).resolve().parents[2] / "storefront"
SANDBOX_IMPORT = re.compile(r"^\s*(from|import)\s+(storefront\.sandbox|\.\.sandbox)\b", re.MULTILINE)


class LocalCardGateway:
    """Stands in for a deployment's real card gateway (only its name matters to the registry)."""

    name = "local"


class MisnamedGateway:
    name = "something-else"


HERE = __name__  # the dotted path of this test module, for the registry to import from


def test_default_and_named_gateways_come_from_settings():
    assert get_gateway().name == "test"
    assert get_redirect_gateway("test_wallets").name == "test_wallets"
    assert gateway_named("test_wallets").name == "test_wallets" and gateway_named("test").name == "test"
    assert is_redirect_gateway("test_wallets") and not is_redirect_gateway("test")


def test_unknown_gateway_is_a_key_error(settings):
    with pytest.raises(KeyError):
        get_gateway("nonexistent")
    settings.PAYMENT_GATEWAY = ""
    with pytest.raises(UnknownGateway, match="no card payment gateway named ''"):
        get_gateway()


def test_a_configured_gateway_is_loaded_by_its_dotted_path(settings):
    settings.PAYMENT_CARD_GATEWAYS = {"local": f"{HERE}.LocalCardGateway"}
    settings.PAYMENT_GATEWAY = "local"
    assert isinstance(get_gateway(), LocalCardGateway)
    with pytest.raises(KeyError):  # the sandbox's name is gone with the sandbox's entry
        get_gateway("test")


def test_checkout_markets_and_family_never_import_the_sandbox():
    offenders = [
        str(path.relative_to(STOREFRONT))
        for app in ("checkout", "markets", "family", "accounts", "cart")
        for path in (STOREFRONT / app).rglob("*.py")
        if SANDBOX_IMPORT.search(path.read_text())
    ]
    assert offenders == []


# --- system checks -----------------------------------------------------------------------------------------


def ids(errors) -> list[str]:
    return sorted(error.id for error in errors)


def test_the_sandbox_configuration_passes():
    assert checks.check_payment_gateways() == []


def test_no_card_gateway_is_an_error_that_says_what_to_set(settings):
    settings.PAYMENT_CARD_GATEWAYS = {}
    settings.PAYMENT_GATEWAY = ""
    errors = checks.check_payment_gateways()
    assert ids(errors) == ["checkout.E001"]
    assert "PAYMENT_SANDBOX" in errors[0].hint and "PAYMENT_CARD_GATEWAYS" in errors[0].hint


def test_a_real_card_gateway_without_wallets_passes_with_a_warning(settings):
    settings.PAYMENT_CARD_GATEWAYS = {"local": f"{HERE}.LocalCardGateway"}
    settings.PAYMENT_REDIRECT_GATEWAYS = {}
    settings.PAYMENT_GATEWAY = "local"
    errors = checks.check_payment_gateways()
    assert ids(errors) == ["checkout.W001"] and "Alipay" in errors[0].msg
    assert [m.code for m in payment_methods.available_for("CN")] == ["card"]  # no wallet nobody can serve


@pytest.mark.parametrize("path", ["storefront.nowhere.Gateway", f"{HERE}.MisnamedGateway"])
def test_a_broken_gateway_path_or_name_is_an_error(settings, path):
    settings.PAYMENT_CARD_GATEWAYS = {**settings.PAYMENT_CARD_GATEWAYS, "other": path}
    assert ids(checks.check_payment_gateways()) == ["checkout.E002"]


def test_a_sandbox_gateway_without_the_sandbox_app_is_an_error(monkeypatch):
    monkeypatch.setattr(checks.apps, "is_installed", lambda name: name != checks.SANDBOX_APP)
    assert ids(checks.check_payment_gateways()) == ["checkout.E003", "checkout.E003"]
