"""Emails about family payment, sent through Django's email backend after the change commits.

One plain-text template per message: templates/family/email/<kind>.txt, first line the subject.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string

log = logging.getLogger(__name__)


def notify(kind: str, *, to: str, base_url: str = "", **context) -> None:
    """Queue one email; nothing is sent if the surrounding transaction rolls back, or there is no address."""
    if not to:
        return

    def send() -> None:
        site = base_url or getattr(settings, "SITE_URL", "")  # commands have no request to take it from
        text = render_to_string(f"family/email/{kind}.txt", {"base_url": site, **context}).strip()
        subject, _sep, body = text.partition("\n")
        try:
            send_mail(subject.strip(), body.strip() + "\n", settings.DEFAULT_FROM_EMAIL, [to])
        except Exception:  # an email problem must never undo or hide a payment decision
            log.exception("Could not send family email %s", kind)

    transaction.on_commit(send)
