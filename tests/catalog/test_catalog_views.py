"""Catalogue pages: every edition from one view, 404s in the edition, hostile parameters, query budgets."""

from __future__ import annotations

import pytest
from django.urls import reverse

from editions import registry
from storefront.catalog import compare
from storefront.catalog.models import Review

EDITIONS = [e.slug for e in registry.all_editions()]


@pytest.fixture
def shop(grocery, make_user, make_review):
    """The grocery catalogue with a few reviews so the home page has featured products."""
    reviewers = [make_user() for _ in range(3)]
    for name in ("Sunny Bananas", "Ocean Milk"):
        for reviewer in reviewers:
            make_review(grocery[name], reviewer, 5)
    return grocery


def page_urls(shop) -> dict[str, str]:
    product = shop["Sunny Bananas"]
    return {
        "home": reverse("home"),
        "category": product.category.get_absolute_url(),
        "search": reverse("catalog:search") + "?q=bananna",
        "product": product.get_absolute_url(),
        "compare": reverse("catalog:compare"),
    }


@pytest.mark.parametrize("slug", EDITIONS)
@pytest.mark.parametrize("page", ["home", "category", "search", "product", "compare"])
def test_one_view_serves_every_edition(client, shop, assert_edition_page, slug, page):
    url = page_urls(shop)[page]
    response = client.get(url, {"edition": slug})
    assert response.status_code == 200
    assert_edition_page(response, slug)
    # The choice sticks: the same URL without the parameter keeps the edition (cookie).
    again = client.get(url)
    assert_edition_page(again, slug)


@pytest.mark.parametrize("slug", EDITIONS)
def test_edition_from_user_preference(client, shop, make_user, assert_edition_page, slug):
    client.force_login(make_user(preferred_edition=slug))
    assert_edition_page(client.get(reverse("home")), slug)


def test_edition_param_is_not_saved_to_the_signed_in_users_preferences(user_client, user, shop):
    user_client.get(reverse("home"), {"edition": "elder"})  # a link changes the visit, not the account
    user.refresh_from_db()
    assert user.preferred_edition == ""


def test_unknown_edition_is_ignored(client, shop, assert_edition_page):
    response = client.get(reverse("home"), {"edition": "bogus"})
    assert response.status_code == 200
    assert_edition_page(response, "standard")
    assert "edition" not in response.cookies


@pytest.mark.parametrize("slug", EDITIONS)
@pytest.mark.parametrize(
    "url", ["/category/no-such-category/", "/product/no-such-product/", "/no/such/page/", "/orders/NOPE/"]
)
def test_404_page_is_in_the_current_edition(client, shop, assert_edition_page, make_user, slug, url):
    client.force_login(make_user())
    client.cookies["edition"] = slug
    response = client.get(url)
    assert response.status_code == 404
    html = assert_edition_page(response, slug)
    assert "<h1" in html


def test_inactive_product_is_a_404(client, shop):
    product = shop["Sunny Apples"]
    product.is_active = False
    product.save()
    assert client.get(product.get_absolute_url()).status_code == 404


def test_home_lists_categories_and_featured_products(client, shop):
    html = client.get(reverse("home")).content.decode()
    assert "Fruit" in html and "Dairy and Eggs" in html
    assert "Sunny Bananas" in html  # rated 5 by three shoppers, in stock


def test_category_lists_its_products_only(client, shop):
    html = client.get(shop["Sunny Bananas"].category.get_absolute_url()).content.decode()
    assert "Sunny Bananas" in html and "Ocean Oranges" in html
    assert "Sunny Milk" not in html


@pytest.mark.parametrize(
    "query",
    [
        "min_price=abc",
        "max_price=1e999",
        "min_rating=9",
        "sort=DROP",
        "page=-3",
        "page=abc",
        "page=99999999",
        "min_price=1&max_price=0.5",
        "sort=price%27%3B--",
        "min_price=" + "9" * 3000,
    ],
)
def test_malformed_filters_never_crash_and_are_reported(client, shop, query):
    url = shop["Sunny Bananas"].category.get_absolute_url() + "?" + query
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Sunny Bananas" in html  # the listing still shows
    if not query.startswith("page=") and not query.startswith("in_stock"):
        assert "Some filters were not understood and were ignored" in html


