"""`{% edition_include "name.html" %}`: include a partial, trying the current edition's override first."""

from __future__ import annotations

from django import template
from django.template.loader import select_template

from .. import registry

register = template.Library()


@register.simple_tag(takes_context=True)
def edition_include(context: template.Context, name: str, **extra) -> str:
    edition = context.get("edition") or registry.DEFAULT
    tmpl = select_template(edition.template_names(name))
    with context.push(**extra):
        return tmpl.template.render(context)


@register.simple_tag(takes_context=True)
def edition_url(context: template.Context, slug: str) -> str:
    """The current URL with `?edition=slug` set and every other query parameter kept."""
    request = context.get("request")
    if request is None:
        return f"?edition={slug}"
    params = request.GET.copy()
    params["edition"] = slug
    return f"{request.path}?{params.urlencode()}"
