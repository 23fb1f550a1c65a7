"""One-click buying through its pages: Buy now, Buy again, double submits, sold out, declines, the 30-minute
cancel window (with a moved clock) and setting up a default card."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from storefront.accounts.models import SavedPaymentMethod
from storefront.checkout import oneclick
from storefront.checkout.models import Order, Payment
from storefront.sandbox.models import SandboxCardCharge as GatewayLedger

KEY_RE = re.compile(r'name="idempotency_key" value="([^"]+)"')


@pytest.fixture
def ready_user(user, address, make_saved_card):
    make_saved_card(user, is_default=True)
    return user


@pytest.fixture
def ready_client(client, ready_user):
    client.force_login(ready_user)
    return client


def stock_of(product) -> int:
    product.refresh_from_db()
    return product.stock


def charges(kind: str = "charge") -> list[bool]:
    return list(GatewayLedger.objects.filter(kind=kind).values_list("succeeded", flat=True))


def buy_now_key(client, product) -> str:
    page = client.get(product.get_absolute_url())
    assert page.status_code == 200
    keys = KEY_RE.findall(page.content.decode())
    assert len(keys) == 1, "the product page shows one Buy now form"
    return keys[0]


def buy_now(client, product, key: str):
    return client.post(reverse("checkout:buy_now"), {"product": product.pk, "idempotency_key": key})


# --- the button ------------------------------------------------------------------------------------------


def test_product_page_shows_buy_now_with_a_fresh_key_per_view(ready_client, product):
    html = ready_client.get(product.get_absolute_url()).content.decode()
    assert ">Buy now</button>" in html
    assert 'action="/checkout/buy-now/"' in html and "csrfmiddlewaretoken" in html
    assert "Visa ending in 4242" in html and "1600 Amphitheatre Pkwy" in html
    assert "$8.49" in html  # 3.50 + 4.99 delivery: the amount the button promises
    assert buy_now_key(ready_client, product) != buy_now_key(ready_client, product)


def test_shopper_without_a_default_card_gets_a_set_up_link(user_client, product, address):
    html = user_client.get(product.get_absolute_url()).content.decode()
    assert ">Buy now</button>" not in html
    assert reverse("checkout:oneclick_setup") in html and "Set up one-click buying" in html


def test_anonymous_shopper_sees_no_buy_now(client, product):
    html = client.get(product.get_absolute_url()).content.decode()
    assert "Buy now" not in html and "one-click" not in html


def test_buy_now_places_pays_and_redirects_to_the_confirmation(ready_client, product):
    key = buy_now_key(ready_client, product)
    response = buy_now(ready_client, product, key)
    order = Order.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("checkout:oneclick_done", args=[order.number])
    assert order.status == Order.Status.PAID and order.idempotency_key == key
    assert order.payment_method_label == "Visa ending in 4242"
    assert order.shipping_address["street_address"] == "1600 Amphitheatre Pkwy"
    assert order.total == Decimal("8.49")
    assert stock_of(product) == 4
    assert charges() == [True]
    page = ready_client.get(response["Location"]).content.decode()
    assert "your order is confirmed" in page and "Estimated delivery: between" in page
    assert ">Cancel this order</button>" in page
    with timezone.override(ZoneInfo("America/New_York")):  # the zone of the US destination
        deadline = oneclick.describe_time(order.placed_at + timedelta(minutes=30))
    assert f"until {deadline}" in page and deadline.endswith(("EST", "EDT"))


def test_buy_now_submits_the_add_to_cart_form_so_it_carries_the_quantity_box(ready_client, product):
    """Issue 17: "Buy" bought 1 whatever the quantity box said. The button now belongs to the form with the box
    (HTML form attribute) and posts it to buy_now (formaction): no JavaScript needed."""
    html = ready_client.get(product.get_absolute_url()).content.decode()
    form = re.search(r'<form [^>]*id="add-to-cart"[^>]*>(.*?)</form>', html, re.S)
    assert form and 'name="quantity"' in form.group(1)
    assert re.search(
        r'<button type="submit" form="add-to-cart" formaction="/checkout/buy-now/"[^>]*>Buy now<', html
    )
    assert re.search(r'name="idempotency_key" value="[^"]+" form="add-to-cart"', html)
    assert "Buys the quantity you chose now" in html and "One costs $8.49 including delivery" in html


def test_buy_now_buys_the_quantity_in_the_box(ready_client, product):
    key = buy_now_key(ready_client, product)
    response = ready_client.post(
        reverse("checkout:buy_now"),
        {"product": product.pk, "quantity": "3", "idempotency_key": key, "next": product.get_absolute_url()},
    )
    order = Order.objects.get()
    assert response["Location"] == reverse("checkout:oneclick_done", args=[order.number])
    assert [(line.product_id, line.quantity) for line in order.lines.all()] == [(product.pk, 3)]
    assert stock_of(product) == 2 and charges() == [True]
    assert order.subtotal == Decimal("10.50") and Payment.objects.get().amount == order.total


def test_buy_now_without_a_quantity_buys_one(ready_client, product):
    buy_now(ready_client, product, buy_now_key(ready_client, product))
    assert Order.objects.get().lines.get().quantity == 1


@pytest.mark.parametrize(
    "quantity, message",
    [
        ("0", "Choose a quantity of at least 1."),
        ("-2", "Choose a quantity of at least 1."),
        ("100", "You can buy at most 99 of one item."),
        ("6", "Only 5 of Sunny Apples are left. Nothing was ordered: choose 5 or fewer."),
        ("two", "Enter the quantity as a whole number, like 2."),
    ],
)
def test_buy_now_with_an_impossible_quantity_orders_nothing_and_says_why(
    ready_client, product, quantity, message
):
    key = buy_now_key(ready_client, product)
    response = ready_client.post(
        reverse("checkout:buy_now"),
        {"product": product.pk, "quantity": quantity, "idempotency_key": key},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == product.get_absolute_url()
    assert message in response.content.decode()
    assert Order.objects.count() == 0 and charges() == [] and stock_of(product) == 5


def test_the_repeat_question_keeps_the_quantity(ready_client, product):
    buy_now(ready_client, product, buy_now_key(ready_client, product))
    second = buy_now_key(ready_client, product)
    html = ready_client.post(
        reverse("checkout:buy_now"), {"product": product.pk, "quantity": "1", "idempotency_key": second}
    ).content.decode()
    assert "You have just bought this" in html and 'name="quantity" value="1"' in html


def test_double_submit_refresh_and_second_tab_make_one_order_and_one_charge(ready_client, product):
    key = buy_now_key(ready_client, product)
    first = buy_now(ready_client, product, key)
    again = buy_now(ready_client, product, key)  # double click, or the browser re-sending the POST
    assert first["Location"] == again["Location"]
    assert Order.objects.count() == 1
    assert charges() == [True] and Payment.objects.count() == 1
    assert stock_of(product) == 4


def test_a_second_tab_with_its_own_key_asks_before_a_second_order(ready_client, product):
    first_tab, second_tab = buy_now_key(ready_client, product), buy_now_key(ready_client, product)
    buy_now(ready_client, product, first_tab)
    response = buy_now(ready_client, product, second_tab)
    html = response.content.decode()
    assert response.status_code == 200 and "You have just bought this" in html
    assert Order.objects.count() == 1 and charges() == [True] and stock_of(product) == 4
    assert 'name="confirm_repeat" value="1"' in html and f'value="{second_tab}"' in html
    buy_now(ready_client, product, second_tab)  # a refresh of that POST: still asks, still one order
    assert Order.objects.count() == 1
    confirmed = ready_client.post(
        reverse("checkout:buy_now"),
        {"product": product.pk, "idempotency_key": second_tab, "confirm_repeat": "1"},
    )
    assert confirmed.status_code == 302
    assert Order.objects.count() == 2 and charges() == [True, True] and stock_of(product) == 3


def test_the_same_items_after_the_repeat_window_need_no_confirmation(ready_client, product, clock):
    buy_now(ready_client, product, buy_now_key(ready_client, product))
    clock.advance(minutes=31)
    response = buy_now(ready_client, product, buy_now_key(ready_client, product))
    assert response.status_code == 302 and Order.objects.count() == 2


def test_someone_elses_key_never_reveals_or_reuses_their_order(
    ready_client, product, make_user, make_address, make_saved_card
):
    bob = make_user("bobby")
    make_address(bob)
    make_saved_card(bob, is_default=True)
    bob_client = Client()
    bob_client.force_login(bob)
    key = buy_now_key(ready_client, product)
    buy_now(ready_client, product, key)
    response = buy_now(bob_client, product, key)
    assert response.status_code == 302 and response["Location"] == product.get_absolute_url()
    assert Order.objects.count() == 1 and Order.objects.get().user != bob


def test_sold_out_between_page_view_and_click_says_so_and_charges_nothing(ready_client, product):
    key = buy_now_key(ready_client, product)
    product.stock = 0
    product.save()
    response = buy_now(ready_client, product, key)
    assert response.status_code == 302 and response["Location"] == product.get_absolute_url()
    page = ready_client.get(response["Location"]).content.decode()
    assert "sold out before your order was placed. You have not been charged." in page
    assert not Order.objects.exists() and charges() == []


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("4000000000000002", "Your card was declined"),
        ("4000000000000119", "did not answer in time"),
    ],
)
def test_declined_or_timed_out_payment_releases_stock_and_says_what_to_do(
    client, user, address, make_saved_card, product, number, message
):
    make_saved_card(user, number=number, is_default=True)
    client.force_login(user)
    response = buy_now(client, product, buy_now_key(client, product))
    order = Order.objects.get()
    assert order.status == Order.Status.PAYMENT_FAILED and order.stock_released
    assert stock_of(product) == 5
    assert not Payment.objects.filter(status=Payment.Status.SUCCEEDED).exists()
    page = client.get(response["Location"]).content.decode()
    assert "Your payment did not go through" in page and message in page
    assert "not been charged" in page
    assert reverse("checkout:oneclick_setup") in page  # what to do: choose another card


def test_buy_now_without_defaults_sends_to_set_up(user_client, product):
    response = buy_now(user_client, product, oneclick.new_key())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("checkout:oneclick_setup"))
    assert not Order.objects.exists()


def test_buy_now_needs_post_and_sign_in(client, product):
    assert client.get(reverse("checkout:buy_now")).status_code in (302, 405)
    response = client.post(reverse("checkout:buy_now"), {"product": product.pk, "idempotency_key": "x" * 32})
    assert response.status_code == 302 and "/account/signin/" in response["Location"]
    assert not Order.objects.exists()


def test_buy_now_rejects_a_missing_key(ready_client, product):
    response = ready_client.post(reverse("checkout:buy_now"), {"product": product.pk})
    assert response.status_code == 302 and not Order.objects.exists()


def test_buy_now_is_csrf_protected(ready_user, product):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(ready_user)
    response = strict.post(
        reverse("checkout:buy_now"), {"product": product.pk, "idempotency_key": oneclick.new_key()}
    )
    assert response.status_code == 403 and not Order.objects.exists()


# --- buy again -------------------------------------------------------------------------------------------


def test_buy_again_repeats_a_past_order(ready_client, ready_user, product, make_product, place):
    pears = make_product("Pears", price="30.00", stock=3)
    past, _ = place((product, 2), (pears, 1))
    Order.objects.filter(pk=past.pk).update(
        status=Order.Status.DELIVERED, placed_at=timezone.now() - timedelta(days=20)
    )
    page = ready_client.get(past.get_absolute_url()).content.decode()
    assert "Buy again" in page
    key = KEY_RE.findall(page)[0]
    response = ready_client.post(reverse("checkout:buy_again", args=[past.number]), {"idempotency_key": key})
    again = Order.objects.exclude(pk=past.pk).get()
    assert response["Location"] == reverse("checkout:oneclick_done", args=[again.number])
    assert again.status == Order.Status.PAID
    bought = sorted((ln.product_id, ln.quantity) for ln in again.lines.all())
    assert bought == [(product.pk, 2), (pears.pk, 1)]
    assert again.total == Decimal("41.99")  # 2 x 3.50 + 30.00 + 4.99 delivery
    ready_client.post(reverse("checkout:buy_again", args=[past.number]), {"idempotency_key": key})
    assert Order.objects.count() == 2


def test_order_list_offers_buy_again(ready_client, product, place):
    place((product, 1))
    assert "Buy again" in ready_client.get(reverse("checkout:orders")).content.decode()


def test_buy_again_for_someone_elses_order_is_404(ready_client, other_user, make_address, product):
    from storefront.checkout import placement

    theirs, _ = placement.place_order(
        user=other_user,
        lines=[placement.WantedLine(product.pk, 1)],
        address=make_address(other_user).as_snapshot(),
        idempotency_key="theirs",
    )
    response = ready_client.post(
        reverse("checkout:buy_again", args=[theirs.number]), {"idempotency_key": oneclick.new_key()}
    )
    assert response.status_code == 404


# --- cancelling within the window ------------------------------------------------------------------------


def test_cancel_within_the_window_refunds_and_restocks(ready_client, product, clock):
    buy_now(ready_client, product, buy_now_key(ready_client, product))
    order = Order.objects.get()
    assert stock_of(product) == 4
    clock.advance(minutes=29, seconds=59)
    response = ready_client.post(reverse("checkout:cancel", args=[order.number]))
    assert response["Location"] == reverse("checkout:oneclick_done", args=[order.number])
    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED and order.cancelled_at == clock.now
    assert stock_of(product) == 5
    assert charges("refund") == [True]
    refund = Payment.objects.get(kind=Payment.Kind.REFUND)
    assert (refund.amount, refund.status) == (order.total, Payment.Status.SUCCEEDED)
    page = ready_client.get(response["Location"]).content.decode()
    assert "Your order is cancelled" in page and "We have refunded $8.49" in page
    # Cancelling again (double click, refresh): still one refund, stock back once.
    ready_client.post(reverse("checkout:cancel", args=[order.number]))
    assert charges("refund") == [True] and stock_of(product) == 5


def test_cancel_asks_first_and_only_the_confirmation_cancels(ready_client, product):
    """Issue 17: one press cancelled the order. "Cancel this order" is now a GET form to a page that says what
    cancelling does; "No, keep my order" leaves it paid; "Yes, cancel this order" cancels (POST)."""
    buy_now(ready_client, product, buy_now_key(ready_client, product))
    order = Order.objects.get()
    url = reverse("checkout:cancel", args=[order.number])
    done = ready_client.get(reverse("checkout:oneclick_done", args=[order.number])).content.decode()
    assert re.search(
        rf'<form method="get" action="{url}">\s*<button type="submit"[^>]*>Cancel this order<', done
    )
    detail = ready_client.get(order.get_absolute_url()).content.decode()
    assert f'<input type="hidden" name="next" value="{order.get_absolute_url()}">' in detail
    page = ready_client.get(url, {"next": order.get_absolute_url()})
    html = page.content.decode()
    assert page.status_code == 200
    order.refresh_from_db()
    assert order.status == Order.Status.PAID and stock_of(product) == 4 and charges("refund") == []
    assert f"Cancel order {order.number}?" in html
    assert "We put the items back and refund $8.49 to Visa ending in 4242." in html
    assert f'<form method="post" action="{url}"' in html and ">Yes, cancel this order</button>" in html
    assert (
        f'<a class="button button-secondary" href="{order.get_absolute_url()}">No, keep my order</a>' in html
    )
    assert f'name="next" value="{order.get_absolute_url()}"' in html
    response = ready_client.post(url, {"next": order.get_absolute_url()})
    assert response["Location"] == order.get_absolute_url()
    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED and stock_of(product) == 5 and charges("refund") == [True]


def test_the_confirmation_never_sends_elsewhere_and_is_refused_when_too_late(ready_client, product, clock):
    buy_now(ready_client, product, buy_now_key(ready_client, product))
    order = Order.objects.get()
    url = reverse("checkout:cancel", args=[order.number])
    html = ready_client.get(url, {"next": "https://evil.example/"}).content.decode()
    assert 'href="https://evil.example/"' not in html and 'value="https://evil.example/"' not in html
    assert f'href="{reverse("checkout:oneclick_done", args=[order.number])}">No, keep my order' in html
    clock.advance(minutes=30)
    response = ready_client.get(url, follow=True)
    assert "It is too late to cancel this order" in response.content.decode()
    assert "Yes, cancel this order" not in response.content.decode()


@pytest.mark.parametrize("edition", ["standard", "elder", "screen-reader", "cross-border"])
def test_the_cancel_confirmation_in_every_edition(ready_client, product, edition):
    buy_now(ready_client, product, buy_now_key(ready_client, product))
    order = Order.objects.get()
    page = ready_client.get(reverse("checkout:cancel", args=[order.number]) + f"?edition={edition}")
    assert page.status_code == 200 and f"edition-{edition}" in page.content.decode()


def test_cancel_after_the_window_is_refused_with_a_message(ready_client, product, clock):
    buy_now(ready_client, product, buy_now_key(ready_client, product))
    order = Order.objects.get()
    clock.advance(minutes=30)
    page = ready_client.get(reverse("checkout:oneclick_done", args=[order.number])).content.decode()
    assert "Cancel this order" not in page
    response = ready_client.post(reverse("checkout:cancel", args=[order.number]), follow=True)
    html = response.content.decode()
    assert "It is too late to cancel this order" in html
    with timezone.override(ZoneInfo("America/New_York")):
        assert oneclick.describe_time(order.placed_at + timedelta(minutes=30)) in html
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert stock_of(product) == 4 and charges("refund") == []


def test_order_detail_offers_cancel_only_in_the_window(ready_client, product, clock):
    buy_now(ready_client, product, buy_now_key(ready_client, product))
    order = Order.objects.get()
    assert "Cancel this order" in ready_client.get(order.get_absolute_url()).content.decode()
    clock.advance(minutes=31)
    assert "Cancel this order" not in ready_client.get(order.get_absolute_url()).content.decode()


def test_cannot_cancel_someone_elses_order(client, other_user, ready_client, product):
    buy_now(ready_client, product, buy_now_key(ready_client, product))
    client.force_login(other_user)
    assert client.post(reverse("checkout:cancel", args=[Order.objects.get().number])).status_code == 404
    assert Order.objects.get().status == Order.Status.PAID


def test_failed_refund_keeps_the_cancellation_and_is_retried(ready_client, product, monkeypatch):
    from storefront.checkout.gateways.base import PaymentDeclined
    from storefront.sandbox.card import SandboxCardGateway

    buy_now(ready_client, product, buy_now_key(ready_client, product))
    order = Order.objects.get()
    real_refund = SandboxCardGateway.refund

    def down(self, *args):
        raise PaymentDeclined("down")

    monkeypatch.setattr(SandboxCardGateway, "refund", down)
    ready_client.post(reverse("checkout:cancel", args=[order.number]))
    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED and oneclick.refund_pending(order)
    assert stock_of(product) == 5
    monkeypatch.setattr(SandboxCardGateway, "refund", real_refund)
    ready_client.post(reverse("checkout:cancel", args=[order.number]))
    assert not oneclick.refund_pending(order) and charges("refund") == [True]
    assert stock_of(product) == 5


# --- setting up ------------------------------------------------------------------------------------------


def test_setup_page_adds_a_default_card(user_client, user, address, product):
    page = user_client.get(reverse("checkout:oneclick_setup")).content.decode()
    assert "You have no saved card yet." in page
    response = user_client.post(
        reverse("checkout:oneclick_setup") + f"?next={product.get_absolute_url()}",
        {
            "card-number": "4242 4242 4242 4242",
            "card-exp_month": "12",
            "card-exp_year": str(timezone.now().year + 1),
            "card-cvc": "123",
            "next": product.get_absolute_url(),
        },
    )
    assert response.status_code == 302 and response["Location"] == product.get_absolute_url()
    card = SavedPaymentMethod.objects.get(user=user)
    assert card.is_default and card.last4 == "4242"
    assert oneclick.readiness(user).ready


def test_setup_page_shows_card_errors_in_the_summary(user_client):
    response = user_client.post(
        reverse("checkout:oneclick_setup"),
        {
            "card-number": "4242 4242 4242 4241",
            "card-exp_month": "12",
            "card-exp_year": "2099",
            "card-cvc": "12",
        },
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "<title>Error:" in html and "There is a problem" in html and 'href="#id_card-cvc"' in html


def test_make_default_card(user_client, user, make_saved_card):
    first = make_saved_card(user, is_default=True)
    second = make_saved_card(user, number="5555555555554444")
    html = user_client.get(reverse("accounts:account")).content.decode()
    assert reverse("checkout:card_default", args=[second.pk]) in html
    user_client.post(
        reverse("checkout:card_default", args=[second.pk]), {"next": reverse("accounts:account")}
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert second.is_default and not first.is_default


def test_make_default_card_of_someone_else_is_404(user_client, other_user, make_saved_card):
    theirs = make_saved_card(other_user)
    assert user_client.post(reverse("checkout:card_default", args=[theirs.pk])).status_code == 404


# --- rules without pages ---------------------------------------------------------------------------------


def test_delivery_estimate_skips_weekends():
    from datetime import date, datetime

    friday = timezone.make_aware(datetime(2026, 11, 20, 10, 0))
    assert oneclick.delivery_estimate(friday) == (date(2026, 11, 24), date(2026, 11, 26))


@pytest.mark.parametrize("edition", ["standard", "elder", "screen-reader", "cross-border"])
def test_buy_now_works_in_every_edition(ready_client, product, edition):
    page = ready_client.get(product.get_absolute_url() + f"?edition={edition}").content.decode()
    # the elder edition's primary action reads "Buy" (its own partial); the rule behind it is the same
    assert (">Buy</button>" if edition == "elder" else ">Buy now</button>") in page
    key = KEY_RE.findall(page)[0]
    response = buy_now(ready_client, product, key)
    assert Order.objects.get(idempotency_key=key).status == Order.Status.PAID
    assert ready_client.get(response["Location"]).status_code == 200


def test_order_page_buy_again_is_not_under_the_cancel_heading_and_dates_share_one_format(
    ready_client, product
):
    buy_now(ready_client, product, buy_now_key(ready_client, product))
    order = Order.objects.get()
    html = ready_client.get(order.get_absolute_url()).content.decode()
    cancel_heading = html.index("Changed your mind?")
    assert (
        html.index("buy-again-form") < cancel_heading
    )  # not in the cancel section, which runs to the next h2
    assert html.index("Delivery progress") > cancel_heading
    from zoneinfo import ZoneInfo

    from django.utils.formats import date_format

    from storefront.markets import timezones

    zone = ZoneInfo(timezones.DESTINATION_ZONES["US"])  # the shopper's zone, from their destination
    placed = timezones.format_when(order.placed_at, zone=zone)
    deadline = timezones.format_when(oneclick.cancel_deadline(order), zone=zone)
    assert placed in html and deadline in html  # the timeline and the cancel deadline: one format

    assert date_format(timezone.localtime(order.placed_at), "DATETIME_FORMAT") not in html  # the other format
