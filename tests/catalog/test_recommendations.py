"""Recommendations: bought together first, else similar (same category, price band); cached; product and cart."""

from __future__ import annotations

from django.urls import reverse

from storefront.catalog import recommendations
from storefront.catalog.models import BoughtTogether


def test_similar_products_share_the_category_and_a_price_band(make_product, make_category):
    main = make_product("Sunny Apples", price="10.00")
    near = make_product("Ocean Apples", price="12.00", rating_count=5)
    also = make_product("Star Pears", price="6.00")
    make_product("Gold Apples", price="25.00")  # more than twice the price
    make_product("Sold Apples", price="10.00", stock=0)
    make_product("Beef", price="10.00", category=make_category("Meat"))
    found = recommendations.for_product(main)
    assert found.kind == recommendations.SIMILAR
    assert list(found.products) == [near, also]  # best reviewed first


def test_bought_together_comes_first_and_never_recommends_sold_out_or_itself(make_product, make_category):
    main = make_product("Sunny Apples")
    milk = make_product("Milk", category=make_category("Dairy"))
    gone = make_product("Old Cheese", stock=0)
    for other, n in ((milk, 3), (gone, 5)):
        BoughtTogether.objects.create(product=main, other=other, orders=n)
    make_product("Ocean Apples")
    found = recommendations.for_product(main)
    assert found.kind == recommendations.BOUGHT_TOGETHER
    assert [p.name for p in found.products] == ["Milk"]


def test_candidates_are_cached_until_the_table_is_rebuilt(make_product, django_assert_num_queries):
    main, other = make_product("Sunny Apples"), make_product("Ocean Apples")
    recommendations.for_product(main)
    with django_assert_num_queries(1):  # only loading the products (stock is checked live)
        recommendations.for_product(main)
    BoughtTogether.objects.create(product=main, other=other, orders=1)
    assert recommendations.for_product(main).kind == recommendations.SIMILAR  # still the cached answer
    recommendations.forget()
    assert recommendations.for_product(main).kind == recommendations.BOUGHT_TOGETHER


def test_product_page_shows_customers_also_bought(client, make_product, assert_edition_page):
    main, other = make_product("Sunny Apples"), make_product("Ocean Milk")
    BoughtTogether.objects.create(product=main, other=other, orders=2)
    for edition in ("standard", "elder", "screen-reader", "cross-border"):
        html = assert_edition_page(client.get(main.get_absolute_url(), {"edition": edition}), edition)
        section = html[html.index('class="recommendations"') :]
        assert "Customers also bought" in section and "Ocean Milk" in section
        assert "Sponsored" not in html and "Advert" not in html


def test_cart_page_shows_recommendations_but_not_what_is_in_the_cart(client, make_product):
    apples, _pears = make_product("Sunny Apples"), make_product("Sunny Pears")
    client.post(reverse("cart:add"), {"product": apples.pk, "quantity": 1})
    html = client.get(reverse("cart:cart")).content.decode()
    section = html[html.index('class="recommendations"') :]
    assert "Similar products" in section and "Sunny Pears" in section and "Sunny Apples" not in section
