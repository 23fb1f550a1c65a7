"""Dates and times in templates, one format per kind: `{{ order.placed_at|when }}` (date and time with the
zone), `{{ value|when:"date" }}`, `|when:"day"` (weekday and date), `|when:"time"` (see markets/timezones.py)."""

from __future__ import annotations

from datetime import date, datetime

from django import template

from ..timezones import format_when

register = template.Library()


@register.filter
def when(value: date | datetime | None, kind: str = "datetime") -> str:
    return format_when(value, kind)
