"""Monthly allowance: requests within it are paid at once from the payer's default card, excluded categories
and amounts over the limit still need an answer, and the month starts again on the 1st."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from storefront.checkout.models import Order
from storefront.family import services
from storefront.family.models import Allowance, FamilyEvent, PayRequest
from storefront.sandbox.models import SandboxCardCharge as GatewayLedger


@pytest.fixture
def allowance(link, payer, payer_card):
    return services.set_allowance(link=link, payer=payer, monthly_limit=Decimal("20.00"))


def test_request_within_the_allowance_is_paid_at_once(allowance, ask, product, payer_card):
    pay_request, created = ask((product, 2))  # 7.00 + 4.99 delivery = 11.99
    assert created and pay_request.by_allowance
    assert pay_request.status == PayRequest.Status.APPROVED
    assert pay_request.order.status == Order.Status.PAID
    assert GatewayLedger.objects.get(kind="charge").token == payer_card.token
    assert services.allowance_spent(allowance.link) == Decimal("11.99")
    assert FamilyEvent.objects.filter(kind=FamilyEvent.Kind.ALLOWANCE).exists()


def test_over_the_limit_waits_for_an_answer(allowance, ask, product, make_product):
    ask((product, 2))  # 11.99 used
    second, _ = ask((make_product(price="5.00"), 1))  # 9.99 more would make 21.98 > 20.00
    assert second.status == PayRequest.Status.PENDING and not second.by_allowance
    assert GatewayLedger.objects.filter(kind="charge").count() == 1


def test_excluded_category_waits_for_an_answer(link, payer, payer_card, ask, make_product, make_category):
    wine = make_category("Wine")
    services.set_allowance(link=link, payer=payer, monthly_limit=Decimal("100.00"), excluded=[wine])
    pay_request, _ = ask((make_product(category=wine, price="9.00"), 1))
    assert pay_request.status == PayRequest.Status.PENDING
    assert not GatewayLedger.objects.exists()


def test_allowance_starts_again_on_the_first(allowance, ask, product, make_product, clock):
    clock.now = timezone.make_aware(datetime(2026, 11, 30, 23, 0))
    ask((product, 2))
    waiting, _ = ask((make_product(price="5.00"), 1))
    assert waiting.status == PayRequest.Status.PENDING
    clock.now = timezone.make_aware(datetime(2026, 12, 1, 0, 0))
    december, _ = ask((make_product(price="5.00"), 2))
    assert december.status == PayRequest.Status.APPROVED
    assert services.allowance_spent(allowance.link) == Decimal("14.99")


def test_without_a_default_card_the_allowance_cannot_pay(link, payer, payer_card, ask, product):
    services.set_allowance(link=link, payer=payer, monthly_limit=Decimal("50.00"))
    payer_card.is_default = False
    payer_card.save()
    pay_request, _ = ask((product, 1))
    assert pay_request.status == PayRequest.Status.PENDING


def test_payer_sets_and_removes_the_allowance_on_the_family_page(link, payer_client, category):
    prefix = f"allowance-{link.pk}"
    url = reverse("family:allowance", args=[link.pk])
    response = payer_client.post(
        url, {f"{prefix}-monthly_limit": "30", f"{prefix}-excluded_categories": [str(category.pk)]}
    )
    assert response.status_code == 302
    allowance = Allowance.objects.get()
    assert allowance.monthly_limit == Decimal("30.00")
    assert list(allowance.excluded_categories.all()) == [category]
    page = payer_client.get(reverse("family:home")).content.decode()
    assert "Allowance: $30.00 a month; $0.00 used this month." in page
    payer_client.post(url, {f"{prefix}-monthly_limit": ""})
    assert not Allowance.objects.exists()


def test_allowance_errors_use_the_error_summary(link, payer_client):
    prefix = f"allowance-{link.pk}"
    response = payer_client.post(
        reverse("family:allowance", args=[link.pk]), {f"{prefix}-monthly_limit": "-5"}
    )
    html = response.content.decode()
    assert response.status_code == 400 and "There is a problem" in html
    assert f'href="#id_{prefix}-monthly_limit"' in html and "<title>Error:" in html


def test_only_the_payer_sets_an_allowance(link, user_client, other_user):
    url = reverse("family:allowance", args=[link.pk])
    assert user_client.post(url, {f"allowance-{link.pk}-monthly_limit": "99"}).status_code == 404
    outsider = Client()
    outsider.force_login(other_user)
    assert outsider.post(url, {f"allowance-{link.pk}-monthly_limit": "99"}).status_code == 404
    assert not Allowance.objects.exists()


def test_asking_from_the_page_within_the_allowance_says_it_is_paid(
    allowance, user_client, user, address, product, make_cart
):
    make_cart(user=user, lines=[(product, 1)])
    response = user_client.post(reverse("family:ask"), {"note": ""}, follow=True)
    html = response.content.decode()
    assert "Paid from the monthly allowance Pat Parent set for you" in html
    assert PayRequest.objects.get().status == PayRequest.Status.APPROVED


def test_allowance_card_declined_cancels_and_says_so(
    link, payer, user_client, user, address, product, make_cart, make_saved_card
):
    make_saved_card(payer, number="4000000000000002", is_default=True)
    services.set_allowance(link=link, payer=payer, monthly_limit=Decimal("100.00"))
    make_cart(user=user, lines=[(product, 1)])
    response = user_client.post(reverse("family:ask"), {"note": ""}, follow=True)
    assert "Nothing was charged and the items are back on sale." in response.content.decode()
    assert PayRequest.objects.get().status == PayRequest.Status.CANCELLED
    product.refresh_from_db()
    assert product.stock == 5
