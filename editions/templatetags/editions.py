"""`{% url_without "edition" %}`: where a switcher form sends the shopper back. (Edition-first lookup of every
template, includes too, is the template loader's job: editions.loader.)"""

from __future__ import annotations

from django import template

from storefront.nexturl import current_url_without

register = template.Library()


@register.simple_tag(takes_context=True)
def url_without(context: template.Context, *drop: str) -> str:
    """The current URL minus the named query parameters: the `next` of a form that replaces them."""
    request = context.get("request")
    return current_url_without(request, *drop) if request is not None else "/"
