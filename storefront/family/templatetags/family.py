"""Family payment template helpers, so the header, product, checkout and order pages can offer and show family
payment without their views knowing about it. Rules stay in `family.services`.

- `{% family_waiting as n %}`: how many requests (as a payer) and baskets (as a beneficiary) wait for the
  signed-in user's answer (the header count).
- `{% family_link as link %}`: the signed-in user's active link as a beneficiary (who pays for them), or None.
- `{% family_key %}`: a fresh idempotency key for one "Ask my family to pay" button on one page view.
- `{% family_checkout_form as form %}`: the checkout "Ask my family to pay" form, or None.
- `{{ link|family_name_of:person }}`: a person on a link as the other side named them ("Mum (Soon-ja)").
- `{% family_person link person %}`: the same, but "You" for the signed-in user.
- `{% family_outlook link product totals as outlook %}`: whether asking for one of `product` would be paid at
  once by the allowance or sent to the payer (`family.services.allowance_outlook`), in advance.
- `{% family_paid_orders as requests %}`: the requests the signed-in user paid for (their orders, for
  "My orders", with receipts).
- `{% family_status_watch pay_request %}`: says (visibly, and through the polite live region) that a request's
  status changed since this user last saw it, and keeps watching it every 30 seconds while the page is open.
"""

from __future__ import annotations

import uuid

from django import template
from django.db.models import Count, Q
from django.utils import timezone

from storefront.family.middleware import remember_seen
from storefront.family.models import FamilyLink, HelpBasket, PayRequest

register = template.Library()

SEEN_KEY = "family_seen_{}"


def family_state(request) -> tuple[FamilyLink | None, int]:
    """(the user's active link as a beneficiary, how many things wait for their answer: requests to pay as a
    payer, baskets to confirm as a beneficiary), found with one query and kept for the rest of the request:
    every page's navigation shows the count."""
    cached = getattr(request, "_family_state", None)
    if cached is not None:
        return cached
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None, 0
    # distinct: the two counts join different tables, so each row of one would repeat for the other's rows
    waiting = Count(
        "requests",
        distinct=True,
        filter=Q(requests__status=PayRequest.Status.PENDING, requests__expires_at__gt=timezone.now()),
    )
    baskets = Count("baskets", distinct=True, filter=Q(baskets__status=HelpBasket.Status.OFFERED))
    links = list(
        FamilyLink.objects.active()
        .filter(Q(beneficiary=user) | Q(payer=user))
        .select_related("payer")
        .annotate(waiting=waiting, baskets_waiting=baskets)
    )
    # A request's payer is always its link's payer, and ending a link cancels its pending requests.
    mine = next((link for link in links if link.beneficiary_id == user.pk), None)
    request._family_state = (
        mine,
        sum(link.waiting for link in links if link.payer_id == user.pk)
        + (mine.baskets_waiting if mine is not None else 0),
    )
    return request._family_state


@register.simple_tag(takes_context=True)
def family_waiting(context: template.Context) -> int:
    request = context.get("request")
    return family_state(request)[1] if request is not None else 0


@register.simple_tag(takes_context=True)
def family_link(context: template.Context) -> FamilyLink | None:
    request = context.get("request")
    return family_state(request)[0] if request is not None else None


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
    """The status this user saw last time if it differs from now ('' otherwise). Reads only: the current one is
    noted on the request and saved into the session after the response (family.middleware)."""
    session = getattr(request, "session", None)
    if session is None:
        return ""
    key = SEEN_KEY.format(pay_request.public_id)
    seen = session.get(key)
    remember_seen(request, key, pay_request.status)
    return seen if seen and seen != pay_request.status else ""


@register.inclusion_tag("family/_status_watch.html", takes_context=True)
def family_status_watch(context: template.Context, pay_request) -> dict:
    request = context.get("request")
    if not isinstance(pay_request, PayRequest) or request is None:
        return {"pay_request": None}
    before = status_change(request, pay_request)
    return {
        "pay_request": pay_request,
        "changed": bool(before),
        # the first fetch (on load) compares with what was seen before this view, so it announces then
        "since": before or pay_request.status,
        "trigger": "load, every 30s" if before else "every 30s",
    }


@register.filter
def family_name_of(link: FamilyLink | None, person) -> str:
    if link is None:
        return getattr(person, "shown_name", "")
    return link.name_of(person)


@register.simple_tag(takes_context=True)
def family_person(context: template.Context, link: FamilyLink | None, person) -> str:
    from django.utils.translation import gettext

    request = context.get("request")
    viewer = getattr(request, "user", None)
    if person is not None and viewer is not None and person.pk == viewer.pk:
        return gettext("You")
    return family_name_of(link, person)


@register.simple_tag
def family_outlook(link: FamilyLink | None, product=None, totals=None):
    from storefront.family.services import allowance_outlook

    if link is None:
        return None
    amount = getattr(totals, "total_base", None) if totals is not None else None
    categories = [product.category_id] if product is not None and product.category_id else []
    return allowance_outlook(link, amount, categories)


@register.simple_tag(takes_context=True)
def family_paid_orders(context: template.Context) -> list[PayRequest]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    return list(
        PayRequest.objects.filter(
            payer=user, status__in=[PayRequest.Status.APPROVED, PayRequest.Status.REFUNDED]
        )
        .filter(order__paid_at__isnull=False)
        .select_related("order", "link", "link__payer", "link__beneficiary")
        .prefetch_related("order__lines")[:50]
    )
