"""The checkout journey over HTTP: address, review, pay (new card, saved card, declines, double submits)."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from storefront.accounts.models import Address, SavedPaymentMethod
from storefront.cart import services as cart_services
from storefront.cart.models import CartLine
from storefront.checkout.models import Order, Payment, ReturnRequest
from storefront.checkout.state import ADDRESS_KEY
from storefront.sandbox import models as sandbox_models

NEXT_YEAR = date.today().year + 1


@pytest.fixture
def shopper(user_client, user, product, make_cart, address):
    """Signed in, two apples in the cart, a saved address chosen for delivery."""
    make_cart(user=user, lines=[(product, 2)])
    session = user_client.session
    session[ADDRESS_KEY] = address.pk
    session.save()
    return user_client


def pay(client, number: str = "4242424242424242", key: str = "checkout-key-1", follow: bool = True, **extra):
    data = {
        "method": "new",
        "idempotency_key": key,
        "card-number": number,
        "card-exp_month": "12",
        "card-exp_year": str(NEXT_YEAR),
        "card-cvc": "123",
        "card-save": "on",
        **extra,
    }
    return client.post(reverse("checkout:pay"), data, follow=follow)


def stock_of(product) -> int:
    product.refresh_from_db()
    return product.stock


@pytest.mark.parametrize("name", ["start", "address", "review", "pay"])
def test_checkout_needs_sign_in(client, name):
    response = client.get(reverse(f"checkout:{name}"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_empty_cart_goes_back_to_the_cart_with_a_message(user_client):
    response = user_client.get(reverse("checkout:address"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("cart:cart")
    assert "Your cart is empty. Add something before checking out." in response.content.decode()


def test_address_step_saves_a_new_address(user_client, user, product, make_cart):
    make_cart(user=user, lines=[(product, 1)])
    assert user_client.get(reverse("checkout:address")).status_code == 200
    response = user_client.post(
        reverse("checkout:address"),
        {
            "new-full_name": "Alice Archer",
            "new-street_address": "1600 Amphitheatre Pkwy",
            "new-city": "Mountain View",
            "new-country_area": "CA",
            "new-postal_code": "94043",
            "new-country": "US",
            "new-phone": "(650) 253-0000",
        },
    )
    assert response.status_code == 302 and response["Location"] == reverse("checkout:review")
    address = Address.objects.get(user=user)
    assert address.is_default and address.phone == "+16502530000"
    assert user_client.session[ADDRESS_KEY] == address.pk


def test_address_step_reports_errors(user_client, user, product, make_cart):
    make_cart(user=user, lines=[(product, 1)])
    response = user_client.post(
        reverse("checkout:address"),
        {
            "new-full_name": "",
            "new-street_address": "1 Main St",
            "new-city": "Springfield",
            "new-country_area": "IL",
            "new-postal_code": "ABCDE",
            "new-country": "US",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Enter the name of the person receiving the parcel." in html
    assert not Address.objects.exists()


def test_choosing_someone_elses_address_is_refused(
    user_client, user, other_user, product, make_cart, make_address
):
    make_cart(user=user, lines=[(product, 1)])
    theirs = make_address(other_user)
    response = user_client.post(reverse("checkout:address"), {"use": "saved", "address": theirs.pk})
    assert response.status_code == 400
    assert ADDRESS_KEY not in user_client.session


def test_review_shows_totals(shopper):
    response = shopper.get(reverse("checkout:review"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "$7.00" in html and "$11.99" in html


def test_review_without_an_address_goes_to_the_address_step(user_client, user, product, make_cart):
    make_cart(user=user, lines=[(product, 1)])
    response = user_client.get(reverse("checkout:review"))
    assert response["Location"] == reverse("checkout:address")


def test_pay_with_a_new_card(shopper, user, product):
    assert shopper.get(reverse("checkout:pay")).status_code == 200
    response = pay(shopper)
    order = Order.objects.get()
    assert response.redirect_chain[-1][0] == reverse("checkout:confirmation", args=[order.number])
    assert response.status_code == 200 and order.number in response.content.decode()
    assert order.status == Order.Status.PAID
    assert order.payment_method_label == "Visa •••• 4242"
    assert stock_of(product) == 3
    assert not CartLine.objects.exists()  # the cart is emptied once paid
    assert shopper.session[cart_services.COUNT_KEY] == 0
    saved = SavedPaymentMethod.objects.get(user=user)
    assert (saved.brand, saved.last4) == ("Visa", "4242")


def test_double_submit_places_one_order_and_charges_once(shopper, user, product, make_cart):
    first = pay(shopper, key="same-key")
    # The second click's request read the cart before the first emptied it: it still has the lines.
    CartLine.objects.create(cart=user.cart, product=product, quantity=2)
    second = pay(shopper, key="same-key")
    order = Order.objects.get()
    assert (
        first.redirect_chain[-1][0]
        == second.redirect_chain[-1][0]
        == reverse("checkout:confirmation", args=[order.number])
    )
    assert sandbox_models.SandboxCardCharge.objects.filter(kind="charge").count() == 1
    assert Payment.objects.count() == 1
    assert stock_of(product) == 3


def test_resubmitting_after_the_cart_was_emptied_charges_nothing(shopper, product):
    pay(shopper, key="same-key")
    response = pay(shopper, key="same-key")
    assert response.status_code == 200
    assert Order.objects.count() == 1
    assert sandbox_models.SandboxCardCharge.objects.count() == 1
    assert stock_of(product) == 3


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("4000000000000002", "Your card was declined. You have not been charged. Try another card."),
        ("4000000000009995", "Your bank declined the payment: not enough funds. You have not been charged."),
        ("4000000000000119", "The payment service did not answer in time. You have not been charged."),
    ],
)
def test_failed_payment_returns_to_pay_with_the_reason(shopper, product, number, message):
    response = pay(shopper, number)
    assert response.redirect_chain[-1][0] == reverse("checkout:pay")
    assert message in response.content.decode()
    order = Order.objects.get()
    assert order.status == Order.Status.PAYMENT_FAILED
    assert stock_of(product) == 5
    assert CartLine.objects.filter(cart__user=order.user).exists()  # the cart is kept for another try
    assert not Payment.objects.filter(status=Payment.Status.SUCCEEDED).exists()


def test_timeout_after_charge_ends_paid(shopper, product):
    response = pay(shopper, "4000000000003220")
    order = Order.objects.get()
    assert order.status == Order.Status.PAID
    assert response.redirect_chain[-1][0] == reverse("checkout:confirmation", args=[order.number])
    assert sandbox_models.SandboxCardCharge.objects.count() == 1


def test_retry_after_a_decline_with_another_card(shopper, product):
    pay(shopper, "4000000000000002", key="attempt-1")
    pay(shopper, "4242424242424242", key="attempt-2")
    statuses = dict(Order.objects.values_list("idempotency_key", "status"))
    assert statuses == {"attempt-1": Order.Status.PAYMENT_FAILED, "attempt-2": Order.Status.PAID}
    assert stock_of(product) == 3


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("1234", "Enter a card number of 12 to 19 digits."),
        ("4242424242424241", "Enter a valid card number."),
        ("", "Enter the card number."),
    ],
)
def test_invalid_card_is_reported_on_the_form(shopper, product, number, message):
    response = pay(shopper, number, follow=False)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Order.objects.exists()
    assert stock_of(product) == 5


def test_pay_with_a_saved_card(shopper, user, make_saved_card, product):
    card = make_saved_card(user)
    response = shopper.post(
        reverse("checkout:pay"), {"method": str(card.pk), "idempotency_key": "saved-1"}, follow=True
    )
    assert Order.objects.get().status == Order.Status.PAID
    assert response.redirect_chain[-1][0].startswith("/checkout/confirmation/")


def test_someone_elses_saved_card_cannot_be_used(shopper, other_user, make_saved_card):
    theirs = make_saved_card(other_user)
    response = shopper.post(reverse("checkout:pay"), {"method": str(theirs.pk), "idempotency_key": "steal-1"})
    assert response.status_code == 400
    assert not Order.objects.exists()


def test_sold_out_at_payment_goes_back_to_the_cart(shopper, product):
    product.stock = 1
    product.save()
    response = pay(shopper)
    assert response.redirect_chain[-1][0] == reverse("cart:cart")
    assert (
        "Sorry, Sunny Apples sold out before your order was placed. You have not been charged."
        in response.content.decode()
    )
    assert stock_of(product) == 1
    assert not Order.objects.exists()
    assert not sandbox_models.SandboxCardCharge.objects.exists()


def test_orders_of_other_shoppers_are_404(user_client, other_user, place, product, assert_edition_page):
    order, _ = place((product, 1), who=other_user)
    for name in ("confirmation", "order"):
        response = user_client.get(reverse(f"checkout:{name}", args=[order.number]))
        assert response.status_code == 404
        assert_edition_page(response)


def test_order_list_and_detail(user_client, place, product):
    order, _ = place((product, 1))
    assert order.number in user_client.get(reverse("checkout:orders")).content.decode()
    assert user_client.get(order.get_absolute_url()).status_code == 200


def test_a_return_waits_for_delivery(user_client, place, product):
    # (returns per line are tested in test_returns.py)
    order, _ = place((product, 1))
    url = reverse("checkout:return", args=[order.number])
    refused = user_client.post(url, {"reason": "size"}, follow=True)
    assert "Nothing in this order can be returned now" in refused.content.decode()
    assert not ReturnRequest.objects.exists()
