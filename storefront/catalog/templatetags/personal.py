"""`{% personal "part.html" %}`: a part of a cached page that is about the visitor, rendered per request
(catalog/pagecache.py). A builtin: every template may use it."""

from django import template

from storefront.catalog.pagecache import do_personal

register = template.Library()
register.tag("personal", do_personal)
