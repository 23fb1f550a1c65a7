"""A return from a family order: the money goes back to the payer's card (the charge it came from), and both
the shopper and the payer get an e-mail about it, each in their own language."""

from __future__ import annotations

from django.core import mail

from storefront.checkout import fulfilment, refunds, returns
from storefront.family import services
from storefront.sandbox.models import SandboxCardCharge


def test_a_return_is_refunded_to_the_payers_card(
    ask, payer, payer_card, user, product, django_capture_on_commit_callbacks
):
    payer.preferred_language = "zh-hans"
    payer.save()
    pay_request, _ = ask((product, 2))
    pay_request = services.approve(pay_request=pay_request, payer=payer, method=payer_card)
    order = pay_request.order
    order.refresh_from_db()
    fulfilment.deliver(fulfilment.ship(order, carrier="Post", tracking_number="F1"))
    charge = refunds.charge_of(order)
    assert SandboxCardCharge.objects.get(reference=charge.reference).token == payer_card.token

    ret = returns.request(order, quantities={order.lines.get().pk: 1}, reason="size", kind="refund")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        refund = returns.refund(ret)

    at_gateway = SandboxCardCharge.objects.get(kind="refund")
    assert at_gateway.original == charge.reference and at_gateway.token == payer_card.token
    assert at_gateway.amount == refund.amount == order.lines.get().unit_price
    by_recipient = {m.to[0]: m for m in mail.outbox if order.number in m.subject}
    assert set(by_recipient) == {user.email, payer.email}
    assert "退款" in by_recipient[payer.email].subject  # the payer's language
    assert "card you paid with" in by_recipient[payer.email].body or "卡" in by_recipient[payer.email].body
    assert "family member who paid" in by_recipient[user.email].body


def test_the_payer_sees_the_refund_on_the_request_page(ask, payer, payer_card, product, client):
    pay_request, _ = ask((product, 1))
    pay_request = services.approve(pay_request=pay_request, payer=payer, method=payer_card)
    order = pay_request.order
    fulfilment.deliver(fulfilment.ship(order, carrier="Post", tracking_number="F2"))
    returns.refund(
        returns.request(order, quantities={order.lines.get().pk: 1}, reason="damaged", kind="refund")
    )
    client.force_login(payer)
    html = client.get(pay_request.get_absolute_url()).content.decode()
    section = html.split('id="request-refunds"')[1].split("</section>")[0]
    assert "$" in section and "Refunded" in section and "to your card" in section
