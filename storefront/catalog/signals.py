"""Keeps derived catalogue data fresh: product image derivatives, denormalised ratings, the search index stamp,
the catalogue version (catalog.version) that cached pages are keyed on; and tells shoppers waiting for a
sold-out product when a save puts it back in stock."""

from __future__ import annotations

from django.db.models import Avg, Count
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from django.utils import timezone

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


@receiver(post_save, sender=Category)
@receiver(post_save, sender=Brand)
def touch_products(sender, instance, **kwargs) -> None:
    """A renamed category or brand changes what its products are found by: bump their stamp for the index."""
    field = "category" if sender is Category else "brand"
    Product.objects.filter(**{field: instance}).update(updated_at=timezone.now())


@receiver(post_save, sender=Product)
def restocked(sender, instance: Product, **kwargs) -> None:
    if instance.stock > 0 and instance.is_active:
        from .stock_alerts import notify_restocked

        notify_restocked([instance.pk])


@receiver([post_save, post_delete], sender=Product)
@receiver([post_save, post_delete], sender=Category)
@receiver([post_save, post_delete], sender=Brand)
@receiver([post_save, post_delete], sender=Destination)  # landed cost shown on cross-border product pages
@receiver([post_save, post_delete], sender=DutyRule)
def catalogue_changed(sender, **kwargs) -> None:
    # Connected last, so it runs after the receivers above: the version row is locked after product rows,
    # in the same order as checkout (which locks products, then bumps), so the two never deadlock.
    version.bump()
