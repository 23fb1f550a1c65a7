"""Landed cost end to end: the admin-edited destination rules decide shipping, duty (per category, above the de
minimis threshold), import tax and the delivery estimate; the cart estimates them, the review page shows them
before payment, the order stores them and the confirmation shows the same breakdown."""

from __future__ import annotations

import importlib
import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from storefront.checkout import placement
from storefront.checkout.models import Order
from storefront.checkout.state import ADDRESS_KEY
from storefront.markets import models as market_models
from storefront.markets.landed_cost import rules_for
from storefront.markets.models import Destination, DutyRule
from storefront.markets.pricing import totals_for

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
def fruit(make_category):
    category = make_category("Fruit")
    DutyRule.objects.create(
        destination=Destination.objects.get(country="KR"), category=category, rate=D("30")
    )
    return category


@pytest.fixture
def melon(make_product, fruit):
    return make_product("Royal Melon", price="100.00", stock=20, category=fruit)


@pytest.fixture
def kettle(make_product):
    return make_product("Kettle", price="60.00", stock=20)  # no rule: Korea's default 8%


@pytest.fixture
def seoul(make_address, user):
    return make_address(user, **KR_ADDRESS, is_default=True)


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_the_migration_seeds_the_documented_demo_table(db):
    migration = importlib.import_module("storefront.markets.migrations.0004_demo_destinations")
    assert migration.DESTINATIONS == market_models.DEMO_DESTINATIONS
    korea = Destination.objects.get(country="KR")
    assert (korea.duty_free_up_to, korea.import_tax_rate, korea.delivery_min_days) == (
        D("150.00"),
        D("10"),
        5,
    )


def test_rules_come_from_the_table_with_category_rates(fruit):
    rules = rules_for("kr")
    assert rules.country == "KR" and rules.duty_rate(fruit.pk) == D("30") and rules.duty_rate(None) == D("8")
    assert rules.duty_rate(fruit.pk + 999) == D("8")


def test_a_destination_without_rules_adds_no_import_charges(db):
    Destination.objects.filter(country="JP").delete()
    rules = rules_for("JP")
    assert (rules.default_duty_rate, rules.import_tax_rate) == (0, 0)
    assert rules_for("ZZ").country == "ZZ"  # unknown: home rules, never an error


def test_an_edit_in_the_admin_table_applies_to_the_next_total(melon, kettle):
    lines = [(melon.price, 2, melon.category_id)]
    assert totals_for(lines, destination="KR").taxes == D("26.00")  # 10% of 200 + 0 + 60
    Destination.objects.filter(country="KR").update(import_tax_rate=D("12.5"))
    assert totals_for(lines, destination="KR").taxes == D("32.50")


def test_below_de_minimis_an_order_pays_shipping_only(user, seoul, kettle):
    order, _ = placement.place_order(
        user=user,
        lines=[placement.WantedLine(kettle.pk, 2)],
        address=seoul.as_snapshot(),
        idempotency_key="below",
    )
    assert (order.subtotal, order.shipping, order.duties, order.taxes) == (D("120.00"), D("9.00"), 0, 0)
    assert order.total == D("129.00") and order.destination == "KR"
    assert (order.delivery_min_days, order.delivery_max_days) == (5, 8)


def test_above_de_minimis_an_order_stores_duty_and_tax_in_the_shoppers_currency(user, seoul, melon, kettle):
    lines = [placement.WantedLine(melon.pk, 1), placement.WantedLine(kettle.pk, 1)]
    order, _ = placement.place_order(
        user=user, lines=lines, address=seoul.as_snapshot(), idempotency_key="above", currency="KRW"
    )
    shown = totals_for(
        [(melon.price, 1, melon.category_id), (kettle.price, 1, kettle.category_id)], "KRW", D("1385"), "KR"
    )
    assert order.currency == "KRW" and order.duties == shown.duties == D("41550") + D("6648")
    assert (
        order.taxes == shown.taxes == D("26980")
    )  # 10% of (221600 goods + 0 shipping + 48198 duty), half up
    assert order.total == shown.total == D("221600") + D("48198") + D("26980")
    assert order.total_base == D("160.00") + D("30.00") + D("4.80") + D("19.48")


def test_review_shows_the_breakdown_before_payment_and_the_confirmation_repeats_it(
    user_client, user, seoul, melon, make_cart
):
    make_cart(user=user, lines=[(melon, 2)])
    session = user_client.session
    session[ADDRESS_KEY] = seoul.pk
    session.save()
    review = text_of(user_client.get(reverse("checkout:review") + "?currency=KRW"))
    for row in (
        "Items ₩277,000",
        "Delivery Free",
        "Import duty ₩83,100",
        "Import tax (10%) ₩36,010",
        "Total to pay ₩396,110",
        "Delivery to South Korea in 5 to 8 working days",
        "nothing more to pay on delivery",
    ):
        assert row in review
    response = user_client.post(
        reverse("checkout:pay"),
        {
            "method": "new",
            "idempotency_key": "landed-1",
            "card-number": "4242424242424242",
            "card-exp_month": "12",
            "card-exp_year": str(date.today().year + 1),
            "card-cvc": "123",
        },
        follow=True,
    )
    order = Order.objects.get(idempotency_key="landed-1")
    assert order.is_paid and order.total == D("396110") and order.currency == "KRW"
    confirmation = text_of(response)
    for row in ("Import duty ₩83,100", "Import tax ₩36,010", "Paid ₩396,110", "in 5 to 8 working days"):
        assert row in confirmation
    detail = text_of(user_client.get(order.get_absolute_url()))
    assert "Import duty ₩83,100" in detail and "Total ₩396,110" in detail


