"""Cart pages and actions over HTTP: form posts with messages, htmx fragments, bad input, sign-in merge."""

from __future__ import annotations

import pytest
from django.urls import reverse

from storefront.cart import services
from storefront.cart.models import Cart, CartLine

HTMX = {"HX-Request": "true"}


def post(client, action: str, follow: bool = True, headers=None, **data):
    return client.post(reverse(f"cart:{action}"), data, follow=follow, headers=headers or {})


def quantities() -> dict[str, int]:
    return {line.product.name: line.quantity for line in CartLine.objects.select_related("product")}


def test_empty_cart_page(db, client, assert_edition_page):
    response = client.get(reverse("cart:cart"))
    assert response.status_code == 200
    assert "Your cart is empty." in assert_edition_page(response)


def test_add_change_remove_with_messages(client, product):
    html = post(client, "add", product=product.pk, quantity=2).content.decode()
    assert "Added Sunny Apples to your cart. You now have 2." in html
    assert quantities() == {"Sunny Apples": 2}
    html = post(client, "update", product=product.pk, quantity=4).content.decode()
    assert "Sunny Apples: quantity is now 4." in html
    assert quantities() == {"Sunny Apples": 4}
    html = post(client, "remove", product=product.pk).content.decode()
    assert "Removed Sunny Apples from your cart." in html
    assert quantities() == {}


def test_quantity_zero_removes(client, product):
    post(client, "add", product=product.pk, quantity=2)
    html = post(client, "update", product=product.pk, quantity=0).content.decode()
    assert "Removed Sunny Apples from your cart." in html
    assert quantities() == {}


def test_add_without_quantity_adds_one(client, product):
    assert "You now have 1." in post(client, "add", product=product.pk).content.decode()
    assert quantities() == {"Sunny Apples": 1}


def test_update_without_quantity_asks_for_one(client, product):
    post(client, "add", product=product.pk, quantity=2)
    assert "Enter a quantity." in post(client, "update", product=product.pk).content.decode()
    assert quantities() == {"Sunny Apples": 2}


def test_stock_limit_message(client, product):
    html = post(client, "add", product=product.pk, quantity=6).content.decode()
    assert "Only 5 of Sunny Apples left in stock. Choose 5 or fewer." in html
    assert quantities() == {}


def test_sold_out_message(client, make_product):
    gone = make_product("Ghost Pears", stock=0)
    html = post(client, "add", product=gone.pk, quantity=1).content.decode()
    assert "Sorry, Ghost Pears is sold out." in html


@pytest.mark.parametrize(
    ("quantity", "message"),
    [
        ("-1", "The quantity cannot be negative."),
        ("-999", "The quantity cannot be negative."),
        ("abc", "Enter the quantity as a whole number, like 2."),
        ("1.5", "Enter the quantity as a whole number, like 2."),
        ("1e3", "Enter the quantity as a whole number, like 2."),
        ("100", "You can buy at most 99 of one item."),
        ("99999999999999999999999", "You can buy at most 99 of one item."),
    ],
)
@pytest.mark.parametrize("action", ["add", "update"])
def test_bad_quantities_are_rejected_with_a_clear_message(client, product, action, quantity, message):
    post(client, "add", product=product.pk, quantity=2)
    response = post(client, action, product=product.pk, quantity=quantity)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert quantities() == {"Sunny Apples": 2}


def test_update_with_empty_quantity(client, product):
    post(client, "add", product=product.pk, quantity=2)
    html = post(client, "update", product=product.pk, quantity="").content.decode()
    assert "Enter a quantity." in html or "Removed" not in html
    assert quantities() == {"Sunny Apples": 2}


@pytest.mark.parametrize("value", ["", "abc", "99999999", "-1", "1 OR 1=1"])
def test_unknown_products_are_refused_politely(db, client, value):
    response = post(client, "add", product=value, quantity=1)
    assert response.status_code == 200
    html = response.content.decode()
    assert "That product is not on sale." in html or "Choose a product." in html
    assert not CartLine.objects.exists()


def test_inactive_product_is_not_on_sale(client, make_product):
    withdrawn = make_product(is_active=False)
    html = post(client, "add", product=withdrawn.pk, quantity=1).content.decode()
    assert "That product is not on sale." in html


