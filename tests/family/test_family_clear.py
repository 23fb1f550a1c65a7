"""Issue 17, "Family payment: what was seen", each fixed: display names and relationship labels instead of
usernames; the beneficiary sees her allowance and what is left, and the product hint says in advance whether an
order is paid at once or asked; the payer's "My orders" lists what they paid for, with receipts; no stale
"changed since you last looked" after one's own answer; product names in the lists; "Add a card" in the payer's
context; each side sees only its own sections; the beneficiary starts the link; e-mails in the recipient's
language and time zone, with the names they chose."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from storefront.family import services
from storefront.family.models import FamilyLink, PayRequest, Relation


@pytest.fixture
def grandma(make_user):
    return make_user("grandma_kim", display_name="Soon-ja")


@pytest.fixture
def daughter(make_user, make_saved_card):
    person = make_user("daughter_jin", display_name="Jin")
    make_saved_card(person, is_default=True)
    return person


@pytest.fixture
def grandma_address(make_address, grandma):
    return make_address(grandma, is_default=True)


@pytest.fixture
def family_link(grandma, daughter):
    """Started from grandma's side, accepted by her daughter; each names the other."""
    link = services.ask_for_help(beneficiary=grandma, relation=Relation.DAUGHTER)
    return services.accept(code=link.invite_code, by=daughter, relation=Relation.MOTHER)