def test_home_orders_show_no_import_rows(user_client, user, address, product, make_cart):
    make_cart(user=user, lines=[(product, 1)])
    session = user_client.session
    session[ADDRESS_KEY] = address.pk
    session.save()
    review = text_of(user_client.get(reverse("checkout:review")))
    assert "Import duty" not in review and "Delivery in 2 to 4 working days." in review


def test_the_cart_estimates_landed_cost_for_the_chosen_destination(client, melon, kettle):
    client.post(reverse("cart:add"), {"product": melon.pk, "quantity": 2})
    page = text_of(client.get(reverse("cart:cart") + "?country=DE&currency=EUR"))
    assert "Estimated cost, delivered to Germany" in page
    # 200 USD = 184.00 EUR goods; DE: free shipping from 100; 4% duty (over 163); 19% import tax
    assert (
        "Import duty €7.36" in page
        and "Import tax (19%) €36.36" in page
        and "Estimated total €227.72" in page
    )
    assert "Delivery to Germany in 4 to 7 working days" in page


def test_admin_edits_destinations_and_duty_rules(admin_client, fruit):
    korea = Destination.objects.get(country="KR")
    assert admin_client.get(reverse("admin:markets_destination_changelist")).status_code == 200
    page = admin_client.get(reverse("admin:markets_destination_change", args=[korea.pk]))
    assert page.status_code == 200 and "De minimis" in page.content.decode()
    data = {
        "country": "KR",
        "shipping_fee": "9.00",
        "free_shipping_from": "150.00",
        "duty_free_up_to": "150.00",
        "default_duty_rate": "8",
        "tax_free_up_to": "150.00",
        "import_tax_rate": "10",
        "delivery_min_days": "9",
        "delivery_max_days": "3",  # the latest day before the earliest: refused
        "duty_rules-TOTAL_FORMS": "0",
        "duty_rules-INITIAL_FORMS": "0",
    }
    refused = admin_client.post(reverse("admin:markets_destination_change", args=[korea.pk]), data)
    assert refused.status_code == 200 and "cannot come before the earliest" in refused.content.decode()


def test_the_cross_border_product_page_shows_the_delivered_price_and_follows_rule_edits(client, kettle):
    url = kettle.get_absolute_url()
    client.get(
        url + "?edition=cross-border&country=KR"
    )  # choose once; the cookies make later views cacheable
    client.cookies.pop("sessionid", None)
    first = text_of(client.get(url))
    # 60 USD under Korea's 150 USD limit: shipping 9.00 only
    assert "$69.00 delivered to South Korea, duty and tax included" in first
    assert "Delivery to South Korea in 5 to 8 working days" in first
    Destination.objects.filter(country="KR").update(shipping_fee=D("11.00"))  # .update() skips auto_now
    assert "$69.00 delivered" in text_of(client.get(url))  # served from the page cache: same stamp
    korea = Destination.objects.get(country="KR")
    korea.shipping_fee = D("12.00")
    korea.save()  # an admin save: the stamp changes, the next view shows the new rule
    assert "$72.00 delivered to South Korea" in text_of(client.get(url))


def test_the_standard_product_page_has_no_estimate(client, kettle):
    assert "delivered to" not in text_of(client.get(kettle.get_absolute_url() + "?country=KR"))


def test_paying_after_the_rate_changed_charges_nothing_and_shows_the_new_total(
    user_client, user, seoul, kettle, make_cart
):
    from storefront.markets.models import ExchangeRate

    make_cart(user=user, lines=[(kettle, 1)])
    session = user_client.session
    session[ADDRESS_KEY] = seoul.pk
    session.save()
    page = user_client.get(reverse("checkout:pay") + "?currency=KRW").content.decode()
    shown = re.search(r'name="shown_total" value="([^"]+)"', page).group(1)
    assert shown == "KRW:95565"  # (60 + 9) x 1385
    ExchangeRate.objects.create(currency="KRW", rate=D("1400"), as_of=date(2026, 11, 20))
    data = {
        "method": "new",
        "idempotency_key": "rate-moved",
        "shown_total": shown,
        "card-number": "4242424242424242",
        "card-exp_month": "12",
        "card-exp_year": str(date.today().year + 1),
        "card-cvc": "123",
    }
    response = user_client.post(reverse("checkout:pay"), data)
    assert response.status_code == 400 and not Order.objects.filter(idempotency_key="rate-moved").exists()
    assert "The total changed while this page was open" in text_of(response)
    assert "Total to pay: ₩96,600" in text_of(response)  # the new total, shown before anything is charged
    data["shown_total"] = "KRW:96600"
    user_client.post(reverse("checkout:pay"), data)
    assert Order.objects.get(idempotency_key="rate-moved").total == D("96600")
