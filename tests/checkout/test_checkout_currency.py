"""Checkout in the shopper's currency: the review and pay pages show exactly what placement charges."""

from decimal import Decimal

from storefront.checkout.models import Order
from storefront.checkout.state import ADDRESS_KEY


def test_paying_in_won_charges_exactly_what_was_shown(user_client, user, product, make_cart, address):
    make_cart(user, [(product, 3)])
    session = user_client.session
    session[ADDRESS_KEY] = address.pk
    session.save()
    page = user_client.get("/checkout/review/?currency=KRW").content.decode()
    assert "₩14,544" in page and "₩6,911" in page and "₩21,455" in page  # 3 x 4,848 + delivery 4.99 -> 6,911
    page = user_client.get("/checkout/pay/").content.decode()
    assert "Place order and pay ₩21,455" in page
    key = page.split('name="idempotency_key" value="')[1].split('"')[0]
    user_client.post(
        "/checkout/pay/",
        {
            "method": "new",
            "idempotency_key": key,
            "card-number": "4242424242424242",
            "card-exp_month": "12",
            "card-exp_year": "2030",
            "card-cvc": "123",
        },
    )
    order = Order.objects.get(user=user)
    assert (order.currency, order.total, order.exchange_rate) == ("KRW", Decimal("21455"), Decimal("1385"))
    assert order.payments.get().amount == Decimal("21455")


def test_listings_show_the_chosen_currency(client, product, category):
    assert "₩4,848" in client.get(product.get_absolute_url() + "?currency=KRW").content.decode()
    assert "₩4,848" in client.get(category.get_absolute_url()).content.decode()
    page = client.get(category.get_absolute_url() + "?currency=EUR").content.decode()
    assert "€3.22" in page and "₩4,848" not in page  # the cached product card varies by currency
