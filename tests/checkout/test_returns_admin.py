"""The merchant's steps in the admin: confirmation pages that go through the services, never a bare status;
the order queue with its counts."""

from __future__ import annotations

import pytest
from django.urls import reverse

from storefront.checkout import returns
from storefront.checkout.models import Order, Refund, ReturnRequest, Shipment
from storefront.sandbox.models import SandboxCardCharge


@pytest.fixture
def merchant(client, make_user):
    staff = make_user("merchant", is_staff=True, is_superuser=True)
    client.force_login(staff)
    return client


def ask(order, reason="changed_mind", kind="refund"):
    return returns.request(
        order, quantities={ln.pk: ln.quantity for ln in order.lines.all()}, reason=reason, kind=kind
    )


def test_no_status_is_editable_in_the_admin(merchant, delivered, product):
    ret = ask(delivered((product, 1)))
    page = merchant.get(reverse("admin:checkout_returnrequest_changelist")).content.decode()
    assert 'name="form-0-status"' not in page
    change = merchant.get(reverse("admin:checkout_returnrequest_change", args=[ret.pk])).content.decode()
    assert (
        'name="status"' not in change
        and reverse("admin:checkout_returnrequest_receive", args=[ret.pk]) in change
    )


def test_receive_then_refund_through_confirmation_pages(merchant, delivered, product):
    order = delivered((product, 2))
    ret = ask(order)
    receive = reverse("admin:checkout_returnrequest_receive", args=[ret.pk])
    assert "Received" in merchant.get(receive).content.decode()
    ret.refresh_from_db()
    assert ret.status == ReturnRequest.Status.REQUESTED  # a GET only shows the confirmation
    assert merchant.post(receive).status_code == 302
    ret.refresh_from_db()
    assert ret.status == ReturnRequest.Status.RECEIVED and ret.restocked
    refund = reverse("admin:checkout_returnrequest_refund", args=[ret.pk])
    line = order.lines.get()
    preview = merchant.post(refund, {f"qty_{line.pk}": "2"}).content.decode()
    assert "Refund this amount" in preview and "$7.00" in preview
    assert not Refund.objects.exists()
    done = merchant.post(refund, {f"qty_{line.pk}": "2", "confirm": "1"})
    assert done.status_code == 302
    assert Refund.objects.get().status == Refund.Status.SUCCEEDED
    assert SandboxCardCharge.objects.filter(kind="refund").count() == 1
    again = merchant.post(refund, {f"qty_{line.pk}": "2", "confirm": "1"}, follow=True)
    assert "refunded already" in again.content.decode()
    assert SandboxCardCharge.objects.filter(kind="refund").count() == 1


def test_reject_needs_a_reason(merchant, delivered, product):
    ret = ask(delivered((product, 1)))
    url = reverse("admin:checkout_returnrequest_reject", args=[ret.pk])
    assert merchant.post(url, {"reason": ""}).status_code == 200
    merchant.post(url, {"reason": "Past the window"})
    ret.refresh_from_db()
    assert ret.status == ReturnRequest.Status.REJECTED and ret.rejection_reason == "Past the window"


def test_ship_in_two_parcels_then_deliver(merchant, place, product, make_product, tokenize):
    from storefront.checkout import payments

    pear = make_product("Pear", price="2.00")
    order, _ = place((product, 2), (pear, 1))
    payments.collect(order, tokenize())
    apples, pears = order.lines.all()
    url = reverse("admin:checkout_order_ship", args=[order.pk])
    merchant.post(
        url, {"carrier": "DHL", "tracking_number": "A1", f"qty_{apples.pk}": "2", f"qty_{pears.pk}": "0"}
    )
    order.refresh_from_db()
    assert order.status == Order.Status.PAID and order.shipments.count() == 1
    merchant.post(url, {"carrier": "DHL", "tracking_number": "A2", f"qty_{pears.pk}": "1"})
    order.refresh_from_db()
    assert order.status == Order.Status.SHIPPED
    first, second = order.shipments.all()
    merchant.post(reverse("admin:checkout_order_parcel", args=[first.pk, "deliver"]))
    order.refresh_from_db()
    assert order.status == Order.Status.SHIPPED
    merchant.post(reverse("admin:checkout_order_parcel", args=[second.pk, "lose"]))
    merchant.post(
        reverse("admin:checkout_order_parcel", args=[second.pk, "reship"]),
        {"carrier": "UPS", "tracking_number": "B1"},
    )
    third = order.shipments.get(replaces=second)
    merchant.post(reverse("admin:checkout_order_parcel", args=[third.pk, "deliver"]))
    order.refresh_from_db()
    assert order.status == Order.Status.DELIVERED
    assert list(order.events.values_list("transition", flat=True))[-6:] == [
        "ship_part",
        "ship",
        "deliver_part",
        "lose",
        "reship",
        "deliver",
    ]


def test_a_lost_parcel_can_be_refunded_instead(merchant, place, product, tokenize):
    from storefront.checkout import fulfilment, payments

    order, _ = place((product, 1))
    payments.collect(order, tokenize())
    parcel = fulfilment.ship(order, carrier="Post", tracking_number="L1")
    fulfilment.lose(parcel)
    url = reverse("admin:checkout_order_parcel", args=[parcel.pk, "refund_lost"])
    assert "Refund the parcel" in merchant.get(url).content.decode()
    merchant.post(url)
    merchant.post(url)
    order.refresh_from_db()
    parcel.refresh_from_db()
    assert order.status == Order.Status.REFUNDED and parcel.status == Shipment.Status.RESOLVED
    assert order.refunds.get().amount == order.total


def test_the_queue_counts_what_waits(merchant, delivered, place, product, tokenize):
    from storefront.checkout import payments

    order, _ = place((product, 1))
    payments.collect(order, tokenize())
    returns.receive(ask(delivered((product, 1))))
    ask(delivered((product, 1)))
    html = merchant.get(reverse("admin:checkout_order_queue")).content.decode()
    assert "To ship: 1" in html and "Returns waiting: 1" in html and "Refunds due: 1" in html


def test_steps_need_staff(client, user, delivered, product):
    ret = ask(delivered((product, 1)))
    client.force_login(user)
    response = client.post(reverse("admin:checkout_returnrequest_receive", args=[ret.pk]))
    assert response.status_code == 302 and "/login/" in response["Location"]
    ret.refresh_from_db()
    assert ret.status == ReturnRequest.Status.REQUESTED
