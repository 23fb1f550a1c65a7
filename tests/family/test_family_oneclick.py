"""Family payment from everywhere one can buy (issue 6): "Ask my family to pay" on a product page (one-click
variant) and at checkout, the "My family" link with its count in every edition's navigation, status changes
announced in the polite live region, and a family-paid order cancelled within 30 minutes refunding the
payer."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from storefront.checkout.models import Order, Payment
from storefront.family import services
from storefront.family.models import FamilyEvent, PayRequest
from storefront.sandbox.models import SandboxCardCharge as GatewayLedger

EDITIONS = ["standard", "elder", "screen-reader", "cross-border"]
ASK_KEY_RE = re.compile(r'action="/family/ask/product/".*?name="idempotency_key" value="([^"]+)"', re.S)


def stock_of(product) -> int:
    product.refresh_from_db()
    return product.stock


def ask_key(client, product, edition: str = "standard") -> str:
    page = client.get(product.get_absolute_url() + f"?edition={edition}").content.decode()
    return ASK_KEY_RE.findall(page)[0]


def ask_product(client, product, key):
    return client.post(reverse("family:ask_product"), {"product": product.pk, "idempotency_key": key})


# --- on the product page ---------------------------------------------------------------------------------


@pytest.mark.parametrize("edition", EDITIONS)
def test_product_page_offers_ask_my_family_in_every_edition(link, user_client, address, product, edition):
    page = user_client.get(product.get_absolute_url() + f"?edition={edition}").content.decode()
    assert ">Ask my family to pay</button>" in page and 'action="/family/ask/product/"' in page
    assert "Asks Pat Parent to pay $8.49 including delivery for 1 of these" in page
    response = ask_product(user_client, product, ask_key(user_client, product, edition))
    pay_request = PayRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == pay_request.get_absolute_url()


def test_no_ask_button_without_a_family_link(user_client, address, product):
    page = user_client.get(product.get_absolute_url()).content.decode()
    assert "Ask my family to pay" not in page


def test_elder_primary_action_reads_buy_with_ask_right_next_to_it(
    link, user_client, address, product, make_saved_card, user
):
    make_saved_card(user, is_default=True)
    page = user_client.get(product.get_absolute_url() + "?edition=elder").content.decode()
    buy = page.index(">Buy</button>")
    ask = page.index(">Ask my family to pay</button>")
    between = page[buy:ask]
    assert buy < ask and between.count("<button") == 1 and "button-primary" in page[buy - 200 : buy]
    standard = user_client.get(product.get_absolute_url() + "?edition=standard").content.decode()
    assert ">Buy now</button>" in standard and ">Buy</button>" not in standard


def test_ask_from_the_product_page_holds_one_unit_for_48_hours(
    link, user_client, user, address, product, payer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ask_product(user_client, product, ask_key(user_client, product))
    pay_request = PayRequest.objects.get()
    order = pay_request.order
    assert (order.status, order.user, stock_of(product)) == (Order.Status.AWAITING_FAMILY, user, 4)
    assert [(line.product_id, line.quantity) for line in order.lines.all()] == [(product.pk, 1)]
    assert timedelta(hours=47, minutes=59) < pay_request.expires_at - timezone.now() <= timedelta(hours=48)
    assert order.shipping_address["street_address"] == address.street_address
    assert mail.outbox[-1].to == [payer.email]


def test_product_ask_is_idempotent_and_merges_with_an_identical_pending_request(
    link, user_client, user, address, product, make_cart
):
    key = ask_key(user_client, product)
    first = ask_product(user_client, product, key)
    again = ask_product(user_client, product, key)  # double click / resend: same key
    assert first["Location"] == again["Location"] and Order.objects.count() == 1 and stock_of(product) == 4
    ask_product(user_client, product, ask_key(user_client, product))  # a new page view: merged
    assert PayRequest.objects.count() == 1 and Order.objects.count() == 1
    # the same single item asked for from the cart on the family page: the same pending request
    make_cart(user=user, lines=[(product, 1)])
    user_client.post(reverse("family:ask"), {"note": ""})
    assert PayRequest.objects.count() == 1 and stock_of(product) == 4
    assert FamilyEvent.objects.filter(kind=FamilyEvent.Kind.MERGED).count() == 2


def test_product_ask_needs_post_csrf_and_a_valid_form(link, user, address, product):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.get(reverse("family:ask_product")).status_code == 405
    assert ask_product(client, product, "family-" + "a" * 32).status_code == 403
    lenient = Client()
    lenient.force_login(user)
    response = lenient.post(reverse("family:ask_product"), {"product": product.pk, "idempotency_key": "x"})
    assert response.status_code == 302 and not PayRequest.objects.exists()


def test_product_ask_without_address_or_link(user_client, user, product, link, make_user):
    response = ask_product(user_client, product, "family-" + "b" * 32)
    assert response["Location"] == reverse("accounts:addresses") and not PayRequest.objects.exists()
    stranger = make_user()
    from storefront.accounts.models import Address

    Address.objects.create(
        user=stranger,
        full_name="S",
        street_address="1 Road",
        city="X",
        postal_code="1",
        country="US",
        is_default=True,
    )
    client = Client()
    client.force_login(stranger)
    response = ask_product(client, product, "family-" + "c" * 32)
    assert response["Location"] == product.get_absolute_url() and not PayRequest.objects.exists()


def test_product_ask_for_a_sold_out_product_reserves_nothing(link, user_client, address, make_product):
    gone = make_product("Gone", stock=0)
    response = ask_product(user_client, gone, "family-" + "d" * 32)
    assert response["Location"] == gone.get_absolute_url() and not Order.objects.exists()


# --- at checkout -----------------------------------------------------------------------------------------


def checkout_post(client, link, **extra):
    data = {
        "family-link": str(link.pk),
        "family-note": "For the garden",
        "family-idempotency_key": "family-" + "e" * 32,
        "next": reverse("checkout:review"),
        **extra,
    }
    return client.post(reverse("family:ask_checkout"), data)


@pytest.mark.parametrize("step", ["checkout:review", "checkout:pay"])
def test_checkout_offers_ask_my_family_instead_of_paying(
    link, user_client, user, address, product, make_cart, step
):
    make_cart(user=user, lines=[(product, 2)])
    user_client.post(reverse("checkout:address"), {"use": "saved", "address": address.pk})
    page = user_client.get(reverse(step)).content.decode()
    assert "Or ask my family to pay" in page and 'action="/family/ask/checkout/"' in page
    assert "Who should pay?" in page and "Pat Parent" in page  # the linked payer, chosen already
    assert (
        'id="id_family-link_0"' in page
        and "checked"
        in page.split('id="id_family-link_0"')[0][-200:] + page.split('id="id_family-link_0"')[1][:60]
    )


def test_no_family_choice_at_checkout_without_a_link(user_client, user, address, product, make_cart):
    make_cart(user=user, lines=[(product, 1)])
    user_client.post(reverse("checkout:address"), {"use": "saved", "address": address.pk})
    assert "ask my family" not in user_client.get(reverse("checkout:review")).content.decode()


def test_ask_at_checkout_goes_through_the_family_service(
    link, user_client, user, address, product, make_cart, make_address
):
    other = make_address(user, street_address="2 Other Street", is_default=False)
    cart = make_cart(user=user, lines=[(product, 2)])
    user_client.post(reverse("checkout:address"), {"use": "saved", "address": other.pk})
    response = checkout_post(user_client, link)
    pay_request = PayRequest.objects.get()
    assert response["Location"] == pay_request.get_absolute_url()
    assert pay_request.note == "For the garden" and pay_request.payer == link.payer
    assert pay_request.order.status == Order.Status.AWAITING_FAMILY and stock_of(product) == 3
    assert pay_request.order.shipping_address["street_address"] == "2 Other Street"  # chosen at checkout
    assert not cart.lines.exists()
    again = checkout_post(user_client, link)  # a double submit lands on the same request
    assert again["Location"] == pay_request.get_absolute_url() and Order.objects.count() == 1


def test_ask_at_checkout_refuses_someone_elses_link(
    link, user_client, user, address, product, make_cart, make_user
):
    make_cart(user=user, lines=[(product, 1)])
    other_link = services.create_invite(payer=make_user())
    response = checkout_post(user_client, other_link, **{"family-link": str(other_link.pk)})
    assert response["Location"] == reverse("checkout:review") and not PayRequest.objects.exists()


# --- navigation ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("edition", EDITIONS)
def test_my_family_link_with_waiting_count_in_every_edition(ask, product, payer_client, edition, client):
    nav = re.compile(r'<nav class="main-nav".*?</nav>', re.S)
    page = payer_client.get(f"/?edition={edition}").content.decode()
    assert 'href="/family/"' in nav.search(page).group(0) and "waiting" not in nav.search(page).group(0)
    ask((product, 1))
    page = payer_client.get(f"/?edition={edition}").content.decode()
    assert 'My family <span class="count-badge">(1 waiting)</span></span>' in nav.search(page).group(0)


# --- status changes announced ----------------------------------------------------------------------------


def test_request_status_change_is_announced_in_the_live_region(
    ask, product, user_client, payer, payer_card, payer_client
):
    pay_request, _created = ask((product, 1))
    url = pay_request.get_absolute_url()
    status_url = reverse("family:status", args=[pay_request.public_id])
    first = user_client.get(url).content.decode()
    assert f'data-hx-get="{status_url}?since=pending" data-hx-trigger="every 30s"' in first
    assert "has changed since you last looked" not in first
    # the open page polls: nothing new, nothing said
    poll = user_client.get(status_url + "?since=pending").content.decode()
    assert 'id="live-region"' not in poll and 'data-hx-trigger="every 30s"' in poll
    services.approve(pay_request=pay_request, payer=payer, method=payer_card)
    poll = user_client.get(status_url + "?since=pending").content.decode()
    assert '<div id="live-region" data-hx-swap-oob="innerHTML">Family payment request for order' in poll
    assert "Approved and paid." in poll and "?since=approved" in poll
    # a new visit after a change made while away: said on the page, and announced once it has loaded
    services.order_cancelled(pay_request.order, refunded=True)  # (the cancel service's signal, by hand)
    page = user_client.get(url).content.decode()
    assert "has changed since you last looked: Order cancelled, payment refunded." in page
    assert f'data-hx-get="{status_url}?since=approved" data-hx-trigger="load, every 30s"' in page
    assert "has changed since you last looked" not in user_client.get(url).content.decode()
    # the payer's side is tracked separately
    assert "has changed since you last looked" not in payer_client.get(url).content.decode()


def test_beneficiary_order_page_watches_the_request(ask, product, user_client, payer, payer_card):
    pay_request, _created = ask((product, 1))
    order_url = pay_request.order.get_absolute_url()
    page = user_client.get(order_url).content.decode()
    assert reverse("family:status", args=[pay_request.public_id]) + "?since=pending" in page
    services.decline(pay_request=pay_request, payer=payer)
    page = user_client.get(order_url).content.decode()
    assert "has changed since you last looked: Declined." in page and "load, every 30s" in page


def test_status_poll_is_only_for_the_two_people(ask, product, make_user):
    pay_request, _created = ask((product, 1))
    client = Client()
    client.force_login(make_user())
    assert client.get(reverse("family:status", args=[pay_request.public_id])).status_code == 404


# --- cancelling a family-paid order ----------------------------------------------------------------------


def test_cancelling_a_family_paid_order_refunds_the_payer_and_updates_the_request(
    ask, product, user_client, payer, payer_card, payer_client, django_capture_on_commit_callbacks
):
    pay_request, _created = ask((product, 1))
    services.approve(pay_request=pay_request, payer=payer, method=payer_card)
    order = Order.objects.get()
    page = user_client.get(order.get_absolute_url()).content.decode()
    assert "refund the full amount to the card of Pat Parent, who paid for it" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = user_client.post(
            reverse("checkout:cancel", args=[order.number]), {"next": order.get_absolute_url()}
        )
    page = user_client.get(response["Location"]).content.decode()
    assert "refunded to the card of Pat Parent, who paid for it" in page
    pay_request.refresh_from_db()
    assert pay_request.status == PayRequest.Status.REFUNDED and stock_of(product) == 5
    refund = Payment.objects.get(kind=Payment.Kind.REFUND)
    assert refund.status == Payment.Status.SUCCEEDED and refund.amount == order.total
    assert list(GatewayLedger.objects.filter(kind="refund").values_list("succeeded", flat=True)) == [True]
    event = FamilyEvent.objects.get(kind=FamilyEvent.Kind.REFUNDED)
    assert (
        event.actor == pay_request.beneficiary
        and "refunded to the card of Pat Parent" in event.display_detail
    )
    for client in (user_client, payer_client):  # the audit log both sides read
        for url in (pay_request.get_absolute_url(), reverse("family:home")):
            text = client.get(url).content.decode()
            assert "Order cancelled and payment refunded" in text
        page = client.get(pay_request.get_absolute_url()).content.decode()
        assert "Order cancelled, payment refunded" in page
    assert mail.outbox[-1].to == [payer.email] and "was cancelled" in mail.outbox[-1].subject
    # cancelling again changes nothing
    user_client.post(reverse("checkout:cancel", args=[order.number]))
    assert FamilyEvent.objects.filter(kind=FamilyEvent.Kind.REFUNDED).count() == 1


def test_a_refund_that_fails_then_goes_through_shows_on_the_request(
    ask, product, user_client, payer, payer_card, monkeypatch
):
    from storefront.checkout.gateways.base import PaymentDeclined
    from storefront.sandbox.card import SandboxCardGateway

    pay_request, _created = ask((product, 1))
    services.approve(pay_request=pay_request, payer=payer, method=payer_card)
    order = Order.objects.get()
    real_refund = SandboxCardGateway.refund

    def down(self, *args):
        raise PaymentDeclined("down")

    monkeypatch.setattr(SandboxCardGateway, "refund", down)
    user_client.post(reverse("checkout:cancel", args=[order.number]))
    pay_request.refresh_from_db()
    assert pay_request.status == PayRequest.Status.CANCELLED
    assert FamilyEvent.objects.filter(kind=FamilyEvent.Kind.ORDER_CANCELLED).count() == 1
    monkeypatch.setattr(SandboxCardGateway, "refund", real_refund)
    user_client.post(reverse("checkout:cancel", args=[order.number]))
    pay_request.refresh_from_db()
    assert pay_request.status == PayRequest.Status.REFUNDED


def test_a_refunded_request_no_longer_counts_against_the_allowance(
    ask, product, link, payer, payer_card, user_client
):
    from decimal import Decimal

    services.set_allowance(link=link, payer=payer, monthly_limit=Decimal("100"))
    pay_request, _created = ask((product, 1))
    assert pay_request.status == PayRequest.Status.APPROVED and services.allowance_spent(link) > 0
    user_client.post(reverse("checkout:cancel", args=[pay_request.order.number]))
    assert services.allowance_spent(link) == 0


def test_adding_the_missing_address_returns_the_elder_to_the_product(
    user_client, user, link, product, make_address
):
    """Issue 17: after adding the address "Ask my family to pay" needs (the link on the product page), the elder
    was left on the address book; now the link carries next= and saving goes back to the product."""
    make_address(user, is_default=False)  # an address, but no default: the product page asks for one
    page = user_client.get(product.get_absolute_url() + "?edition=elder").content.decode()
    assert f'href="{reverse("accounts:addresses")}?next={product.get_absolute_url()}"' in page
    book = user_client.get(
        reverse("accounts:addresses"), {"next": product.get_absolute_url()}
    ).content.decode()
    assert f'<input type="hidden" name="next" value="{product.get_absolute_url()}">' in book
    assert "Once it is saved, we take you back to the page you came from." in book
    response = user_client.post(
        reverse("accounts:addresses") + f"?next={product.get_absolute_url()}",
        {
            "full_name": "Alice Archer",
            "street_address": "1600 Amphitheatre Pkwy",
            "city": "Mountain View",
            "country_area": "CA",
            "postal_code": "94043",
            "country": "US",
            "next": product.get_absolute_url(),
        },
    )
    assert response.status_code == 302 and response["Location"] == product.get_absolute_url()
    assert user.addresses.get(is_default=True).street_address == "1600 Amphitheatre Pkwy"
    back = user_client.get(response["Location"]).content.decode()
    assert ">Ask my family to pay</button>" in back and "Add a default delivery address" not in back
