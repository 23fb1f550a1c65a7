"""Family payment template helpers, so the header, product, checkout and order pages can offer and show family
payment without their views knowing about it. Rules stay in `family.services`.

- `{% family_waiting as n %}`: how many requests wait for the signed-in user's answer (the header count).
- `{% family_link as link %}`: the signed-in user's active link as a beneficiary (who pays for them), or None.
- `{% family_key %}`: a fresh idempotency key for one "Ask my family to pay" button on one page view.
- `{% family_checkout_form as form %}`: the checkout "Ask my family to pay" form, or None.
- `{% family_status_watch pay_request %}`: says (visibly, and through the polite live region) that a request's
  status changed since this user last saw it, and keeps watching it every 30 seconds while the page is open.
"""

from __future__ import annotations

import uuid

from django import template
from django.utils import timezone

from storefront.family.models import FamilyLink, PayRequest

register = template.Library()

SEEN_KEY = "family_seen_{}"


def _user(context: template.Context):
    request = context.get("request")
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


@register.simple_tag(takes_context=True)
def family_waiting(context: template.Context) -> int:
    user = _user(context)
    if user is None:
        return 0
    return PayRequest.objects.pending().filter(payer=user, expires_at__gt=timezone.now()).count()


@register.simple_tag(takes_context=True)
def family_link(context: template.Context) -> FamilyLink | None:
    user = _user(context)
    if user is None:
        return None
    request = context["request"]
    if not hasattr(request, "_family_link"):
        request._family_link = (FamilyLink.objects.active().filter(beneficiary=user)
                                .select_related("payer").first())
    return request._family_link


@register.simple_tag
def family_key() -> str:
    return f"family-{uuid.uuid4().hex}"


@register.simple_tag(takes_context=True)
def family_checkout_form(context: template.Context):
    from storefront.family.forms import CheckoutAskForm

    link = family_link(context)
    if link is None:
        return None
    return CheckoutAskForm(links=[link], initial={"idempotency_key": family_key()})


def status_change(request, pay_request: PayRequest) -> str:
    """The status this user saw last time, if it differs from now ('' otherwise); remembers the current one."""
    session = getattr(request, "session", None)
    if session is None:
        return ""
    key = SEEN_KEY.format(pay_request.public_id)
    seen = session.get(key)
    if seen != pay_request.status:
        session[key] = pay_request.status
    return seen if seen and seen != pay_request.status else ""


@register.inclusion_tag("family/_status_watch.html", takes_context=True)
def family_status_watch(context: template.Context, pay_request) -> dict:
    request = context.get("request")
    if not isinstance(pay_request, PayRequest) or request is None:
        return {"pay_request": None}
    before = status_change(request, pay_request)
    return {"pay_request": pay_request, "changed": bool(before),
            # the first fetch (on load) compares with what was seen before this view, so it announces then
            "since": before or pay_request.status, "trigger": "load, every 30s" if before else "every 30s"}
