"""The shopper's time zone and the one way each kind of date is written across the shop.

The zone is, in order: the signed-in shopper's stored preference (`User.time_zone`), the `tz` cookie (set by
the preference form, or offered by the browser through static/js/timezone.js when nothing was chosen), then
the zone of the destination country (one representative zone per destination), then the shop's zone.
`TimeZoneMiddleware` activates it per request, so `timezone.localtime` and the template filters below use it.

Formats (Babel, in the active language): "date" (December 3, 2026 / 2026年12月3日), "day" (Thu, December 3),
"time" (1:20 PM KST) and "datetime" (December 3, 2026, 1:20 PM KST). Templates write `{{ value|when:"date" }}`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, tzinfo
from typing import cast
from zoneinfo import ZoneInfo, available_timezones

from babel.dates import format_date, format_skeleton, format_time, get_datetime_format
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import get_language, to_locale

COOKIE = "tz"
COOKIE_AGE = 365 * 24 * 3600

# One zone per destination: where most of its shoppers live (the capital or the biggest city).
DESTINATION_ZONES = {
    "US": "America/New_York",
    "CN": "Asia/Shanghai",
    "KR": "Asia/Seoul",
    "SA": "Asia/Riyadh",
    "DE": "Europe/Berlin",
    "GB": "Europe/London",
    "FR": "Europe/Paris",
    "JP": "Asia/Tokyo",
    "SG": "Asia/Singapore",
    "ID": "Asia/Jakarta",
}

KINDS = ("date", "day", "time", "datetime")


def valid_zone(name: object) -> str | None:
    """The IANA name if it is a real zone ("Asia/Seoul"), else None (cookies and forms are untrusted)."""
    if not isinstance(name, str) or not name or len(name) > 64 or name not in _zones():
        return None
    return name


_ZONES: frozenset[str] | None = None


def _zones() -> frozenset[str]:
    global _ZONES
    if _ZONES is None:
        _ZONES = frozenset(available_timezones())
    return _ZONES


def zone_choices() -> list[tuple[str, str]]:
    """Every zone, for the preference <select>, sorted by name."""
    return [
        (name, name.replace("_", " "))
        for name in sorted(_zones())
        if "/" in name and not name.startswith(("Etc/", "SystemV/", "posix/", "right/"))
    ]


def resolve(request: HttpRequest) -> str:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and (zone := valid_zone(getattr(user, "time_zone", ""))):
        return zone
    if zone := valid_zone(request.COOKIES.get(COOKIE)):
        return zone
    return DESTINATION_ZONES.get(getattr(request, "country", ""), settings.TIME_ZONE)


class TimeZoneMiddleware:
    """Activates the shopper's zone for the request (after MarketMiddleware, which sets `request.country`)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.time_zone = resolve(request)  # type: ignore[attr-defined]
        timezone.activate(ZoneInfo(request.time_zone))  # type: ignore[attr-defined]  # set just above
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


def _locale() -> str:
    return to_locale(get_language() or settings.LANGUAGE_CODE)


def _zone_label(moment: datetime) -> str:
    return moment.tzname() or ""


def format_when(value: date | datetime | None, kind: str = "datetime", zone: tzinfo | None = None) -> str:
    """`value` written the shop's one way for its kind, in the active language and time zone."""
    if value is None or value == "":
        return ""
    if kind not in KINDS:
        raise ValueError(f"unknown date kind {kind!r}; use one of {KINDS}")
    locale = _locale()
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value, zone)
        day = value.date()
    else:
        day = value
    try:
        if kind == "date":
            return format_date(day, "long", locale=locale)
        if kind == "day":
            return format_skeleton("MMMMEEEEd", day, locale=locale)
        moment = cast(datetime, value)  # the time kinds are asked of datetimes only
        clock = f"{format_time(moment, 'short', locale=locale)} {_zone_label(moment)}".strip()
        if kind == "time":
            return clock
        pattern = cast(str, get_datetime_format("medium", locale=locale))  # a "{1} {0}" pattern string
        # the same date as the "date" kind, so a page never shows one day written two ways
        return pattern.replace("{1}", format_date(day, "long", locale=locale)).replace("{0}", clock)
    except (ValueError, LookupError, AttributeError):  # an unknown Babel locale must never break a page
        return value.isoformat()
