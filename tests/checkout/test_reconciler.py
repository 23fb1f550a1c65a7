"""The reconciler (issue 11): an order cut short mid-payment is settled by the gateway's answer, a charge
always ends with a paid order or a refund, and stock held by an order nobody can finish goes back once."""

from __future__ import annotations

from decimal import Decimal
from unittest import mock

import pytest
from django.urls import reverse

from storefront.checkout import payments, reconciler
from storefront.checkout.gateways import get_gateway
from storefront.checkout.gateways.base import ChargeRequest, GatewayTimeout
from storefront.checkout.models import Order, OrderEvent, Payment

DECLINED = "4000000000000002"


def stock_of(product) -> int:
    product.refresh_from_db()
    return product.stock


def charge_at_gateway(order: Order, token: str) -> None:
    """What a paying request did before it died: the gateway charged, the shop recorded nothing."""
    get_gateway().charge(
        ChargeRequest(
            token=token,
            amount=order.total,
            currency=order.currency,
            idempotency_key=payments.charge_key(order),
        )
    )


def test_nothing_is_touched_inside_the_grace_period(place, product, clock):
    order, _ = place((product, 2))
    clock.advance(seconds=30)
    assert reconciler.run() == 0
    assert Order.objects.get(pk=order.pk).status == Order.Status.PENDING_PAYMENT and stock_of(product) == 3


def test_killed_before_the_gateway_call_the_order_is_closed_and_stock_returns_once(place, product, clock):
    order, _ = place((product, 2))  # reproduction 1: no payment row, no charge
    clock.advance(minutes=3)
    assert reconciler.run() == 1
    order.refresh_from_db()
    assert order.status == Order.Status.EXPIRED and stock_of(product) == 5
    assert order.events.last().source == OrderEvent.Source.RECONCILER
    assert "Nothing was charged" in order.failure_message
    assert reconciler.run() == 0 and stock_of(product) == 5


def test_charged_but_never_recorded_the_order_becomes_paid(place, product, tokenize, clock):
    order, _ = place((product, 1))  # reproduction 2: charged at the gateway, no payment row
    charge_at_gateway(order, tokenize())
    clock.advance(minutes=3)
    assert reconciler.run() == 1
    order.refresh_from_db()
    assert order.status == Order.Status.PAID and stock_of(product) == 4
    payment = order.payments.get()
    assert payment.status == Payment.Status.SUCCEEDED and payment.amount == order.total


def test_a_payment_row_left_unknown_is_settled_by_the_gateways_answer(place, product, tokenize, clock):
    order, _ = place((product, 1))
    Payment.objects.create(
        order=order,
        gateway=get_gateway().name,
        idempotency_key=payments.charge_key(order),
        amount=order.total,
        currency=order.currency,
        status=Payment.Status.UNKNOWN,
    )
    clock.advance(minutes=3)
    reconciler.run()
    order.refresh_from_db()
    assert order.status == Order.Status.EXPIRED
    assert order.payments.get().status == Payment.Status.CANCELLED


def test_a_provider_that_does_not_answer_is_asked_again_with_backoff(place, product, tokenize, clock):
    order, _ = place((product, 1))
    charge_at_gateway(order, tokenize())
    clock.advance(minutes=3)
    gateway = type(get_gateway())
    with mock.patch.object(gateway, "lookup", side_effect=GatewayTimeout("no answer")):
        assert reconciler.run() == 0
        order.refresh_from_db()
        assert order.status == Order.Status.PENDING_PAYMENT and order.reconcile_tries == 1
        first_wait = order.reconcile_after - clock.now
        assert reconciler.run() == 0  # not due again yet
        clock.advance(minutes=2)
        reconciler.run()
        order.refresh_from_db()
        assert order.reconcile_tries == 2 and order.reconcile_after - clock.now > first_wait
    clock.advance(minutes=5)
    assert reconciler.run() == 1
    assert Order.objects.get(pk=order.pk).status == Order.Status.PAID and stock_of(product) == 4


def test_money_arriving_for_a_closed_order_is_refunded(place, product, tokenize, clock):
    order, _ = place((product, 1))
    clock.advance(minutes=3)
    reconciler.run()  # closed: nothing at the gateway yet
    order.refresh_from_db()
    assert order.status == Order.Status.EXPIRED
    token = tokenize()
    charge_at_gateway(order, token)  # the request that was paying was only slow, not dead
    payments._succeed(
        order,
        get_gateway().name,
        payments.charge_key(order),
        get_gateway().lookup(payments.charge_key(order)),
    )
    order.refresh_from_db()
    assert order.status == Order.Status.EXPIRED and stock_of(product) == 5
    refunds = order.payments.filter(kind=Payment.Kind.REFUND, status=Payment.Status.SUCCEEDED)
    assert refunds.count() == 1 and refunds.get().amount == order.total