def test_update_without_a_cart(client, product):
    html = post(client, "update", product=product.pk, quantity=1).content.decode()
    assert "Your cart is empty." in html


def test_cart_actions_are_post_only(db, client):
    for action in ("add", "update", "remove"):
        assert client.get(reverse(f"cart:{action}")).status_code == 405


def test_next_redirect_is_same_site_only(client, product):
    response = post(client, "add", follow=False, product=product.pk, next=product.get_absolute_url())
    assert response["Location"] == product.get_absolute_url()
    response = post(client, "add", follow=False, product=product.pk, next="https://evil.example/")
    assert response["Location"] == reverse("cart:cart")


def test_htmx_add_returns_a_status_fragment(client, product):
    response = post(client, "add", follow=False, headers=HTMX, product=product.pk, quantity=2)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Added Sunny Apples to your cart. You now have 2." in html and "<html" not in html
    error = post(client, "add", follow=False, headers=HTMX, product=product.pk, quantity=9)
    assert error.status_code == 200  # htmx only swaps 2xx answers
    assert "Only 5 of Sunny Apples left in stock." in error.content.decode()


def test_htmx_update_returns_the_cart_contents(client, product):
    post(client, "add", product=product.pk, quantity=1)
    response = post(
        client,
        "update",
        follow=False,
        headers={**HTMX, "HX-Target": "cart-contents"},
        product=product.pk,
        quantity=3,
    )
    html = response.content.decode()
    assert 'id="cart-contents"' in html and "<html" not in html
    assert 'value="3"' in html


def test_cart_page_shows_lines_and_total(client, product, make_product):
    other = make_product("Ocean Pears", price="1.25")
    post(client, "add", product=product.pk, quantity=2)
    post(client, "add", product=other.pk, quantity=4)
    html = client.get(reverse("cart:cart")).content.decode()
    assert "Sunny Apples" in html and "Ocean Pears" in html
    assert "$12.00" in html  # 2 x 3.50 + 4 x 1.25


def test_cart_page_warns_when_stock_fell_below_the_quantity(client, product):
    post(client, "add", product=product.pk, quantity=4)
    product.stock = 2
    product.save()
    assert "Only 2 left. Lower the quantity." in client.get(reverse("cart:cart")).content.decode()


def test_anonymous_cart_is_merged_on_sign_in(client, user, password, make_cart, product, make_product):
    pears = make_product("Ocean Pears")
    make_cart(user=user, lines=[(pears, 1)])
    post(client, "add", product=product.pk, quantity=2)
    post(client, "add", product=pears.pk, quantity=2)
    response = client.post(reverse("accounts:login"), {"username": "alice", "password": password})
    assert response.status_code == 302
    assert {line.product.name: line.quantity for line in Cart.objects.get(user=user).lines.all()} == {
        "Sunny Apples": 2,
        "Ocean Pears": 3,
    }
    assert Cart.objects.count() == 1
    assert client.session[services.COUNT_KEY] == 5


@pytest.mark.parametrize("signed_in", [False, True])
def test_cart_page_query_budget(client, user, make_product, django_assert_max_num_queries, signed_in):
    if signed_in:
        client.force_login(user)
    for i in range(5):
        post(client, "add", product=make_product(f"Item {i}").pk, quantity=1)
    client.get(reverse("cart:cart"))
    with django_assert_max_num_queries(10):
        assert client.get(reverse("cart:cart")).status_code == 200


def test_cart_shows_thumbnails_and_a_free_delivery_nudge(client, make_product):
    variants = {
        "webp": {"160": "products/apples-160.webp"},
        "jpeg": {"160": "products/apples-160.jpg"},
        "width": 160,
        "height": 160,
    }
    apples = make_product("Sunny Apples", price="11.99", image_variants=variants)
    post(client, "add", product=apples.pk, quantity=2)
    html = client.get(reverse("cart:cart")).content.decode()
    assert 'srcset="/media/products/apples-160.webp 160w"' in html and 'alt=""' in html  # named beside it
    assert "Add $26.02 more for free delivery." in html
    post(client, "update", product=apples.pk, quantity=5)
    html = client.get(reverse("cart:cart")).content.decode()
    assert "more for free delivery" not in html and "Your order has free delivery." in html
