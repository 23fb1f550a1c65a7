"""Listings: filters, sorting, pagination, and malformed parameters that are reported and ignored."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.http import QueryDict
from django.utils import timezone

from storefront.catalog import listing, search
from storefront.catalog.models import Product


def build(query: str = "", qs=None, **kwargs) -> listing.Listing:
    return listing.build(qs if qs is not None else Product.objects.for_listing(), QueryDict(query), **kwargs)


@pytest.fixture
def shelf(make_product):
    """Five products with distinct prices, ratings, stock and age."""
    now = timezone.now()
    specs = [  # name, price, rating, stock, days old
        ("Alpha", "1.00", "4.50", 3, 5),
        ("Bravo", "5.00", "3.00", 0, 1),
        ("Charlie", "10.00", "4.90", 8, 3),
        ("Delta", "20.00", "2.00", 1, 2),
        ("Echo", "50.00", "0", 0, 4),
    ]
    products = {}
    for name, price, rating, stock, days in specs:
        p = make_product(name, price=price, stock=stock)
        Product.objects.filter(pk=p.pk).update(
            rating_average=Decimal(rating), rating_count=3, created_at=now - timedelta(days=days)
        )
        products[name] = p
    return products


def names(result: listing.Listing) -> list[str]:
    return [p.name for p in result.page.object_list]


def test_default_category_sort_is_by_rating(shelf):
    result = build()
    assert result.sort == "rating"
    assert names(result) == ["Charlie", "Alpha", "Bravo", "Delta", "Echo"]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("price", ["Alpha", "Bravo", "Charlie", "Delta", "Echo"]),
        ("-price", ["Echo", "Delta", "Charlie", "Bravo", "Alpha"]),
        ("rating", ["Charlie", "Alpha", "Bravo", "Delta", "Echo"]),
        ("newest", ["Bravo", "Delta", "Charlie", "Echo", "Alpha"]),
    ],
)
def test_sorting(shelf, sort, expected):
    result = build(f"sort={sort}")
    assert result.sort == sort
    assert names(result) == expected


def test_price_range_is_inclusive(shelf):
    assert names(build("min_price=5&max_price=20&sort=price")) == ["Bravo", "Charlie", "Delta"]


def test_min_rating(shelf):
    assert names(build("min_rating=4&sort=price")) == ["Alpha", "Charlie"]


def test_in_stock_only(shelf):
    assert names(build("in_stock=on&sort=price")) == ["Alpha", "Charlie", "Delta"]


def test_filters_combine(shelf):
    assert names(build("in_stock=1&min_price=2&min_rating=3&sort=price")) == ["Charlie"]


@pytest.mark.parametrize(
    "query",
    [
        "min_price=abc",
        "max_price=1e999",
        "min_price=-5",
        "min_price=NaN",
        "max_price=Infinity",
        "min_rating=9",
        "min_rating=four",
        "sort=DROP",
        "sort=price;DROP TABLE catalog_product",
        "page=-3",
        "page=abc",
        "page=0",
        "page=99999999999999999999",
        "page=1.5",
        "in_stock=maybe",
        "min_price=" + "9" * 5000,
    ],
)
def test_malformed_params_never_crash_and_are_ignored(shelf, query):
    result = build(query)
    assert result.total in (5, 3)  # in_stock=maybe reads as "on" (3 in stock); nothing else filters
    assert result.page.number == 1
    assert result.sort == "rating"


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("min_price=abc", "min_price"),
        ("min_rating=9", "min_rating"),
        ("sort=DROP", "sort"),
        ("min_price=-5", "min_price"),
        ("max_price=1e999", "max_price"),
    ],
)
def test_malformed_params_are_reported_on_the_form(shelf, query, field):
    result = build(query)
    assert field in result.form.errors


def test_reversed_price_range_is_reported_and_only_the_low_end_applies(shelf):
    result = build("min_price=10&max_price=5&sort=price")
    assert "max_price" in result.form.errors
    assert names(result) == ["Charlie", "Delta", "Echo"]


def test_a_bad_param_does_not_cancel_the_good_ones(shelf):
    assert names(build("min_price=abc&max_price=10&sort=price")) == ["Alpha", "Bravo", "Charlie"]


def test_pagination(make_product):
    for i in range(listing.PAGE_SIZE + 6):
        make_product(f"Item {i:02d}", price=f"{i + 1}.00")
    first = build("sort=price")
    second = build("sort=price&page=2")
    beyond = build("sort=price&page=500")
    assert first.total == listing.PAGE_SIZE + 6
    assert len(first.page.object_list) == listing.PAGE_SIZE
    assert names(second) == [f"Item {i:02d}" for i in range(listing.PAGE_SIZE, listing.PAGE_SIZE + 6)]
    assert beyond.page.number == 2  # past the end: the last page, not an error
    assert not (set(names(first)) & set(names(second)))


@pytest.mark.parametrize(
    ("raw", "number"), [(None, 1), ("", 1), ("3", 3), ("-3", 1), ("x", 1), ("10001", 10000)]
)
def test_page_number(raw, number):
    assert listing.page_number(raw) == number


def test_relevance_is_only_for_search(shelf):
    result = build("sort=relevance")
    assert result.sort == "rating"
    assert "relevance" not in dict(result.form.fields["sort"].choices)


def test_search_listing_keeps_the_engines_order_and_applies_filters(grocery):
    ranked = search.search("bananna")
    result = build("", ranked_ids=ranked)
    assert result.sort == "relevance"
    assert [p.pk for p in result.page.object_list] == ranked
    cheap = build("max_price=5", ranked_ids=ranked)
    assert [p.pk for p in cheap.page.object_list] == [
        pid for pid in ranked if Product.objects.get(pk=pid).price <= 5
    ]


def test_search_listing_can_sort_by_price(grocery):
    ranked = search.search("milk")
    result = build("sort=-price", ranked_ids=ranked)
    prices = [p.price for p in result.page.object_list]
    assert prices == sorted(prices, reverse=True) and len(prices) == len(ranked)


def test_search_listing_excludes_inactive_products(grocery):
    ranked = search.search("bananas")
    Product.objects.filter(pk=ranked[0]).update(is_active=False)
    result = build("", ranked_ids=ranked)
    assert ranked[0] not in [p.pk for p in result.page.object_list]
