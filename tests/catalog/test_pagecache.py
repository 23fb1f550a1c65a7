"""Whole-page cache for anonymous shoppers: fast repeat views that never show stale stock or someone
else's CSRF token, and never serve the anonymous page to a shopper with a session (they get the shared page with
their own parts: test_session_pagecache.py)."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from storefront.catalog.pagecache import PLACEHOLDER
from storefront.checkout import placement

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def test_repeat_view_is_served_from_cache_without_rendering(client, product, django_assert_max_num_queries):
    client.get(product.get_absolute_url())
    with CaptureQueriesContext(connection) as queries:
        html = client.get(product.get_absolute_url()).content.decode()
    # Only the catalogue version's row (by primary key, per-process cache): never a scan of the product table.
    assert len(queries) <= 1
    assert not any("catalog_product" in q["sql"] for q in queries.captured_queries)
    assert product.name in html
    assert PLACEHOLDER not in html


def test_each_visitor_gets_a_working_csrf_token_of_their_own(product):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.get(product.get_absolute_url())
    html = second.get(product.get_absolute_url()).content.decode()  # a cache hit for the second visitor
    token = TOKEN.search(html).group(1)
    assert token != PLACEHOLDER
    response = second.post("/cart/add/", {"product": product.pk, "quantity": 1, "csrfmiddlewaretoken": token})
    assert response.status_code == 302  # accepted, not a CSRF failure (403)


def test_a_sale_shows_at_once(client, product, user):
    assert "In stock: 5 left" in client.get(product.get_absolute_url()).content.decode()
    placement.place_order(
        user=user, lines=[placement.WantedLine(product.pk, 2)], address={}, idempotency_key="k1"
    )
    assert "In stock: 3 left" in client.get(product.get_absolute_url()).content.decode()
    product.refresh_from_db()
    product.price = "9.99"
    product.save()  # an edit in the admin
    assert "9.99" in client.get(product.get_absolute_url()).content.decode()


def test_listing_follows_stock_changes(client, product, user):
    url = f"/category/{product.category.slug}/?in_stock=on"
    assert product.name in client.get(url).content.decode()
    placement.place_order(
        user=user, lines=[placement.WantedLine(product.pk, 5)], address={}, idempotency_key="k2"
    )
    assert product.name not in client.get(url).content.decode()


def test_shoppers_with_a_session_are_never_served_the_anonymous_page(client, product):
    client.get(product.get_absolute_url())  # cached for anonymous visitors: "0 items"
    client.post("/cart/add/", {"product": product.pk, "quantity": 2})
    html = client.get(product.get_absolute_url()).content.decode()
    assert "2 items" in html


def test_an_error_page_rendered_while_caching_gets_a_real_token(client, db):
    response = client.get("/category/no-such-category/")  # the cached view raises Http404
    html = response.content.decode()
    assert response.status_code == 404 and 'name="csrfmiddlewaretoken"' in html
    assert PLACEHOLDER not in html  # its language form must post with a working token
