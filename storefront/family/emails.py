"""Emails about family payment, rendered here and delivered by the e-mail task once the change commits.

One plain-text template per message: templates/family/email/<kind>.txt, first line the subject. Each message
is written for its recipient: in the language they chose, with dates in their time zone, and naming the other
person the way the recipient named them ("Mum (Soon-ja)"), so templates get the link and choose the name.
"""

from __future__ import annotations

import logging
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from storefront import mail
from storefront.markets import timezones

log = logging.getLogger(__name__)


def recipient_language(user) -> str:
    return getattr(user, "preferred_language", "") or translation.get_language() or settings.LANGUAGE_CODE


def recipient_zone(user) -> str:
    """The recipient's chosen zone, else the zone of their destination or default address, else the shop's."""
    if zone := timezones.valid_zone(getattr(user, "time_zone", "")):
        return zone
    country = getattr(user, "preferred_country", "")
    if not country and getattr(user, "pk", None):
        default = user.addresses.filter(is_default=True).values_list("country", flat=True).first()
        country = default or ""
    return timezones.DESTINATION_ZONES.get(country, settings.TIME_ZONE)


def notify(kind: str, *, to, base_url: str = "", **context) -> None:
    """Queue one email to `to` (a user, or a bare address for an invitation to someone without an account);
    nothing is sent if the surrounding transaction rolls back, or there is no address."""
    user = None if isinstance(to, str) else to
    address = to if isinstance(to, str) else getattr(to, "email", "") or ""
    if not address:
        return
    language = recipient_language(user) if user is not None else translation.get_language()

    def render_and_queue() -> None:
        site = base_url or getattr(settings, "SITE_URL", "")  # commands have no request to take it from
        try:
            zone = ZoneInfo(recipient_zone(user)) if user is not None else timezone.get_current_timezone()
            with translation.override(language), timezone.override(zone):
                text = render_to_string(
                    f"family/email/{kind}.txt", {"base_url": site, "recipient": user, **context}
                ).strip()
        except Exception:  # an email problem must never undo or hide a payment decision
            log.exception("Could not render family email %s", kind)
            return
        subject, _sep, body = text.partition("\n")
        mail.queue(subject.strip(), body.strip() + "\n", [address])

    # Rendered after commit (it reads the committed objects), then queued as plain text.
    transaction.on_commit(render_and_queue)