def test_opening_the_order_page_settles_a_stranded_order(user_client, place, product, tokenize, clock):
    order, _ = place((product, 1))
    charge_at_gateway(order, tokenize())
    page = user_client.get(reverse("checkout:order", args=[order.number]))
    assert Order.objects.get(pk=order.pk).status == Order.Status.PENDING_PAYMENT  # may still be in flight
    assert "We are confirming your payment" in page.content.decode()
    clock.advance(minutes=3)
    page = user_client.get(reverse("checkout:confirmation", args=[order.number]))
    assert Order.objects.get(pk=order.pk).status == Order.Status.PAID
    assert "your order is confirmed" in page.content.decode()


def test_the_scheduled_run_and_the_command_share_one_path(place, product, clock):
    from django.core.management import call_command

    order, _ = place((product, 1))
    clock.advance(minutes=3)
    call_command("reconcile_payments")
    assert Order.objects.get(pk=order.pk).status == Order.Status.EXPIRED


# --- the pay form resent after a fault -------------------------------------------------------------------


@pytest.fixture
def at_pay_step(user_client, user, product, make_cart, address, make_saved_card):
    from storefront.checkout.state import ADDRESS_KEY

    make_cart(user=user, lines=[(product, 2)])
    session = user_client.session
    session[ADDRESS_KEY] = address.pk
    session.save()
    return make_saved_card(user, is_default=True)


def test_resending_the_pay_form_after_a_killed_worker_charges_once(user_client, user, product, at_pay_step):
    form = {"method": str(at_pay_step.pk), "idempotency_key": "resent-1"}
    with mock.patch.object(payments, "collect", side_effect=SystemExit("worker killed")):
        with pytest.raises(SystemExit):
            user_client.post(reverse("checkout:pay"), form)
    order = Order.objects.get()
    assert order.status == Order.Status.PENDING_PAYMENT and stock_of(product) == 3
    response = user_client.post(reverse("checkout:pay"), form)  # reproduction 1: re-posting the form
    order.refresh_from_db()
    assert response["Location"] == reverse("checkout:confirmation", args=[order.number])
    assert order.status == Order.Status.PAID and Order.objects.count() == 1 and stock_of(product) == 3
    user_client.post(reverse("checkout:pay"), form)
    charges = order.payments.filter(kind=Payment.Kind.CHARGE, status=Payment.Status.SUCCEEDED)
    assert charges.count() == 1 and charges.get().amount == order.total


# --- cards are kept only once they have paid ---------------------------------------------------------------


def new_card(number: str, key: str, save: str = "on") -> dict:
    return {
        "method": "new",
        "idempotency_key": key,
        "card-number": number,
        "card-exp_month": "12",
        "card-exp_year": "2031",
        "card-cvc": "123",
        "card-name": "Min-jun Kim",
        "card-save": save,
    }


def test_a_declined_card_is_not_saved(user_client, user, product, make_cart, address):
    from storefront.checkout.state import ADDRESS_KEY

    make_cart(user=user, lines=[(product, 1)])
    session = user_client.session
    session[ADDRESS_KEY] = address.pk
    session.save()
    response = user_client.post(reverse("checkout:pay"), new_card(DECLINED, "k-declined"), follow=True)
    assert "declined" in response.content.decode()
    assert not user.payment_methods.exists()  # reproduction 4
    assert "0002" not in user_client.get(reverse("checkout:pay")).content.decode()
    user_client.post(reverse("checkout:pay"), new_card("4242424242424242", "k-ok"))
    saved = user.payment_methods.get()
    assert saved.last4 == "4242" and saved.is_default


def test_a_declined_card_never_becomes_the_default(user_client, user, product, at_pay_step):
    user_client.post(reverse("checkout:pay"), new_card(DECLINED, "k-declined-2"))
    assert list(user.payment_methods.values_list("last4", "is_default")) == [("4242", True)]
    assert Decimal(Order.objects.get().total) > 0


# --- family approvals take the same path ---------------------------------------------------------------------


def test_a_family_approval_cut_short_after_the_charge_ends_approved(
    user, address, product, make_user, make_saved_card, clock, django_capture_on_commit_callbacks
):
    from storefront.checkout import placement
    from storefront.family import services
    from storefront.family.models import PayRequest

    payer = make_user("pat")
    card = make_saved_card(payer, is_default=True)
    invite = services.create_invite(payer=payer)
    services.accept_invite(code=invite.invite_code, beneficiary=user)
    pay_request, _ = services.ask_to_pay(
        beneficiary=user, lines=[placement.WantedLine(product.pk, 1)], address=address.as_snapshot()
    )

    def charge_then_die(order, token):
        charge_at_gateway(order, token)
        raise SystemExit("worker killed after the gateway charged")

    with mock.patch.object(payments, "collect", side_effect=charge_then_die), pytest.raises(SystemExit):
        services.approve(pay_request=pay_request, payer=payer, method=card)
    order = Order.objects.get(pk=pay_request.order_id)
    assert order.status == Order.Status.PENDING_PAYMENT
    clock.advance(minutes=3)
    with django_capture_on_commit_callbacks(execute=True):
        assert reconciler.run() == 1
    order.refresh_from_db()
    pay_request.refresh_from_db()
    assert order.status == Order.Status.PAID and pay_request.status == PayRequest.Status.APPROVED
    assert order.payments.get().status == Payment.Status.SUCCEEDED
