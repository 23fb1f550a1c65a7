"""E-mails about an order's money and returns, to the shopper and (for a family order) the payer, each in the
language they chose. Rendered after the change commits, delivered by the e-mail task (`storefront.mail`).

One plain-text template per message: templates/checkout/email/<kind>.txt, first line the subject.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from storefront import mail
from storefront.markets.money import format_money

from . import payers
from .models import Order, Refund, ReturnRequest

log = logging.getLogger(__name__)


def _recipients(order: Order, *, payer: bool) -> list:
    people = [order.user]
    other = payers.other_payer(order) if payer else None  # family payment, when installed
    if other is not None:
        people.append(other.user)
    return [p for p in people if getattr(p, "email", "")]


def _send(kind: str, order: Order, *, payer: bool = False, **context) -> None:
    def render_and_queue() -> None:
        people = _recipients(order, payer=payer)
        context["family_paid"] = len(people) > 1
        for person in people:
            language = getattr(person, "preferred_language", "") or settings.LANGUAGE_CODE
            try:
                with translation.override(language):
                    amount = context.get("refund")
                    text = render_to_string(
                        f"checkout/email/{kind}.txt",
                        {
                            "base_url": getattr(settings, "SITE_URL", ""),
                            "order": order,
                            "is_payer": person != order.user,
                            "amount": format_money(amount.amount, amount.currency, language)
                            if amount
                            else "",
                            **context,
                        },
                    ).strip()
            except Exception:  # an e-mail problem must never undo or hide a money decision
                log.exception("Could not render checkout e-mail %s", kind)
                continue
            subject, _sep, body = text.partition("\n")
            mail.queue(subject.strip(), body.strip() + "\n", [person.email])

    transaction.on_commit(render_and_queue)


def refund_issued(refund: Refund) -> None:
    """Money went back: to the shopper, and to the family payer whose card it returns to."""
    _send("refund_issued", refund.order, payer=True, refund=refund)


def return_decided(return_request: ReturnRequest) -> None:
    """A return was requested, approved, refused or received: the shopper's next step."""
    _send("return_update", return_request.order, return_request=return_request)
