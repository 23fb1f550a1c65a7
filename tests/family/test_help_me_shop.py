"""Help me shop (issue 17): the payer prepares a basket for the person they pay for; she confirms it with one
press; it is paid by the allowance when it covers it, else by the payer's card; announced to both; reversible
for 30 minutes like Buy now (refunded to the payer's card); audited on both sides."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from storefront.checkout.models import Order
from storefront.family import services
from storefront.family.models import FamilyEvent, HelpBasket, PayRequest, Relation
from storefront.sandbox.models import SandboxCardCharge as GatewayLedger


@pytest.fixture
def grandma(make_user, make_address):
    person = make_user("grandma_kim", display_name="Soon-ja")
    make_address(person, is_default=True)
    return person


@pytest.fixture
def daughter(make_user, make_saved_card):
    person = make_user("daughter_jin", display_name="Jin")
    make_saved_card(person, is_default=True)
    return person


@pytest.fixture
def family_link(grandma, daughter):
    link = services.ask_for_help(beneficiary=grandma, relation=Relation.DAUGHTER)
    return services.accept(code=link.invite_code, by=daughter, relation=Relation.MOTHER)


def client_for(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def prepare(client, link, make_cart, daughter, *pairs, note=""):
    make_cart(user=daughter, lines=pairs)
    return client.post(reverse("family:prepare_basket", args=[link.pk]), {f"basket-{link.pk}-note": note})


def stock_of(product) -> int:
    product.refresh_from_db()
    return product.stock


def test_payer_prepares_a_basket_from_their_cart(
    family_link, daughter, grandma, product, make_cart, django_capture_on_commit_callbacks
):
    him = client_for(daughter)
    before = stock_of(product)
    with django_capture_on_commit_callbacks(execute=True):
        response = prepare(him, family_link, make_cart, daughter, (product, 2), note="For the weekend")
    basket = HelpBasket.objects.get()
    assert response.status_code == 302 and response["Location"] == basket.get_absolute_url()
    assert basket.status == HelpBasket.Status.OFFERED and basket.note == "For the weekend"
    assert [(line.product, line.quantity) for line in basket.lines.all()] == [(product, 2)]
    assert stock_of(product) == before and not Order.objects.exists()  # nothing held or charged yet
    email = mail.outbox[-1]
    assert email.to == [grandma.email] and "Daughter (Jin) prepared a basket for you" in email.subject
    assert product.display_name in email.body
    page = client_for(grandma).get(reverse("family:home")).content.decode()
    assert "Baskets prepared for you" in page and basket.get_absolute_url() in page


def test_she_confirms_with_one_press_and_the_allowance_pays(
    family_link, daughter, grandma, product, make_cart, django_capture_on_commit_callbacks
):
    services.set_allowance(link=family_link, payer=daughter, monthly_limit=Decimal("50.00"))
    before = stock_of(product)
    prepare(client_for(daughter), family_link, make_cart, daughter, (product, 2))
    basket = HelpBasket.objects.get()
    her = client_for(grandma)
    page = her.get(basket.get_absolute_url()).content.decode()
    assert "is paid at once from the monthly allowance Daughter (Jin) set for you" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = her.post(reverse("family:basket_confirm", args=[basket.public_id]))
        her.post(reverse("family:basket_confirm", args=[basket.public_id]))  # a double press
    basket.refresh_from_db()
    assert basket.status == HelpBasket.Status.CONFIRMED
    order = basket.pay_request.order
    assert (order.user, order.status, basket.pay_request.by_allowance) == (grandma, Order.Status.PAID, True)
    assert Order.objects.count() == 1 and GatewayLedger.objects.filter(kind="charge").count() == 1
    assert stock_of(product) == before - 2
    done = her.get(response["Location"]).content.decode()
    assert "Ordered. Paid from the monthly allowance Daughter (Jin) set for you." in done
    assert "Cancel this order" in done
    told = [m for m in mail.outbox if m.to == [daughter.email]]
    assert any("Mum (Soon-ja) confirmed the basket you prepared" in m.subject for m in told)
    kinds = set(FamilyEvent.objects.filter(link=family_link).values_list("kind", flat=True))
    assert {
        FamilyEvent.Kind.BASKET_PREPARED,
        FamilyEvent.Kind.BASKET_CONFIRMED,
        FamilyEvent.Kind.ALLOWANCE,
    } <= kinds


def test_over_the_allowance_the_payers_card_pays(family_link, daughter, grandma, product, make_cart):
    prepare(client_for(daughter), family_link, make_cart, daughter, (product, 1))
    basket = HelpBasket.objects.get()
    services.confirm_basket(basket=basket, beneficiary=grandma, address=grandma.addresses.get().as_snapshot())
    basket.refresh_from_db()
    assert basket.pay_request.status == PayRequest.Status.APPROVED and not basket.pay_request.by_allowance
    charge = GatewayLedger.objects.get(kind="charge")
    assert charge.token == daughter.payment_methods.get().token


def test_she_cancels_within_30_minutes_and_the_payer_is_refunded(
    family_link, daughter, grandma, product, make_cart, clock
):
    before = stock_of(product)
    prepare(client_for(daughter), family_link, make_cart, daughter, (product, 1))
    basket = HelpBasket.objects.get()
    services.confirm_basket(basket=basket, beneficiary=grandma, address=grandma.addresses.get().as_snapshot())
    basket.refresh_from_db()
    order = basket.pay_request.order
    clock.advance(minutes=29)
    her = client_for(grandma)
    response = her.post(reverse("checkout:cancel", args=[order.number]), {"next": basket.get_absolute_url()})
    assert response["Location"] == basket.get_absolute_url()
    order.refresh_from_db()
    basket.pay_request.refresh_from_db()
    assert order.status == Order.Status.CANCELLED and basket.pay_request.status == PayRequest.Status.REFUNDED
    assert stock_of(product) == before
    history = client_for(daughter).get(basket.get_absolute_url()).content.decode()
    assert "Order cancelled and payment refunded" in history


def test_too_late_after_30_minutes(family_link, daughter, grandma, product, make_cart, clock):
    prepare(client_for(daughter), family_link, make_cart, daughter, (product, 1))
    basket = HelpBasket.objects.get()
    services.confirm_basket(basket=basket, beneficiary=grandma, address=grandma.addresses.get().as_snapshot())
    clock.advance(minutes=31)
    page = client_for(grandma).get(basket.get_absolute_url()).content.decode()
    assert "Cancel this order" not in page


def test_withdrawn_or_foreign_baskets_cannot_be_confirmed(
    family_link, daughter, grandma, product, make_cart, make_user
):
    prepare(client_for(daughter), family_link, make_cart, daughter, (product, 1))
    basket = HelpBasket.objects.get()
    assert client_for(make_user()).get(basket.get_absolute_url()).status_code == 404
    client_for(daughter).post(reverse("family:basket_withdraw", args=[basket.public_id]))
    with pytest.raises(services.FamilyError, match="no longer waiting"):
        services.confirm_basket(
            basket=basket, beneficiary=grandma, address=grandma.addresses.get().as_snapshot()
        )
    assert not Order.objects.exists()


def test_a_payer_without_a_card_is_sent_to_add_one_in_family_context(
    family_link, daughter, product, make_cart
):
    daughter.payment_methods.all().delete()
    response = prepare(client_for(daughter), family_link, make_cart, daughter, (product, 1))
    assert response["Location"].startswith(reverse("family:add_card"))
    assert not HelpBasket.objects.exists()


def test_a_basket_waiting_is_counted_in_her_navigation(family_link, daughter, grandma, product, make_cart):
    her = client_for(grandma)
    assert "waiting)" not in her.get("/").content.decode()
    prepare(client_for(daughter), family_link, make_cart, daughter, (product, 1))
    assert "(1 waiting)" in her.get("/").content.decode()
    basket = HelpBasket.objects.get()
    services.confirm_basket(basket=basket, beneficiary=grandma, address=grandma.addresses.get().as_snapshot())
    assert "waiting)" not in her.get("/").content.decode()


def test_a_basket_whose_card_is_refused_says_why_in_the_readers_language(
    family_link, daughter, grandma, product, make_cart, make_saved_card
):
    from django.conf import settings

    from storefront.accounts.models import SavedPaymentMethod

    SavedPaymentMethod.objects.filter(user=daughter).delete()
    make_saved_card(daughter, number="4000000000000002", is_default=True)
    prepare(client_for(daughter), family_link, make_cart, daughter, (product, 1))
    basket = HelpBasket.objects.get()
    address = grandma.addresses.get().as_snapshot()
    basket = services.confirm_basket(basket=basket, beneficiary=grandma, address=address)  # read in English
    assert basket.status == HelpBasket.Status.FAILED and basket.problem == ""
    assert basket.problem_text.startswith("Your card was declined.")
    her = client_for(grandma)
    her.cookies[settings.LANGUAGE_COOKIE_NAME] = "ko"
    page = her.get(basket.get_absolute_url()).content.decode()
    assert "카드가 거절되었습니다." in page and "Your card was declined" not in page
