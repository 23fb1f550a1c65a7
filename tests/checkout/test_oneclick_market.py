"""One-click buying charges what its button promised: in the shopper's display currency, with the landed cost of
the default address's country."""

from __future__ import annotations

import re
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.urls import reverse
from django.utils import timezone

from storefront.checkout import oneclick
from storefront.checkout.models import Order, Payment
from storefront.markets.timezones import format_when

KEY_RE = re.compile(r'name="idempotency_key" value="([^"]+)"')


def test_buy_now_in_won_to_korea_charges_the_amount_on_the_button(
    client, user, make_address, make_saved_card, make_product
):
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
    make_saved_card(user, is_default=True)
    kettle = make_product("Kettle", price="160.00", stock=5)  # over Korea's 150 USD limit: 8% duty, 10% tax
    client.force_login(user)
    page = client.get(kettle.get_absolute_url() + "?currency=KRW").content.decode()
    # 160 USD = 221,600 KRW; duty 17,728; tax 10% of 239,328 = 23,933 (half up); free shipping from 150 USD
    assert "One costs ₩263,261 including delivery" in page and "Import duty and tax are included." in page
    key = KEY_RE.findall(page)[0]
    client.post(reverse("checkout:buy_now"), {"product": kettle.pk, "idempotency_key": key})
    order = Order.objects.get(idempotency_key=key)
    assert (order.currency, order.total, order.duties, order.taxes) == (
        "KRW",
        Decimal("263261"),
        Decimal("17728"),
        Decimal("23933"),
    )
    charge = Payment.objects.get(order=order)
    assert (charge.amount, charge.currency, charge.status) == (Decimal("263261"), "KRW", "succeeded")
    response = client.get(reverse("checkout:oneclick_done", args=[order.number]))
    done = response.content.decode()
    with timezone.override(ZoneInfo(response.wsgi_request.time_zone)):  # the dates are the shopper's zone's
        earliest, latest = oneclick.delivery_estimate(order.placed_at, (5, 8))  # Korea's days, not 2 to 4
    assert f"between {format_when(earliest, 'day')} and {format_when(latest, 'day')}" in done


def test_buy_now_at_home_in_dollars_is_unchanged(client, user, address, make_saved_card, product):
    make_saved_card(user, is_default=True)
    client.force_login(user)
    page = client.get(product.get_absolute_url()).content.decode()
    assert "One costs $8.49 including delivery" in page and "Import duty" not in page
