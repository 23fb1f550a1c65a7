"""A family request is placed in the asker's display currency with the landed cost of where it is going, and the
payer is charged exactly that."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse

from storefront.checkout.models import Order, Payment


def test_ask_in_won_and_the_payer_pays_the_same_amount(
    client, user, link, payer, payer_card, payer_client, make_address, make_product
):
    Order.objects.all().delete()
    make_address(
        user,
        full_name="Kim",
        street_address="세종대로 175",
        city="종로구",
        country_area="서울특별시",
        postal_code="03172",
        country="KR",
        is_default=True,
    )
    kettle = make_product("Kettle", price="160.00", stock=5)
    client.force_login(user)
    client.get("/?currency=KRW")
    client.post(
        reverse("family:ask_product"),
        {"product": kettle.pk, "idempotency_key": "family-0123456789abcdef0123456789abcdef"},
    )
    order = Order.objects.get(idempotency_key="family-0123456789abcdef0123456789abcdef")
    assert (order.currency, order.total, order.destination) == ("KRW", Decimal("263261"), "KR")
    pay_request = order.pay_request
    page = payer_client.get(pay_request.get_absolute_url()).content.decode()
    assert "₩263,261" in page and "Import duty" in page
    payer_client.post(reverse("family:approve", args=[pay_request.public_id]), {"method": str(payer_card.pk)})
    order.refresh_from_db()
    assert order.is_paid
    charge = Payment.objects.get(order=order, kind="charge")
    assert (charge.amount, charge.currency) == (Decimal("263261"), "KRW")
