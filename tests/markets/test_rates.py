"""Exchange rates: the seeded demo table, the admin, and `manage.py load_rates CSV` with clear errors."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from storefront.markets import rates
from storefront.markets.models import ExchangeRate

pytestmark = pytest.mark.django_db

DEMO = {
    "USD": Decimal("1"),
    "CNY": Decimal("7.10"),
    "KRW": Decimal("1385"),
    "EUR": Decimal("0.92"),
    "SAR": Decimal("3.75"),
}


def test_demo_rates_are_seeded_by_migration():
    seeded = {r.currency: r.rate for r in ExchangeRate.objects.filter(as_of=date(2026, 11, 1))}
    assert seeded == DEMO
    for currency, rate in DEMO.items():
        assert rates.current(currency) == rates.Rate(currency, rate, date(2026, 11, 1))


def test_latest_rate_wins():
    ExchangeRate.objects.create(currency="KRW", rate=Decimal("1400"), as_of=date(2026, 11, 20))
    ExchangeRate.objects.create(currency="KRW", rate=Decimal("1300"), as_of=date(2026, 10, 1))
    assert rates.current("KRW").rate == Decimal("1400")


def test_a_currency_without_rate_has_none():
    assert rates.current("JPY") is None
    ExchangeRate.objects.filter(currency="USD").delete()
    assert rates.current("USD") == rates.BASE_RATE  # the base currency needs no row


@pytest.mark.parametrize(
    ("fields", "error_field"),
    [
        ({"currency": "XYZ", "rate": Decimal("1")}, "currency"),
        ({"currency": "krw", "rate": Decimal("1")}, "currency"),
        ({"currency": "KRW", "rate": Decimal("0")}, "rate"),
        ({"currency": "USD", "rate": Decimal("2")}, "rate"),
        ({"currency": "BHD", "rate": Decimal("0.38")}, "currency"),
    ],
)
def test_model_validation(fields, error_field):
    with pytest.raises(ValidationError) as info:
        ExchangeRate(as_of=date(2026, 11, 2), **fields).full_clean()
    assert error_field in info.value.message_dict


def test_admin_lists_and_edits_rates(admin_client):
    response = admin_client.get(reverse("admin:markets_exchangerate_changelist"))
    assert response.status_code == 200 and "KRW" in response.content.decode()
    response = admin_client.post(
        reverse("admin:markets_exchangerate_add"),
        {"currency": "KRW", "rate": "1390.5", "as_of": "2026-11-21"},
    )
    assert response.status_code == 302
    assert rates.current("KRW").rate == Decimal("1390.5")


def write(tmp_path, text: str):
    path = tmp_path / "rates.csv"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_load_rates_adds_and_updates(tmp_path):
    out = StringIO()
    call_command(
        "load_rates",
        write(
            tmp_path,
            "currency,rate,date\nKRW,1401.25,2026-11-21\neur, 0.93 ,2026-11-21\n\nKRW,1385,2026-11-01\n",
        ),
        stdout=out,
    )
    assert "Loaded 3 rate(s): 2 new, 1 updated." in out.getvalue()
    assert rates.current("KRW") == rates.Rate("KRW", Decimal("1401.25"), date(2026, 11, 21))
    assert rates.current("EUR").rate == Decimal("0.93")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("currency,rate,date\nXYZ,1,2026-11-21\n", "line 2: unknown currency 'XYZ'"),
        ("currency,rate,date\nKRW,abc,2026-11-21\n", "line 2: rate 'abc' is not a positive number"),
        ("currency,rate,date\nKRW,-5,2026-11-21\n", "rate '-5' is not a positive number"),
        ("currency,rate,date\nKRW,NaN,2026-11-21\n", "rate 'NaN' is not a positive number"),
        ("currency,rate,date\nKRW,1.123456789,2026-11-21\n", "more than 8 decimals"),
        ("currency,rate,date\nKRW,1385,21/11/2026\n", "date '21/11/2026' is not YYYY-MM-DD"),
        ("currency,rate,date\nUSD,1.1,2026-11-21\n", "the base currency USD must have rate 1"),
        ("currency,rate,date\nKRW,1385,2026-11-21,extra\n", "line 2: too many columns"),
        (
            "currency,rate,date\nKRW,1385,2026-11-21\nKRW,1386,2026-11-21\n",
            "line 3: KRW on 2026-11-21 already given",
        ),
    ],
)
def test_load_rates_rejects_bad_files_and_loads_nothing(tmp_path, text, message):
    with pytest.raises(CommandError) as info:
        call_command("load_rates", write(tmp_path, text + "EUR,0.95,2026-11-21\n"))  # a good row too
    assert message in str(info.value)
    assert not ExchangeRate.objects.filter(as_of=date(2026, 11, 21)).exists()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("currency,price\nKRW,1385\n", "missing: rate, date"),
        ("currency,rate,date\n", "no rates in the file"),
        ("", "missing: currency, rate, date"),
    ],
)
def test_load_rates_needs_the_header_and_rows(tmp_path, text, message):
    with pytest.raises(CommandError, match=message):
        call_command("load_rates", write(tmp_path, text))


def test_load_rates_reports_every_bad_row(tmp_path):
    with pytest.raises(CommandError) as info:
        call_command("load_rates", write(tmp_path, "currency,rate,date\nXYZ,1,2026-11-21\nKRW,0,2026-1-1\n"))
    assert "2 bad row(s)" in str(info.value)
    assert "line 2:" in str(info.value) and "line 3:" in str(info.value)


def test_load_rates_missing_or_binary_file(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        call_command("load_rates", str(tmp_path / "nope.csv"))
    path = tmp_path / "bin.csv"
    path.write_bytes(b"\xff\xfe\x00\x81garbage")
    with pytest.raises(CommandError, match="not UTF-8"):
        call_command("load_rates", str(path))


def test_load_rates_demo_restores_the_default_table():
    ExchangeRate.objects.all().delete()
    out = StringIO()
    call_command("load_rates", "--demo", stdout=out)
    assert "Loaded 5 demo rate(s) dated 2026-11-01." in out.getvalue()
    assert {r.currency: r.rate for r in ExchangeRate.objects.all()} == DEMO
    with pytest.raises(CommandError, match="or --demo"):
        call_command("load_rates")
