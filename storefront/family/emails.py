"""Emails about family payment, rendered here and delivered by the e-mail task once the change commits.

One plain-text template per message: templates/family/email/<kind>.txt, first line the subject.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string

from storefront import mail

log = logging.getLogger(__name__)


def notify(kind: str, *, to: str, base_url: str = "", **context) -> None:
    """Queue one email; nothing is sent if the surrounding transaction rolls back, or there is no address."""
    if not to:
        return

    def render_and_queue() -> None:
        site = base_url or getattr(settings, "SITE_URL", "")  # commands have no request to take it from
        try:
            text = render_to_string(f"family/email/{kind}.txt", {"base_url": site, **context}).strip()
        except Exception:  # an email problem must never undo or hide a payment decision
            log.exception("Could not render family email %s", kind)
            return
        subject, _sep, body = text.partition("\n")
        mail.queue(subject.strip(), body.strip() + "\n", [to])

    # Rendered after commit (it reads the committed objects), then queued as plain text.
    transaction.on_commit(render_and_queue)
