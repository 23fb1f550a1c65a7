"""Family history entries are stored as data and read in the reader's language and money format."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.utils import translation

from storefront.family import services as family
from storefront.family.models import FamilyEvent


def test_an_allowance_entry_reads_in_each_language(db, user, make_user, make_category):
    payer = make_user("pat", first_name="Pat")
    invite = family.create_invite(payer=payer)
    link = family.accept_invite(code=invite.invite_code, beneficiary=user)
    electronics = make_category(
        "Electronics", name_zh_hans="电子产品", name_ko="전자제품", name_ar="الإلكترونيات"
    )
    family.set_allowance(link=link, payer=payer, monthly_limit=Decimal("60"), excluded=[electronics])
    event = FamilyEvent.objects.filter(kind=FamilyEvent.Kind.ALLOWANCE_SET).latest("id")
    assert event.data == {
        "note": "allowance",
        "amount": "60",
        "currency": "USD",
        "excluded": [electronics.pk],
    }
    assert event.detail == ""
    assert event.display_detail == "$60.00 a month, not for: Electronics"
    with translation.override("zh-hans"):
        assert "电子产品" in event.display_detail and "US$60.00" in event.display_detail
    with translation.override("ko"):
        assert "전자제품" in event.display_detail and "Electronics" not in event.display_detail
    with translation.override("ar"):
        assert "الإلكترونيات" in event.display_detail
    family.set_allowance(link=link, payer=payer, monthly_limit=None)
    with translation.override("ko"):
        removed = FamilyEvent.objects.filter(kind=FamilyEvent.Kind.ALLOWANCE_SET).latest("id").display_detail
    assert removed and removed != "Allowance removed"


def test_what_a_person_wrote_stays_as_written(db, user, make_user):
    payer = make_user("pat", first_name="Pat")
    invite = family.create_invite(payer=payer)
    link = family.accept_invite(code=invite.invite_code, beneficiary=user)
    event = FamilyEvent.objects.create(link=link, kind=FamilyEvent.Kind.DECLINED, detail="Not this month")
    with translation.override("ar"):
        assert event.display_detail == "Not this month"


def test_an_expired_ask_reads_on_the_order_in_the_readers_language(ask, product, clock):
    from storefront.checkout import history

    pay_request, _ = ask((product, 1))
    clock.advance(hours=49)
    with translation.override("ar"):  # whatever the periodic job's language was
        assert family.expire_due() == 1
    event = pay_request.order.events.get(transition="expire")
    assert event.data == {"said": {"msgid": "Nobody answered within 48 hours."}} and event.note == ""
    assert history.describe(event) == "Nobody answered within 48 hours."
    with translation.override("ko"):
        assert history.describe(event) == "48시간 안에 아무도 답하지 않았습니다."


def test_a_payers_words_stay_on_the_order_as_written(ask, product, payer):
    pay_request, _ = ask((product, 1))
    family.decline(pay_request=pay_request, payer=payer, message="Not this week")
    event = pay_request.order.events.get(transition="cancel")
    assert (event.note, event.data) == ("Not this week", {})


def test_a_refused_card_reads_in_the_readers_language_in_the_family_history(
    ask, product, payer, payer_client, make_saved_card
):
    bad = make_saved_card(payer, number="4000000000000002")
    pay_request, _ = ask((product, 1))
    family.approve(pay_request=pay_request, payer=payer, method=bad)  # the payer reads English
    event = FamilyEvent.objects.get(kind=FamilyEvent.Kind.PAYMENT_FAILED)
    assert event.data["note"] == "said" and event.detail == ""
    assert event.display_detail.startswith("Your card was declined.")
    pay_request.refresh_from_db()
    assert pay_request.answer == ""  # what the payer wrote: nothing; why is the order's, as data
    assert pay_request.answer_text.startswith("Your card was declined.")
    with translation.override("ko"):
        assert event.display_detail.startswith("카드가 거절되었습니다.")
        assert pay_request.answer_text.startswith("카드가 거절되었습니다.")
    payer_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ko"
    page = payer_client.get(pay_request.get_absolute_url()).content.decode()
    assert "카드가 거절되었습니다." in page and "Your card was declined" not in page
