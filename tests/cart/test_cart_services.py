"""Cart rules: adding, changing and removing lines within stock limits, and merging on sign-in."""

from __future__ import annotations

from decimal import Decimal

import pytest

from storefront.cart import services
from storefront.cart.models import Cart, CartLine


def lines(cart: Cart) -> dict[str, int]:
    return {line.product.name: line.quantity for line in cart.lines_with_products()}


def test_add_creates_an_anonymous_cart_in_the_session(anon_request, product):
    line = services.add(anon_request, product, 2)
    cart = Cart.objects.get(pk=anon_request.session[services.SESSION_KEY])
    assert cart.user is None and line.cart == cart and line.quantity == 2
    assert services.count_from_session(anon_request) == 2


def test_add_twice_adds_up(user_request, product):
    services.add(user_request, product, 1)
    services.add(user_request, product, 2)
    cart = services.get_cart(user_request)
    assert cart.user == user_request.user
    assert lines(cart) == {"Sunny Apples": 3}
    assert CartLine.objects.count() == 1
    assert services.count_from_session(user_request) == 3


def test_adding_beyond_stock_is_refused_with_a_clear_message(user_request, product):
    services.add(user_request, product, 4)
    message = r"^Only 5 of Sunny Apples left in stock\. Choose 5 or fewer\.$"
    with pytest.raises(services.CartError, match=message):
        services.add(user_request, product, 2)
    assert lines(services.get_cart(user_request)) == {"Sunny Apples": 4}


def test_sold_out_product_cannot_be_added(user_request, make_product):
    gone = make_product("Ghost Pears", stock=0)
    with pytest.raises(services.CartError, match="sold out"):
        services.add(user_request, gone)
    assert not CartLine.objects.exists()


def test_inactive_product_cannot_be_added(user_request, make_product):
    withdrawn = make_product(is_active=False)
    with pytest.raises(services.CartError, match="no longer on sale"):
        services.add(user_request, withdrawn)


@pytest.mark.parametrize("quantity", [0, -1, -100])
def test_add_rejects_zero_and_negative_quantities(user_request, product, quantity):
    services.add(user_request, product, 3)
    with pytest.raises(services.CartError, match="at least 1"):
        services.add(user_request, product, quantity)
    assert lines(services.get_cart(user_request)) == {"Sunny Apples": 3}  # a negative add never subtracts


def test_per_line_maximum(user_request, make_product):
    plenty = make_product(stock=1000)
    with pytest.raises(services.CartError, match="at most 99"):
        services.add(user_request, plenty, 100)


def test_set_quantity_changes_the_line(user_request, product):
    services.add(user_request, product, 1)
    line = services.set_quantity(user_request, product, 4)
    assert line.quantity == 4
    assert services.count_from_session(user_request) == 4


def test_set_quantity_zero_removes_the_line(user_request, product):
    services.add(user_request, product, 2)
    assert services.set_quantity(user_request, product, 0) is None
    assert lines(services.get_cart(user_request)) == {}
    assert services.count_from_session(user_request) == 0


@pytest.mark.parametrize(("quantity", "message"), [(-1, "at least 1"), (6, "Only 5"), (100, "at most 99")])
def test_set_quantity_refuses_bad_quantities(user_request, product, quantity, message):
    services.add(user_request, product, 2)
    with pytest.raises(services.CartError, match=message):
        services.set_quantity(user_request, product, quantity)
    assert lines(services.get_cart(user_request)) == {"Sunny Apples": 2}


def test_set_quantity_without_a_cart(user_request, product):
    with pytest.raises(services.CartError, match="empty"):
        services.set_quantity(user_request, product, 1)


def test_remove(user_request, product, make_product):
    other = make_product("Ocean Pears")
    services.add(user_request, product, 2)
    services.add(user_request, other, 1)
    services.remove(user_request, product)
    assert lines(services.get_cart(user_request)) == {"Ocean Pears": 1}
    assert services.count_from_session(user_request) == 1


def test_remove_without_a_cart_is_harmless(anon_request, product):
    services.remove(anon_request, product)
    assert services.count_from_session(anon_request) == 0


def test_summary_totals(user_request, product, make_product):
    other = make_product(price="0.10", stock=50)
    services.add(user_request, product, 3)  # 3 x 3.50
    services.add(user_request, other, 3)  # 3 x 0.10, exactly 0.30 in Decimal
    summary = services.summary(services.get_cart(user_request))
    assert summary.count == 6 and summary.totals is None
    with pytest.raises(RuntimeError):  # an unpriced cart never renders as an empty table
        summary.rows  # noqa: B018 (reading it is the test)
    priced = services.priced(user_request, summary)
    assert [(amount.unit_price, amount.line_total) for _line, amount in priced.rows] == [
        (Decimal("3.50"), Decimal("10.50")),
        (Decimal("0.10"), Decimal("0.30")),
    ]
    assert (priced.totals.currency, priced.totals.subtotal) == ("USD", Decimal("10.80"))
    assert services.summary(None).count == 0


def test_a_session_cannot_adopt_someone_elses_cart(anon_request, user, make_cart, product):
    owned = make_cart(user=user, lines=[(product, 1)])
    anon_request.session[services.SESSION_KEY] = owned.pk
    assert services.get_cart(anon_request) is None


def test_merge_on_sign_in_adds_up_and_caps_at_stock(anon_request, user, make_cart, product, make_product):
    pears = make_product("Ocean Pears", stock=10)
    make_cart(user=user, lines=[(product, 4), (pears, 1)])
    services.add(anon_request, product, 3)  # 4 + 3 > stock 5
    services.add(anon_request, pears, 2)
    anonymous_id = anon_request.session[services.SESSION_KEY]
    services.merge_session_cart_into_user(anon_request, user)
    assert lines(Cart.objects.get(user=user)) == {"Sunny Apples": 5, "Ocean Pears": 3}
    assert not Cart.objects.filter(pk=anonymous_id).exists()
    assert services.SESSION_KEY not in anon_request.session
    assert services.count_from_session(anon_request) == 8


def test_merge_creates_the_account_cart_and_skips_sold_out_lines(anon_request, user, product, make_product):
    soon_gone = make_product(stock=2)
    services.add(anon_request, product, 2)
    services.add(anon_request, soon_gone, 1)
    soon_gone.stock = 0
    soon_gone.save()
    services.merge_session_cart_into_user(anon_request, user)
    assert lines(Cart.objects.get(user=user)) == {"Sunny Apples": 2}


def test_merge_without_an_anonymous_cart_only_refreshes_the_count(anon_request, user, make_cart, product):
    make_cart(user=user, lines=[(product, 2)])
    services.merge_session_cart_into_user(anon_request, user)
    assert services.count_from_session(anon_request) == 2
    assert Cart.objects.count() == 1


def test_sign_in_merges_the_cart_through_the_signal(client, user, product):
    session = client.session
    cart = Cart.objects.create()
    CartLine.objects.create(cart=cart, product=product, quantity=2)
    session[services.SESSION_KEY] = cart.pk
    session.save()
    client.force_login(user)
    assert lines(Cart.objects.get(user=user)) == {"Sunny Apples": 2}
    assert not Cart.objects.filter(pk=cart.pk).exists()
    assert client.session[services.COUNT_KEY] == 2
