"""Shoppers with a session (a cart, signed in) get the shared parts of catalogue pages from the fragment cache:
repeat views read no product rows, nothing personal or CSRF-bearing is ever cached (one shopper's fragment never
shows in another's page), a price or stock change shows at once, and a picture's description is cached per
language (and an edited one shows at once)."""

import pickle
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from storefront.checkout import placement

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fragments_only(settings):
    """What shoppers with a session get with the whole-page cache switched off (PAGE_CACHE_SESSIONS=0), and on
    a miss of it: test_session_pagecache.py tests the whole-page cache."""
    settings.PAGE_CACHE_SESSIONS = False


TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _with_cart(product) -> Client:
    shopper = Client()
    shopper.post("/cart/add/", {"product": product.pk, "quantity": 1})
    return shopper


def _pages(product) -> list[str]:
    return [
        "/",
        f"/category/{product.category.slug}/",
        f"/category/{product.category.slug}/?in_stock=on&sort=price",
        "/search/?q=apples",
        product.get_absolute_url(),
    ]


def _product_queries(queries) -> list[str]:
    return [
        q["sql"]
        for q in queries.captured_queries
        if '"catalog_product"' in q["sql"] or '"catalog_review"' in q["sql"]
    ]


def test_repeat_views_with_a_cart_read_no_product_rows(product):
    shopper = _with_cart(product)
    for url in _pages(product):
        first = shopper.get(url)
        assert first.status_code == 200
        with CaptureQueriesContext(connection) as queries:
            again = shopper.get(url).content.decode()
        assert "1 item" in again  # the personal part is still this shopper's
        read = _product_queries(queries)
        if url == product.get_absolute_url():
            assert len(read) == 1, read  # the product itself (its forms need it), nothing else
        else:
            assert read == [], (url, read)


def _fragments() -> list[str]:
    """Every template fragment in the (local-memory) cache, as stored."""
    values = []
    for key, raw in cache._cache.items():
        if "template.cache." in key:
            values.append(str(pickle.loads(raw)))
    return values


def test_a_fragment_cached_for_one_shopper_never_shows_in_anothers_page(product, make_user):
    alice, bob = Client(), Client()
    alice.force_login(make_user("alice", first_name="Alicia"))
    bob.force_login(make_user("bob", first_name="Bobby"))
    alice.post("/cart/add/", {"product": product.pk, "quantity": 2})
    alice_tokens = set()
    for url in _pages(product):
        html = alice.get(url).content.decode()
        assert "Sign out" in html and "2 items" in html  # her page is personal...
        alice_tokens |= set(TOKEN.findall(html))
    fragments = _fragments()
    assert fragments, "nothing was cached"
    for fragment in fragments:  # ...her fragments are not
        assert "csrfmiddlewaretoken" not in fragment and "Alicia" not in fragment and "alice" not in fragment
        assert "2 items" not in fragment and "Sign out" not in fragment
    for url in _pages(product):
        html = bob.get(url).content.decode()
        assert "Alicia" not in html and "alice" not in html and "2 items" not in html
        assert not alice_tokens & set(TOKEN.findall(html))


def test_a_price_change_shows_at_once_with_a_session(product):
    shopper = _with_cart(product)
    for url in _pages(product)[1:]:
        assert "3.50" in shopper.get(url).content.decode()
    product.price = "4.75"
    product.save()
    for url in _pages(product)[1:]:
        html = shopper.get(url).content.decode()
        assert "4.75" in html and "3.50" not in html, url


def test_a_sale_shows_at_once_with_a_session(product, user):
    shopper = _with_cart(product)
    assert "In stock: 5 left" in shopper.get(product.get_absolute_url()).content.decode()
    placement.place_order(
        user=user, lines=[placement.WantedLine(product.pk, 5)], address={}, idempotency_key="f1"
    )
    assert "Sold out" in shopper.get(product.get_absolute_url()).content.decode()
    assert product.name not in shopper.get(f"/category/{product.category.slug}/?in_stock=on").content.decode()


def test_picture_descriptions_are_cached_per_language_and_an_edit_shows_at_once(product):
    product.image_variants = {"webp": {"320": "products/a-320.webp"}, "jpeg": {"320": "products/a-320.jpg"}}
    product.image_alt = "Apples in Sunny packaging"
    product.image_alt_ko = "햇살 포장의 사과"
    product.save()
    shopper = _with_cart(product)
    pages = _pages(product)[1:]  # the home page features only well-reviewed products

    def alts(url: str, language: str) -> list[str]:
        shopper.cookies["django_language"] = language
        return re.findall(r'<img [^>]*alt="([^"]*)"', shopper.get(url).content.decode())

    for url in pages:
        for _ in range(2):  # the second views come from the fragment cache
            assert alts(url, "en") == ["Apples in Sunny packaging"], url
            assert alts(url, "ko") == ["햇살 포장의 사과"], url
    product.image_alt_ko = "종이 상자에 담긴 햇살 사과"
    product.save()
    for url in pages:
        assert alts(url, "ko") == ["종이 상자에 담긴 햇살 사과"], url
        assert alts(url, "en") == ["Apples in Sunny packaging"], url
