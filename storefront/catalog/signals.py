"""Keeps derived catalogue data fresh: product image derivatives, denormalised ratings, the search documents,
the catalogue version (catalog.version) that cached pages are keyed on; and tells shoppers waiting for a
sold-out product when a save puts it back in stock."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Avg, Count
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from storefront.markets.models import Destination, DutyRule

from . import version
from .models import Brand, Category, Product, Review


@receiver([post_save, post_delete], sender=Review)
def refresh_rating(sender, instance: Review, **kwargs) -> None:
    stats = Review.objects.filter(product_id=instance.product_id).aggregate(avg=Avg("rating"), n=Count("id"))
    Product.objects.filter(pk=instance.product_id).update(
        rating_average=round(stats["avg"] or 0, 2), rating_count=stats["n"]
    )
    version.bump()  # the update above sends no signal; the rating shows on every listing


@receiver(post_save, sender=Product)
def restocked(sender, instance: Product, **kwargs) -> None:
    if instance.stock > 0 and instance.is_active:
        from .stock_alerts import notify_restocked

        notify_restocked([instance.pk])


# Saves that change what a product is found by; a save of only its stock or price leaves its document alone.
_SEARCHED_FIELDS = {
    "name",
    "name_zh_hans",
    "name_ko",
    "name_ar",
    "brand",
    "brand_id",
    "category",
    "category_id",
    "is_active",
}


@receiver(post_save, sender=Product)
def index_for_search(
    sender, instance: Product, created: bool = False, update_fields=None, raw: bool = False, **kwargs
) -> None:
    """The product's search document is rewritten in the save's own transaction, as a trigger would: one row,
    not a rebuild; committed together with the product, so every server finds the change at once, and a
    rolled-back save leaves no document behind."""
    if raw or (update_fields is not None and not _SEARCHED_FIELDS & set(update_fields)):
        return
    from .search import documents

    documents.index_products([instance.pk])


@receiver(post_save, sender=Category)
@receiver(post_save, sender=Brand)
def reindex_for_search(sender, instance, created: bool = False, raw: bool = False, **kwargs) -> None:
    """A renamed brand or category changes its products' documents: a task rewrites them after the commit."""
    if created or raw:
        return
    from .tasks import reindex_search

    key = "brand_id" if sender is Brand else "category_id"
    pk = instance.pk
    transaction.on_commit(lambda: reindex_search.delay(**{key: pk}))


@receiver([post_save, post_delete], sender=Product)
@receiver([post_save, post_delete], sender=Category)
@receiver([post_save, post_delete], sender=Brand)
@receiver([post_save, post_delete], sender=Destination)  # landed cost shown on cross-border product pages
@receiver([post_save, post_delete], sender=DutyRule)
def catalogue_changed(sender, **kwargs) -> None:
    # Connected last, so it runs after the receivers above: the version row is locked after product rows,
    # in the same order as checkout (which locks products, then bumps), so the two never deadlock.
    version.bump()