@pytest.mark.parametrize("query", ["in_stock=%00", "q=%00", "sort=%00price"])
def test_a_nul_in_a_filter_or_search_is_a_bad_request(client, shop, query):
    """storefront/nulguard.py: a NUL never reaches the database (a 500 on PostgreSQL); the page says so."""
    url = shop["Sunny Bananas"].category.get_absolute_url() + "?" + query
    assert client.get(url).status_code == 400
    assert client.get(reverse("catalog:search") + "?" + query).status_code == 400


def test_filters_and_sorting_through_the_page(client, shop):
    url = shop["Sunny Bananas"].category.get_absolute_url()
    html = client.get(url, {"sort": "-price", "max_price": "5"}).content.decode()
    assert "Some filters were not understood" not in html
    assert html.index("Morning Bananas") < html.index("Ocean Bananas") < html.index("Sunny Bananas")
    assert "Oranges" not in html  # all dearer than 5


def test_search_page_finds_misspelt_bananas_first(client, shop):
    html = client.get(reverse("catalog:search"), {"q": "bananna"}).content.decode()
    assert html.index("Bananas") < html.index("Banana Milk")


@pytest.mark.parametrize("query", ["우유", "牛奶"])
def test_search_page_in_korean_and_chinese(client, shop, query):
    html = client.get(reverse("catalog:search"), {"q": query}).content.decode()
    assert "Sunny Milk" in html and "Sunny Bananas" not in html


def test_typo_search_says_what_it_shows(client, shop):
    html = client.get(reverse("catalog:search"), {"q": "bananna"}).content.decode()
    assert "Showing results for <strong>banana</strong>" in html
    assert (
        "Showing results for" not in client.get(reverse("catalog:search"), {"q": "bananas"}).content.decode()
    )


def test_one_letter_search_finds_word_starts_and_never_suggests_a_number(client, shop, make_product):
    make_product("Sunny 3 Pack Batteries")
    html = client.get(reverse("catalog:search"), {"q": "a"}).content.decode()
    assert "Sunny Apples" in html and "Did you mean" not in html


def test_search_with_no_results_suggests_a_near_word(client, shop):
    html = client.get(reverse("catalog:search"), {"q": "yoghurrrt"}).content.decode()
    assert "Did you mean" in html and "?q=yogurt" in html
    assert "Nothing matched your search" in html


def test_search_nonsense_has_no_results_and_no_suggestion(client, shop):
    html = client.get(reverse("catalog:search"), {"q": "xyzzyq"}).content.decode()
    assert "Nothing matched your search" in html and "Did you mean" not in html


def test_over_long_search_is_cut_and_explained(client, shop):
    response = client.get(reverse("catalog:search"), {"q": "bananas " + "x" * 20_000})
    assert response.status_code == 200
    assert "Your search was too long, so we used its first 200 characters." in response.content.decode()


@pytest.mark.parametrize("q", ["", "   ", "%", "<script>alert(1)</script>", "' OR 1=1 --", "😀" * 50])
def test_odd_searches_never_crash(client, shop, q):
    response = client.get(reverse("catalog:search"), {"q": q})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_search_is_get_only(client, shop):
    assert client.post(reverse("catalog:search"), {"q": "milk"}).status_code == 405


