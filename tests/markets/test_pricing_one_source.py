"""One source for every line amount: the cart page, the review page, the {% price %} tag and the order lines
placement stores all come from markets/pricing.py, so a Korean cart with duty shows exactly what is charged."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import RequestContext, Template
from django.urls import reverse
from django.utils import translation

from storefront.checkout import placement
from storefront.checkout.state import ADDRESS_KEY
from storefront.markets import pricing
from storefront.markets.models import Destination, DutyRule

D = Decimal
KR_ADDRESS = {
    "full_name": "김민지",
    "street_address": "세종대로 175",
    "city": "종로구",
    "country_area": "서울특별시",
    "postal_code": "03172",
    "country": "KR",
}


@pytest.fixture
def korean_cart(user, make_address, make_category, make_product, make_cart):
    fruit = make_category("Fruit")
    DutyRule.objects.create(destination=Destination.objects.get(country="KR"), category=fruit, rate=D("30"))
    melon = make_product("Royal Melon", price="100.00", stock=20, category=fruit)  # 30% duty
    # 10.10 x 1385 = 13,988.5 -> 13,989 a unit, so 3 are 41,967 (the whole line rounded would be 41,966)
    kettle = make_product("Kettle", price="10.10", stock=20)  # Korea's default 8%
    seoul = make_address(user, **KR_ADDRESS, is_default=True)
    make_cart(user=user, lines=[(melon, 2), (kettle, 3)])
    return melon, kettle, seoul


def cells(html: str) -> list[str]:
    # visually hidden prefixes ("Line total:") are for screen readers, not part of the amount shown
    return [
        re.sub(r"<[^>]+>", "", re.sub(r'<span class="visually-hidden">[^<]*</span>', "", cell)).strip()
        for cell in re.findall(r"<td[^>]*>(.*?)</td>", html, flags=re.S)
    ]


def tag(rf, source: str, **context) -> str:
    request = rf.get("/")
    request.currency, request.user = "KRW", AnonymousUser()
    return Template(source).render(RequestContext(request, context))


def shown_everywhere(rf, user_client, user, korean_cart) -> dict:
    melon, kettle, seoul = korean_cart
    with translation.override("en"):
        cart = cells(user_client.get(reverse("cart:cart") + "?currency=KRW&country=KR").content.decode())
        session = user_client.session
        session[ADDRESS_KEY] = seoul.pk
        session.save()
        review = cells(user_client.get(reverse("checkout:review") + "?currency=KRW").content.decode())
        tags = [tag(rf, "{% price p quantity=q %}", p=p.price, q=q) for p, q in ((melon, 2), (kettle, 3))]
        units = [tag(rf, "{% price p %}", p=p.price) for p in (melon, kettle)]
    order, _new = placement.place_order(
        user=user,
        lines=[placement.WantedLine(melon.pk, 2), placement.WantedLine(kettle.pk, 3)],
        address=seoul.as_snapshot(),
        idempotency_key="one-source",
        currency="KRW",
    )
    stored = list(order.lines.order_by("id").values_list("unit_price", "quantity", "line_total"))
    return {"cart": cart, "review": review, "tags": tags, "units": units, "order": order, "stored": stored}


@pytest.mark.django_db
def test_cart_review_price_tag_and_order_lines_agree_for_a_korean_cart_with_duty(
    rf, user_client, user, korean_cart
):
    seen = shown_everywhere(rf, user_client, user, korean_cart)
    assert seen["stored"] == [(D("138500"), 2, D("277000")), (D("13989"), 3, D("41967"))]
    assert seen["tags"] == ["₩277,000", "₩41,967"] and seen["units"] == ["₩138,500", "₩13,989"]
    for line, unit in zip(seen["tags"], seen["units"]):
        assert unit in seen["cart"] and line in seen["cart"]  # the cart's unit and line columns
        assert line in seen["review"]
    order = seen["order"]
    assert order.subtotal == sum(total for _u, _q, total in seen["stored"]) == D("318967")
    assert "₩318,967" in seen["cart"]  # the cart's subtotal row: the sum of the lines it shows
    assert order.duties == D("83100") + D("3357")  # 30% of 277,000; 8% of 41,967 = 3,357.36, per line
    assert order.taxes == D("40542")  # 10% of (318,967 + 0 shipping + 86,457), half up
    assert order.total == D("445966")
    assert "₩445,966" in seen["cart"] and "₩445,966" in seen["review"]


@pytest.mark.django_db
def test_a_changed_line_rule_moves_every_page_and_the_order_together(
    rf, user_client, user, korean_cart, monkeypatch
):
    # If any page priced a line by itself, it would miss this change and disagree with the order.
    real = pricing.unit_price
    monkeypatch.setattr(pricing, "unit_price", lambda *args: real(*args) + 1)
    seen = shown_everywhere(rf, user_client, user, korean_cart)
    assert seen["stored"] == [(D("138501"), 2, D("277002")), (D("13990"), 3, D("41970"))]
    assert seen["tags"] == ["₩277,002", "₩41,970"] and seen["units"] == ["₩138,501", "₩13,990"]
    for line in seen["tags"]:
        assert line in seen["cart"] and line in seen["review"]
    assert seen["order"].subtotal == D("318972")
