"""The shopper's time zone (preference, cookie, the browser's offer, the destination's zone) and the one format per
kind of date, in every language."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone, translation

from storefront.markets import timezones
from storefront.markets.timezones import format_when

MOMENT = datetime(2026, 12, 3, 4, 20, tzinfo=UTC)  # 13:20 in Seoul, 12:20 in Shanghai, 07:20 in Riyadh


def request_with(country="US", cookie=None, user=None):
    request = RequestFactory().get("/")
    if cookie is not None:
        request.COOKIES[timezones.COOKIE] = cookie
    request.country = country
    if user is not None:
        request.user = user
    return request


@pytest.mark.parametrize(
    ("country", "zone"),
    [("KR", "Asia/Seoul"), ("CN", "Asia/Shanghai"), ("SA", "Asia/Riyadh"), ("US", "America/New_York")],
)
def test_the_destination_gives_the_default_zone(country, zone):
    assert timezones.resolve(request_with(country)) == zone


def test_every_destination_has_a_real_zone():
    from storefront.markets.choices import COUNTRIES

    assert {
        c: timezones.valid_zone(timezones.DESTINATION_ZONES.get(c)) for c in COUNTRIES
    } == timezones.DESTINATION_ZONES


def test_the_browsers_offer_beats_the_destination_and_nonsense_is_ignored():
    assert timezones.resolve(request_with("KR", cookie="Europe/Paris")) == "Europe/Paris"
    assert timezones.resolve(request_with("KR", cookie="Mars/Olympus")) == "Asia/Seoul"
    assert timezones.resolve(request_with("KR", cookie="../../etc/passwd")) == "Asia/Seoul"


def test_the_stored_preference_wins(db, user):
    user.time_zone = "Asia/Tokyo"
    assert timezones.resolve(request_with("KR", cookie="Europe/Paris", user=user)) == "Asia/Tokyo"


@pytest.mark.parametrize(
    ("language", "zone", "expected"),
    [
        (
            "en",
            "Asia/Seoul",
            {
                "date": "December 3, 2026",
                "day": "Thu, December 3",
                "time": "1:20\u202fPM KST",
                "datetime": "December 3, 2026, 1:20\u202fPM KST",
            },
        ),
        ("ko", "Asia/Seoul", {"date": "2026년 12월 3일", "time": "오후 1:20 KST"}),
        ("zh-hans", "Asia/Shanghai", {"date": "2026年12月3日", "time": "12:20 CST"}),
    ],
)
def test_one_format_per_kind_in_the_shoppers_language_and_zone(language, zone, expected):
    with translation.override(language), timezone.override(ZoneInfo(zone)):
        assert {kind: format_when(MOMENT, kind) for kind in expected} == expected


def test_arabic_dates_and_plain_dates():
    with translation.override("ar"), timezone.override(ZoneInfo("Asia/Riyadh")):
        text = format_when(MOMENT, "datetime")
        assert "ديسمبر" in text and "+03" in text
    assert format_when(date(2026, 12, 3), "date") == "December 3, 2026"
    assert format_when(None) == ""
    with pytest.raises(ValueError):
        format_when(MOMENT, "fortnight")


def test_pages_show_times_in_the_destinations_zone(user_client, user):
    user_client.cookies["country"] = "KR"
    page = user_client.get(reverse("accounts:account")).content.decode()
    assert "Dates and times are shown in Asia/Seoul." in page


def test_the_preference_is_stored_and_remembered_by_the_browser(user_client, user):
    response = user_client.post(reverse("accounts:time_zone"), {"time_zone": "Asia/Jakarta"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.time_zone == "Asia/Jakarta"
    assert response.cookies[timezones.COOKIE].value == "Asia/Jakarta"
    page = user_client.get(reverse("accounts:account")).content.decode()
    assert "Dates and times are shown in Asia/Jakarta." in page
    assert user_client.post(reverse("accounts:time_zone"), {"time_zone": "Nowhere/Land"}).status_code == 400
    response = user_client.post(reverse("accounts:time_zone"), {"time_zone": ""})  # back to automatic
    user.refresh_from_db()
    assert user.time_zone == "" and response.cookies[timezones.COOKIE].value == ""


def test_the_browser_offers_its_zone_from_a_static_script_only_when_none_was_chosen(db, client):
    page = client.get("/").content.decode()
    assert 'src="/static/js/timezone.js"' in page
    script = (Path(settings.BASE_DIR) / "static/js/timezone.js").read_text()
    assert "resolvedOptions().timeZone" in script and "tz=" in script
    assert "if (/(?:^|;\\s*)tz=/.test(document.cookie)) return;" in script
