"""'Notify me when back in stock': signing up for a sold-out product, and the one e-mail when stock returns.

Stock returns when a merchant saves the product (the post_save hook in catalog.signals) or when an order's
units go back on the shelf (checkout.stock.release). Each alert is sent once: it is marked notified in the
same transaction that queues its e-mail (storefront.mail.queue_on_commit), so a rolled-back change sends
nothing and a second restock sends nothing more. The e-mail is written in the language the shopper used.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from storefront import mail

from .models import Product, StockAlert


def subscribe(product: Product, email: str, *, user=None, language: str = "", base_url: str = "") -> bool:
    """Remember that `email` wants to hear when `product` is back; False if it was already waiting."""
    email = email.strip().lower()
    if StockAlert.objects.filter(product=product, email=email, notified_at=None).exists():
        return False
    try:
        with transaction.atomic():
            StockAlert.objects.create(
                product=product,
                email=email,
                user=user if user and user.pk else None,
                language=language[:10],
                base_url=base_url[:200],
            )
    except IntegrityError:  # the same request twice at once: one alert is enough
        return False
    return True


def is_waiting(product: Product, user) -> bool:
    return bool(
        user
        and user.is_authenticated
        and StockAlert.objects.filter(product=product, user=user, notified_at=None).exists()
    )


def notify_restocked(product_ids: Iterable[int]) -> int:
    """Queue the e-mail of every waiting alert whose product is on sale with stock again; returns how many."""
    ids = list(product_ids)
    if not ids:
        return 0
    with transaction.atomic():
        alerts = list(
            StockAlert.objects.select_for_update()
            .filter(product_id__in=ids, notified_at=None, product__stock__gt=0, product__is_active=True)
            .select_related("product")
        )
        for alert in alerts:
            subject, body = _render(alert)
            mail.queue_on_commit(subject, body, [alert.email])
        StockAlert.objects.filter(pk__in=[a.pk for a in alerts]).update(notified_at=timezone.now())
    return len(alerts)


def _render(alert: StockAlert) -> tuple[str, str]:
    base_url = alert.base_url or getattr(settings, "SITE_URL", "")
    with translation.override(alert.language or settings.LANGUAGE_CODE):
        text = render_to_string(
            "catalog/email/back_in_stock.txt", {"product": alert.product, "base_url": base_url.rstrip("/")}
        ).strip()
    subject, _sep, body = text.partition("\n")
    return subject.strip(), body.strip() + "\n"
