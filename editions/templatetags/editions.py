"""`{% edition_include "name.html" %}`: include a partial, trying the current edition's override first;
`{% url_without "edition" %}`: where a switcher form sends the shopper back."""

from __future__ import annotations

from django import template
from django.template.loader import select_template

from storefront.nexturl import current_url_without

from .. import registry

register = template.Library()


@register.simple_tag(takes_context=True)
def edition_include(context: template.Context, name: str, **extra) -> str:
    edition = context.get("edition") or registry.DEFAULT
    tmpl = select_template(edition.template_names(name))
    with context.push(**extra):
        return tmpl.template.render(context)


@register.simple_tag(takes_context=True)
def url_without(context: template.Context, *drop: str) -> str:
    """The current URL minus the named query parameters: the `next` of a form that replaces them."""
    request = context.get("request")
    return current_url_without(request, *drop) if request is not None else "/"
