"""What the shop said to a shopper, kept as data so that it reads in the reader's language, whenever read.

A message from the shop's own catalogue is its msgid (marked with `gettext_noop`, so makemessages extracts it)
and its params; `str()` translates it into the language active *then*. Params that are themselves words are kept
as codes and looked up at that moment too: an amount is {"amount": "12.00", "currency": "USD"} (shown with
`format_money`), a payment method {"payment_method": "alipay", "label": "..."} (its name from
`markets.payment_methods`). Words that nobody can translate (a provider's own message, what a person typed) are
kept as written (`Said.verbatim`).

Stored as `as_data()` in JSON fields (`OrderEvent.data["said"]`, `Order.failure`), read back with `from_data`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext

from storefront.markets import payment_methods
from storefront.markets.money import format_money


@dataclass(frozen=True)
class Said:
    msgid: str = ""
    params: dict[str, Any] = field(default_factory=dict)
    text: str = ""  # verbatim words, used when there is no msgid

    @classmethod
    def verbatim(cls, text: str) -> Said:
        return cls(text=str(text))

    @classmethod
    def of(cls, message: Said | str) -> Said:
        """A Said as it is; anything else (a provider's text, a test's "Declined") kept as written."""
        return message if isinstance(message, Said) else cls.verbatim(message)

    def __str__(self) -> str:
        if not self.msgid:  # gettext("") would answer with the catalogue's header
            return self.text
        translated = gettext(self.msgid)
        if not self.params:
            return translated
        try:
            return translated % {name: _param(value) for name, value in self.params.items()}
        except (KeyError, TypeError, ValueError):  # a catalogue that lost a placeholder must not break a page
            return self.msgid % {name: _param(value) for name, value in self.params.items()}

    def __bool__(self) -> bool:
        return bool(self.msgid or self.text)

    def in_language(self, language: str) -> str:
        with translation.override(language):
            return str(self)

    def for_log(self) -> str:
        """In the shop's own language: for the admin and the logs, which read the same whoever caused them."""
        return self.in_language(settings.LANGUAGE_CODE)

    def as_data(self) -> dict[str, Any]:
        if not self.msgid:
            return {"text": self.text}
        return {"msgid": self.msgid, "params": dict(self.params)} if self.params else {"msgid": self.msgid}

    @classmethod
    def from_data(cls, data: Any) -> Said | None:
        if not isinstance(data, dict):
            return None
        if data.get("msgid"):
            params = data.get("params")
            return cls(str(data["msgid"]), dict(params) if isinstance(params, dict) else {})
        if data.get("text"):
            return cls.verbatim(str(data["text"]))
        return None


def money(amount: Decimal, currency: str) -> dict[str, str]:
    """An amount as a param (or as event data): shown in the reader's money format."""
    return {"amount": str(amount), "currency": currency}


def method(code: str, label: str = "") -> dict[str, str]:
    """A payment method as a param: its name in the reader's language (`label` if the code is unknown)."""
    return {"payment_method": code, "label": label}


def money_text(data: Any) -> str:
    """`money(...)` data shown in the current language's format; "" when it is not money."""
    if not isinstance(data, dict):
        return ""
    try:
        return format_money(Decimal(str(data.get("amount"))), str(data.get("currency") or ""))
    except (InvalidOperation, TypeError, ValueError, KeyError):
        return ""


def _param(value: Any) -> Any:
    if isinstance(value, dict):
        if "payment_method" in value:
            found = payment_methods.get(str(value["payment_method"]))
            return (
                str(found.name) if found is not None else str(value.get("label") or value["payment_method"])
            )
        if "currency" in value:
            return money_text(value)
    return value