def test_search_suggest_fragment(client, shop):
    response = client.get(reverse("catalog:suggest"), {"q": "choco"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Chocolate" in html and "<html" not in html
    assert client.get(reverse("catalog:suggest"), {"q": "c"}).status_code == 200


def test_category_fragment_for_htmx(client, shop):
    url = shop["Sunny Bananas"].category.get_absolute_url()
    response = client.get(url, {"sort": "price"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert 'id="results"' in html and "<html" not in html
    assert "HX-Request" in response["Vary"]
    boosted = client.get(url, headers={"HX-Request": "true", "HX-Boosted": "true"})
    assert "<html" in boosted.content.decode()


def test_compare_toggle(client, shop):
    product = shop["Sunny Bananas"]
    response = client.post(
        reverse("catalog:compare_toggle"), {"product": product.pk, "next": "https://evil.test/"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("catalog:compare")  # no open redirect
    assert "Sunny Bananas added to comparison." in response.content.decode()
    assert client.session[compare.SESSION_KEY] == [product.pk]
    client.post(reverse("catalog:compare_toggle"), {"product": product.pk, "action": "remove"})
    assert client.session[compare.SESSION_KEY] == []


@pytest.mark.parametrize("value", ["abc", "", "99999999"])
def test_compare_toggle_with_bad_product_is_404(client, shop, value):
    assert client.post(reverse("catalog:compare_toggle"), {"product": value}).status_code == 404


def test_compare_limit_message(client, shop):
    products = list(shop.values())[:5]
    for product in products[:4]:
        client.post(reverse("catalog:compare_toggle"), {"product": product.pk})
    response = client.post(reverse("catalog:compare_toggle"), {"product": products[4].pk}, follow=True)
    assert "You can compare up to 4 products. Remove one first." in response.content.decode()


def test_compare_page_shows_specifications(client, shop):
    first, second = shop["Sunny Bananas"], shop["Ocean Bananas"]
    first.specifications = [["Origin", "Chile"], ["Weight", "1 kg"]]
    first.save()
    second.specifications = [["Origin", "Korea"]]
    second.save()
    for product in (first, second):
        client.post(reverse("catalog:compare_toggle"), {"product": product.pk})
    html = client.get(reverse("catalog:compare")).content.decode()
    assert "Chile" in html and "Korea" in html and "Weight" in html


def test_review_needs_a_purchase(user_client, shop):
    product = shop["Sunny Bananas"]
    response = user_client.post(
        reverse("catalog:review", args=[product.slug]),
        {"rating": 5, "title": "Yum", "body": "Good"},
        follow=True,
    )
    assert "Only shoppers who bought this product can review it, once." in response.content.decode()
    assert not Review.objects.filter(product=product, title="Yum").exists()


def test_buyer_can_review_once_and_rating_updates(user_client, user, shop, place):
    from storefront.checkout.models import Order

    product = shop["Ocean Apples"]
    order, _ = place((product, 1))
    Order.objects.filter(pk=order.pk).update(status=Order.Status.DELIVERED)
    url = reverse("catalog:review", args=[product.slug])
    invalid = user_client.post(url, {"rating": 9, "title": "", "body": ""})
    assert invalid.status_code == 400
    assert "Enter a title for your review." in invalid.content.decode()
    response = user_client.post(url, {"rating": 4, "title": "Crisp", "body": "Very fresh."})
    assert response.status_code == 302
    product.refresh_from_db()
    assert (product.rating_count, str(product.rating_average)) == (1, "4.00")
    again = user_client.post(url, {"rating": 1, "title": "Again", "body": "Twice?"}, follow=True)
    assert "Only shoppers who bought this product can review it, once." in again.content.decode()
    assert Review.objects.filter(product=product).count() == 1


def test_review_requires_sign_in(client, shop):
    product = shop["Sunny Bananas"]
    response = client.post(reverse("catalog:review", args=[product.slug]), {"rating": 5})
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize("page", ["home", "category", "search", "product"])
def test_page_query_budget(client, shop, django_assert_max_num_queries, page):
    url = page_urls(shop)[page]
    client.get(url)  # warm the search index and any per-process caches
    with django_assert_max_num_queries(10):
        assert client.get(url).status_code == 200


def test_product_page_query_budget_when_signed_in(user_client, shop, django_assert_max_num_queries):
    url = shop["Sunny Bananas"].get_absolute_url()
    user_client.get(url)
    with django_assert_max_num_queries(11):  # 10 + the recommended products (their stock is read live)
        assert user_client.get(url).status_code == 200


@pytest.mark.parametrize("slug", ["standard", "elder", "screen-reader", "cross-border"])
def test_a_product_without_reviews_says_so_once(client, shop, slug):
    """Issue 17: "No reviews yet" was said next to the price and twice more in the reviews section (its summary
    line and the empty list); now the empty list alone says it."""
    from storefront.catalog.models import Product

    product = Product.objects.filter(rating_count=0, pk__in=[p.pk for p in shop.values()]).first()
    page = client.get(product.get_absolute_url() + f"?edition={slug}").content.decode()
    detail = page[page.index('<article class="product-detail"') : page.index("</article>\n")]
    assert detail.count("No reviews yet") == 1
