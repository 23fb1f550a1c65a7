"""`{% family_waiting as n %}`: how many family payment requests wait for the signed-in user's answer."""

from __future__ import annotations

from django import template
from django.utils import timezone

from storefront.family.models import PayRequest

register = template.Library()


@register.simple_tag(takes_context=True)
def family_waiting(context: template.Context) -> int:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0
    return PayRequest.objects.pending().filter(payer=user, expires_at__gt=timezone.now()).count()