def client_for(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def ask_for(grandma, grandma_address, *pairs):
    from storefront.checkout import placement

    lines = [placement.WantedLine(p.pk, q) for p, q in pairs]
    return services.ask_to_pay(beneficiary=grandma, lines=lines, address=grandma_address.as_snapshot())[0]


# --- names -----------------------------------------------------------------------------------------------


def test_names_and_relationship_labels_replace_usernames(
    family_link, grandma, daughter, grandma_address, product, django_capture_on_commit_callbacks
):
    assert family_link.payer_name == "Daughter (Jin)"
    assert family_link.beneficiary_name == "Mum (Soon-ja)"
    with django_capture_on_commit_callbacks(execute=True):
        pay_request = ask_for(grandma, grandma_address, (product, 1))
    email = mail.outbox[-1]
    assert email.to == [daughter.email]
    assert "Mum (Soon-ja) asks you to pay" in email.subject and "grandma_kim" not in email.body
    payer_page = client_for(daughter).get(pay_request.get_absolute_url()).content.decode()
    assert "Mum (Soon-ja) asks you to pay" in payer_page and "grandma_kim asks" not in payer_page
    her_page = client_for(grandma).get(reverse("family:home")).content.decode()
    assert "Daughter (Jin) pays for your shopping." in her_page and "daughter_jin" not in her_page


def test_either_side_renames_the_other(family_link, grandma, daughter):
    response = client_for(daughter).post(
        reverse("family:relation", args=[family_link.pk]),
        {f"relation-{family_link.pk}-relation": Relation.GRANDMOTHER},
    )
    assert response.status_code == 302
    family_link.refresh_from_db()
    assert family_link.beneficiary_name == "Grandma (Soon-ja)"
    assert family_link.payer_name == "Daughter (Jin)"  # her own name for her daughter is hers to change


# --- the beneficiary's allowance and the honest hint ------------------------------------------------------


def test_she_sees_her_allowance_and_what_is_left(family_link, grandma, daughter, grandma_address, product):
    services.set_allowance(link=family_link, payer=daughter, monthly_limit=Decimal("30.00"))
    ask_for(grandma, grandma_address, (product, 2))  # 7.00 + 4.99 delivery, paid at once
    page = client_for(grandma).get(reverse("family:home")).content.decode()
    assert "$18.01 left this month, of $30.00." in page


def test_product_hint_says_paid_at_once_within_the_allowance(
    family_link, grandma, daughter, grandma_address, product
):
    url = product.get_absolute_url()
    asked = client_for(grandma).get(url).content.decode()
    assert "We keep it for you for 48 hours while they decide." in asked
    services.set_allowance(link=family_link, payer=daughter, monthly_limit=Decimal("30.00"))
    at_once = client_for(grandma).get(url).content.decode()
    assert "Paid at once from the allowance Daughter (Jin) set for you ($30.00 left this month)" in at_once
    assert "48 hours" not in at_once.split('id="ask-family-hint"')[1].split("</p>")[0]
    services.set_allowance(link=family_link, payer=daughter, monthly_limit=Decimal("5.00"))
    over = client_for(grandma).get(url).content.decode()
    assert "This is more than the $5.00 left in your allowance this month." in over


def test_outlook_follows_the_rule_that_pays(family_link, daughter, product):
    services.set_allowance(link=family_link, payer=daughter, monthly_limit=Decimal("10.00"))
    assert services.allowance_outlook(family_link, Decimal("9.99"), [product.category_id]).pays_now
    assert services.allowance_outlook(family_link, Decimal("10.01"), []).reason == "over"
    daughter.payment_methods.update(is_default=False)
    assert services.allowance_outlook(family_link, Decimal("1.00"), []).reason == "no_card"


# --- the payer's orders and receipts ---------------------------------------------------------------------


def test_payers_orders_list_what_they_paid_for_with_receipts(
    family_link, grandma, daughter, grandma_address, product, make_product
):
    card = daughter.payment_methods.get()
    first = ask_for(grandma, grandma_address, (product, 1))
    second = ask_for(grandma, grandma_address, (make_product("Pears"), 2))
    for pay_request in (first, second):
        services.approve(pay_request=pay_request, payer=daughter, method=card)
    payer = client_for(daughter)
    orders = payer.get(reverse("checkout:orders")).content.decode()
    assert "Orders I paid for" in orders
    for pay_request in (first, second):
        number = pay_request.order.number
        assert f"Order {number} for Mum (Soon-ja)" in orders
        assert reverse("family:receipt", args=[pay_request.public_id]) in orders
    assert "Pears × 2" in orders
    receipt = payer.get(reverse("family:receipt", args=[first.public_id]))
    assert receipt.status_code == 200
    text = receipt.content.decode()
    assert f"Receipt for order {first.order.number}" in text and "Mum (Soon-ja)" in text
    assert "ending in" in text  # the card that paid
    # nobody else gets the receipt, not even the person it was bought for
    assert client_for(grandma).get(reverse("family:receipt", args=[first.public_id])).status_code == 404


def test_an_unpaid_request_has_no_receipt(family_link, grandma, daughter, grandma_address, product):
    pending = ask_for(grandma, grandma_address, (product, 1))
    assert client_for(daughter).get(reverse("family:receipt", args=[pending.public_id])).status_code == 404


# --- no stale message after one's own answer -------------------------------------------------------------


@pytest.mark.parametrize("action", ["approve", "decline"])
def test_no_changed_since_you_looked_after_answering(
    action, family_link, grandma, daughter, grandma_address, product
):
    pay_request = ask_for(grandma, grandma_address, (product, 1))
    payer = client_for(daughter)
    payer.get(pay_request.get_absolute_url())  # seen while pending
    data = {"method": str(daughter.payment_methods.get().pk)} if action == "approve" else {"message": ""}
    response = payer.post(reverse(f"family:{action}", args=[pay_request.public_id]), data, follow=True)
    assert "has changed since you last looked" not in response.content.decode()


def test_a_change_by_the_other_side_is_still_announced(
    family_link, grandma, daughter, grandma_address, product
):
    pay_request = ask_for(grandma, grandma_address, (product, 1))
    her = client_for(grandma)
    her.get(pay_request.get_absolute_url())
    services.decline(pay_request=pay_request, payer=daughter)
    assert "has changed since you last looked" in her.get(pay_request.get_absolute_url()).content.decode()


# --- lists and contexts ----------------------------------------------------------------------------------


def test_lists_show_product_names(family_link, grandma, daughter, grandma_address, product):
    ask_for(grandma, grandma_address, (product, 3))
    payer_page = client_for(daughter).get(reverse("family:home")).content.decode()
    section = payer_page.split('id="requests-to-me"')[1]
    assert f"{product.display_name} × 3" in section
    her_page = client_for(grandma).get(reverse("family:home")).content.decode()
    assert f"{product.display_name} × 3" in her_page.split('id="my-requests"')[1]


def test_add_a_card_stays_in_the_payers_context(family_link, grandma, daughter, grandma_address, product):
    daughter.payment_methods.all().delete()
    pay_request = ask_for(grandma, grandma_address, (product, 1))
    payer = client_for(daughter)
    page = payer.get(pay_request.get_absolute_url()).content.decode()
    assert reverse("checkout:oneclick_setup") not in page
    add = reverse("family:add_card")
    assert f'href="{add}?next=' in page
    form = payer.get(f"{add}?next={pay_request.get_absolute_url()}").content.decode()
    assert "A card to pay for your family" in form and "one-click" not in form.lower().split("<main")[1]
    response = payer.post(
        add,
        {
            "card-number": "4242424242424242",
            "card-exp_month": "12",
            "card-exp_year": "2031",
            "card-cvc": "123",
            "card-name": "Jin Park",
            "next": pay_request.get_absolute_url(),
        },
    )
    assert response.status_code == 302 and response["Location"] == pay_request.get_absolute_url()
    assert daughter.payment_methods.get().is_default


def test_each_side_sees_only_its_own_sections(family_link, grandma, daughter):
    hers = client_for(grandma).get(reverse("family:home")).content.decode()
    assert 'id="who-pays-for-me"' in hers
    for payer_only in ('id="i-pay-for"', 'id="requests-to-me"', "Offer to pay for someone"):
        assert payer_only not in hers
    his = client_for(daughter).get(reverse("family:home")).content.decode()
    assert 'id="i-pay-for"' in his
    for her_only in ('id="who-pays-for-me"', 'id="my-requests"', "Ask a family member to help me"):
        assert her_only not in his


def test_someone_new_sees_how_to_start_from_either_side(make_user):
    page = client_for(make_user()).get(reverse("family:home")).content.decode()
    assert "Ask a family member to help me" in page and "Offer to pay for someone" in page


# --- the beneficiary starts the link ---------------------------------------------------------------------


def test_she_starts_the_link_and_her_daughter_accepts_with_the_code(grandma, daughter):
    her = client_for(grandma)
    response = her.post(reverse("family:ask_help"), {"help-relation": Relation.DAUGHTER, "help-email": ""})
    assert response.status_code == 302
    link = FamilyLink.objects.get()
    assert (link.beneficiary, link.payer, link.started_by) == (grandma, None, FamilyLink.Side.BENEFICIARY)
    page = her.get(reverse("family:home")).content.decode()
    assert link.share_code in page and reverse("family:join", args=[link.invite_code]) in page
    him = client_for(daughter)
    typed = link.share_code.lower().replace("-", " ")
    opened = him.post(reverse("family:enter_code"), {"code-code": typed})
    assert opened.status_code == 302 and opened["Location"] == reverse("family:join", args=[link.invite_code])
    join = him.get(opened["Location"]).content.decode()
    assert "Soon-ja asks you to help with their shopping" in join
    him.post(opened["Location"], {"relation": Relation.MOTHER})
    link.refresh_from_db()
    assert (link.status, link.payer) == (FamilyLink.Status.ACTIVE, daughter)
    assert (link.payer_name, link.beneficiary_name) == ("Daughter (Jin)", "Mum (Soon-ja)")
    assert services.active_link_for(grandma) == link


def test_a_wrong_code_is_said_plainly(daughter):
    response = client_for(daughter).post(reverse("family:enter_code"), {"code-code": "ZZZZ-ZZZZ"})
    assert response.status_code == 400
    assert "We could not find that code." in response.content.decode()


def test_she_cannot_accept_her_own_request(grandma):
    link = services.ask_for_help(beneficiary=grandma)
    with pytest.raises(services.FamilyError, match="your own request"):
        services.accept(code=link.invite_code, by=grandma)


# --- e-mails for their recipient -------------------------------------------------------------------------


def test_emails_are_in_the_recipients_language_and_time_zone(
    family_link, grandma, daughter, grandma_address, product, django_capture_on_commit_callbacks
):
    daughter.preferred_language = "ko"
    daughter.time_zone = "Asia/Seoul"
    daughter.save()
    with django_capture_on_commit_callbacks(execute=True):
        pay_request = ask_for(grandma, grandma_address, (product, 1))
    email = mail.outbox[-1]
    assert email.to == [daughter.email]
    assert "엄마 (Soon-ja)" in email.subject  # "Mum" as Korean reads it, her name as she chose it
    assert "KST" in email.body  # the hold ends at a time in her zone
    assert pay_request.order.number not in email.subject


def test_the_beneficiary_is_told_the_answer_in_her_language(
    family_link, grandma, daughter, grandma_address, product, django_capture_on_commit_callbacks
):
    grandma.preferred_language = "zh-hans"
    grandma.save()
    pay_request = ask_for(grandma, grandma_address, (product, 1))
    with django_capture_on_commit_callbacks(execute=True):
        services.decline(pay_request=pay_request, payer=daughter)
    email = mail.outbox[-1]
    assert email.to == [grandma.email] and "女儿（Jin）" in email.body
    assert PayRequest.objects.get().status == PayRequest.Status.DECLINED


def test_pressing_ask_for_help_twice_keeps_one_code(grandma):
    first = services.ask_for_help(beneficiary=grandma)
    assert services.ask_for_help(beneficiary=grandma) == first
    assert FamilyLink.objects.count() == 1


@pytest.mark.parametrize("edition", ["standard", "elder", "screen-reader", "cross-border"])
def test_the_honest_hint_in_every_edition(edition, family_link, grandma, daughter, grandma_address, product):
    services.set_allowance(link=family_link, payer=daughter, monthly_limit=Decimal("30.00"))
    her = client_for(grandma)
    her.get(f"/?edition={edition}")
    page = her.get(product.get_absolute_url()).content.decode()
    assert f"edition-{edition}" in page
    assert "Paid at once from the allowance Daughter (Jin) set for you" in page
