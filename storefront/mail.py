"""Outgoing e-mail: every message the shop sends is delivered by the `send_email` task.

Callers render the message themselves (they hold the objects it describes) and queue plain strings. With a
broker a worker delivers it, retried with backoff if the mail server fails; without one it is sent inline.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

log = logging.getLogger(__name__)


@shared_task(name="mail.send_email")
def send_email(subject: str, body: str, to: list[str], from_email: str = "") -> int:
    return send_mail(subject, body, from_email or settings.DEFAULT_FROM_EMAIL, list(to))


def queue(subject: str, body: str, to: Sequence[str], *, from_email: str = "") -> None:
    """Queue one message now. A broker or mail outage is logged, never raised: an e-mail problem must not undo
    or hide the decision it reports."""
    try:
        send_email.delay(subject, body, list(to), from_email)
    except Exception:
        log.exception("Could not queue e-mail %r to %s", subject, ", ".join(to))


def queue_on_commit(subject: str, body: str, to: Sequence[str], *, from_email: str = "") -> None:
    """Queue one message once the surrounding transaction commits; a rolled-back change sends nothing."""
    transaction.on_commit(lambda: queue(subject, body, to, from_email=from_email))
