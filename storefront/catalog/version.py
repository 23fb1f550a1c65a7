"""The catalogue version: one counter that changes whenever anything a shopper sees in the catalogue changes
(a product, its price, stock or rating, a category, a brand, a destination's duty rules).

Caches of catalogue pages and fragments put `catalogue_version()` in their keys, so a change is seen at once
and reading the version costs one cache get, not a scan of the product table.

Where the number lives depends on the cache:
- a shared cache (Redis, Memcached, several servers): the counter is a cache key, bumped atomically with
  `cache.incr` after the change commits (a page rendered between the write and the commit would otherwise be
  stored under the new number with the old data). The database row keeps the highest number handed out, so
  after a flush or an eviction the counter restarts above every number ever used.
- a per-process cache (local memory, the embedded default and the tests): every process has its own cache, so
  the database row is the counter: bumped in the caller's transaction (visible exactly when the change is)
  and read by primary key per request.

Bump explicitly where stock or prices change with `QuerySet.update()` (it sends no signal): call `bump()` once
after the updates, so the version row is locked last in the transaction.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F

KEY = "catalogue:version"


def shared_cache() -> bool:
    """Whether the default cache is shared by every process (then the counter lives in it)."""
    return not str(settings.CACHES["default"]["BACKEND"]).endswith(("LocMemCache", "DummyCache"))


def _row_value() -> int:
    from .models import CatalogueVersion

    value = CatalogueVersion.objects.filter(pk=1).values_list("value", flat=True).first()
    if value is None:
        CatalogueVersion.objects.get_or_create(pk=1)
        value = CatalogueVersion.objects.filter(pk=1).values_list("value", flat=True).first() or 1
    return value


def catalogue_version() -> int:
    """The current version: put it in every cache key of catalogue content."""
    if not shared_cache():
        return _row_value()
    value = cache.get(KEY)
    if value is None:
        # Restart above every number handed out before (the row keeps the highest one).
        cache.add(KEY, _row_value() + 1, None)
        value = cache.get(KEY)
    return int(value)


def _bump_shared() -> None:
    from .models import CatalogueVersion

    try:
        value = cache.incr(KEY)
    except ValueError:  # flushed or evicted: restart above the highest number used
        catalogue_version()
        value = cache.incr(KEY)
    CatalogueVersion.objects.get_or_create(pk=1)
    CatalogueVersion.objects.filter(pk=1, value__lt=value).update(value=value)


def bump() -> None:
    """The catalogue changed: cached pages and fragments of it are stale from the moment the change commits."""
    from .models import CatalogueVersion

    if shared_cache():
        transaction.on_commit(_bump_shared)  # runs at once outside a transaction
        return
    if not CatalogueVersion.objects.filter(pk=1).update(value=F("value") + 1):
        CatalogueVersion.objects.get_or_create(pk=1, defaults={"value": 2})
