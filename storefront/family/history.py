"""Family history details rendered from the data an event stores, in the reader's language and money format
(an event written in one language must read right in another: "US$60.00 a month, not for: 电子产品")."""

from __future__ import annotations

from django.utils.translation import gettext as _

from storefront.checkout.said import Said, money_text


def _money(data: dict) -> str:
    """The amount an event stores, in the reader's money format (checkout's one reader of stored money); family
    events written before the currency was stored are in US dollars."""
    return money_text({**data, "currency": data.get("currency") or "USD"})


def _categories(ids: list) -> str:
    from storefront.catalog.models import Category

    wanted = [i for i in ids if isinstance(i, int)]
    names = {c.pk: c.display_name for c in Category.objects.filter(pk__in=wanted)}
    return ", ".join(names[i] for i in wanted if i in names)


def describe(data: dict) -> str:
    note = data.get("note")
    if note == "allowance":
        names = _categories(data.get("excluded") or [])
        if names:
            return _("%(amount)s a month, not for: %(names)s") % {"amount": _money(data), "names": names}
        return _("%(amount)s a month") % {"amount": _money(data)}
    if note == "allowance_removed":
        return _("Allowance removed")
    if note == "refunded":
        return _("%(amount)s refunded to the card of %(name)s.") % {
            "amount": _money(data),
            "name": data.get("name", ""),
        }
    if note == "refund_pending":
        return _("A refund of %(amount)s to the card of %(name)s is still being processed.") % {
            "amount": _money(data),
            "name": data.get("name", ""),
        }
    if note == "expired":
        return _("Nobody answered within 48 hours.")
    if note == "link_ended":
        return _("The family link was ended.")
    if note == "said":  # the shop's own message, e.g. why the payer's card was refused (checkout.said)
        return str(Said.from_data(data.get("said")) or "")
    return ""
