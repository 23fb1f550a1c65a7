"""Catalogue tasks: re-analyse the search documents of every product of a renamed brand or category.

A rename can touch thousands of products, so it runs on the task worker rather than in the admin's request
(inline when no broker is configured: the demo and the tests).
"""

from __future__ import annotations

from celery import shared_task


@shared_task(name="catalog.reindex_search")
def reindex_search(brand_id: int | None = None, category_id: int | None = None) -> int:
    from storefront.catalog.models import Product
    from storefront.catalog.search import documents

    products = Product.objects.all()
    if brand_id is not None:
        products = products.filter(brand_id=brand_id)
    if category_id is not None:
        products = products.filter(category_id=category_id)
    ids = list(products.values_list("pk", flat=True))
    for i in range(0, len(ids), documents.BATCH):
        documents.index_products(ids[i : i + documents.BATCH])
    return len(ids)
