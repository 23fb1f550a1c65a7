"""The catalogue version: every change a shopper can see moves it, reading it never scans the product table,
and with a shared cache it survives a flush without handing out a number that was used before."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from storefront.catalog import version
from storefront.catalog.models import CatalogueVersion, Product, Review
from storefront.checkout import placement, stock

pytestmark = pytest.mark.django_db


def test_reading_the_version_never_touches_the_product_table(product):
    with CaptureQueriesContext(connection) as queries:
        version.catalogue_version()
    assert len(queries) == 1
    assert "catalog_product" not in queries.captured_queries[0]["sql"]


@pytest.mark.parametrize("change", ["price", "delete", "category", "brand"])
def test_edits_in_the_admin_move_the_version(product, change):
    before = version.catalogue_version()
    if change == "price":
        product.price = "1.23"
        product.save()
    elif change == "delete":
        product.delete()
    else:
        related = getattr(product, change)
        related.name = "Renamed"
        related.save()
    assert version.catalogue_version() > before


def test_a_sale_and_a_release_move_the_version(product, user):
    before = version.catalogue_version()
    order, _ = placement.place_order(
        user=user, lines=[placement.WantedLine(product.pk, 1)], address={}, idempotency_key="v1"
    )
    after_sale = version.catalogue_version()
    assert after_sale > before
    stock.release(order)
    assert version.catalogue_version() > after_sale


def test_a_review_moves_the_version(product, user):
    before = version.catalogue_version()
    Review.objects.create(product=product, user=user, rating=4, title="Good", body="Fine.")
    assert version.catalogue_version() > before


def test_the_seed_command_moves_the_version(db):
    from django.core.management import call_command

    before = version.catalogue_version()
    call_command("seed_demo", limit=3, no_images=True, no_reviews=True, stdout=open("/dev/null", "w"))
    assert version.catalogue_version() > before


@pytest.fixture
def shared(monkeypatch):
    """The counter as it lives with Redis: in the cache, bumped after commit."""
    monkeypatch.setattr(version, "shared_cache", lambda: True)


def test_shared_cache_counter_moves_only_when_the_change_commits(
    shared, product, django_capture_on_commit_callbacks
):
    before = version.catalogue_version()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        product.price = "2.34"
        product.save()
    assert version.catalogue_version() == before  # not yet committed: other servers still see the old data
    for callback in callbacks:
        callback()
    assert version.catalogue_version() == before + 1


def test_shared_cache_counter_never_reuses_a_number_after_a_flush(
    shared, product, django_capture_on_commit_callbacks
):
    from django.core.cache import cache

    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            product.save()
    used = version.catalogue_version()
    assert CatalogueVersion.objects.get(pk=1).value >= used  # the row keeps the highest number handed out
    cache.clear()
    assert version.catalogue_version() > used
    Product.objects.filter(pk=product.pk).update(stock=0)
    with django_capture_on_commit_callbacks(execute=True):
        version.bump()
    assert version.catalogue_version() > used + 1
