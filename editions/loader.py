"""Edition-first template lookup for every template a request renders: pages, `{% include %}`, `{% extends %}`
and partials alike look in `templates/editions/<slug>/` before the shared `templates/`.

The current edition is a context variable that `EditionMiddleware` sets for the request (`activate`). Outside
a request (e-mails, tasks, the warm-up) none is set and only shared templates are found, unless the caller
activates one. The compiled-template cache is keyed by edition, so one edition's override never serves
another's request. An override may extend the shared template of the same name (`{% extends "base.html" %}`
inside `editions/elder/base.html`): Django skips the origin it came from and finds the shared one.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token

from django.template import Origin
from django.template.loaders import cached

_current: ContextVar[str | None] = ContextVar("edition_templates", default=None)
PREFIX = "editions/"


def activate(slug: str | None) -> Token:
    """Look up templates for edition `slug` from now on in this context; `deactivate(token)` undoes it."""
    return _current.set(slug)


def deactivate(token: Token) -> None:
    _current.reset(token)


@contextmanager
def edition_templates(slug: str | None) -> Iterator[None]:
    token = activate(slug)
    try:
        yield
    finally:
        deactivate(token)


def current() -> str | None:
    return _current.get()


class Loader(cached.Loader):
    """Django's cached loader, asking its loaders for the edition's override of each name first."""

    def get_template_sources(self, template_name: str) -> Iterator[Origin]:
        slug = _current.get()
        if slug and not template_name.startswith(PREFIX):
            for loader in self.loaders:
                yield from loader.get_template_sources(f"{PREFIX}{slug}/{template_name}")
        for loader in self.loaders:
            yield from loader.get_template_sources(template_name)

    def cache_key(self, template_name: str, skip: list[Origin] | None = None) -> str:
        """Per edition; and an override that extends its shared namesake skips its own origin, whose name
        carries the edition's prefix (Django's key only counts skipped origins of the very same name)."""
        slug = _current.get()
        names = {template_name, f"{PREFIX}{slug}/{template_name}"} if slug else {template_name}
        matching = [origin.name for origin in skip or () if origin.template_name in names]
        return "|".join([slug or "-", template_name, self.generate_hash(matching) if matching else ""])
