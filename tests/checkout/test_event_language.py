"""Order events are stored as data and read in the reader's language and money format (issue #13): a decline
met in English reads in Korean, a refund made in Korean shows English money, a payment method's name is looked
up when read, and what a person typed stays as written."""

from __future__ import annotations

import re

from django.conf import settings
from django.utils import translation

from storefront.checkout import fulfilment, history, lifecycle, payments, returns
from storefront.checkout.models import Order, OrderEvent
from storefront.checkout.said import Said
from storefront.markets import payment_methods

DECLINED = "4000000000000002"
DECLINED_EN = "Your card was declined. You have not been charged. Try another card."
DECLINED_KO = "카드가 거절되었습니다. 요금이 청구되지 않았습니다. 다른 카드를 사용해 주세요."
HANGUL = re.compile(r"[\uac00-\ud7a3]")


def read_in(client, language: str, url: str) -> str:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client.get(url).content.decode()


def history_of(html: str) -> str:
    return html.split('aria-labelledby="history"')[1].split("</section>")[0]


def test_a_decline_met_in_english_reads_in_korean(user_client, place, product, tokenize):
    order, _ = place((product, 1))
    order = payments.collect(order, tokenize(DECLINED))  # the shopper was browsing in English
    assert order.status == Order.Status.PAYMENT_FAILED
    event = order.events.get(transition="fail_payment")
    assert event.data == {"said": {"msgid": DECLINED_EN}} and event.note == ""
    assert order.failure == {"msgid": DECLINED_EN}
    html = read_in(user_client, "ko", order.get_absolute_url())
    assert DECLINED_KO in history_of(html)  # the timeline
    assert f'<p class="message message-error">{DECLINED_KO}</p>' in html  # the order's own message
    assert "Your card was declined" not in html
    english = read_in(user_client, "en", order.get_absolute_url())
    assert DECLINED_EN in history_of(english) and "카드" not in english


def test_the_admin_log_keeps_the_shops_language_whoever_caused_it(place, product, tokenize):
    order, _ = place((product, 1))
    with translation.override("ko"):
        order = payments.collect(order, tokenize(DECLINED))
    assert order.failure_message == DECLINED_EN
    assert order.payments.get().message == DECLINED_EN
    with translation.override("ko"):
        assert order.failure_text == DECLINED_KO


def test_a_refund_made_in_korean_shows_english_money_from_data(user_client, delivered, product):
    order = delivered((product, 2))
    with translation.override("ko"):
        ret = returns.request(
            order, quantities={order.lines.get().pk: 1}, reason="changed_mind", kind="refund"
        )
        returns.receive(ret)
        returns.refund(ret)
    event = order.events.get(transition="refund_part")
    assert (event.data["amount"], event.data["currency"], event.note) == ("3.50", "USD", "")
    assert event.data["key"].startswith(f"order-{order.number}-refund")  # for the admin, never shown
    english = history_of(read_in(user_client, "en", order.get_absolute_url()))
    assert "Partly refunded <bdi>$3.50</bdi>" in english and "US$" not in english
    assert "-refund-" not in english
    korean = history_of(read_in(user_client, "ko", order.get_absolute_url()))
    assert "US$3.50" in korean
    # The amount comes from the data: a note says nothing about it.
    OrderEvent.objects.filter(pk=event.pk).update(data={"amount": "7.25", "currency": "USD"})
    assert "$7.25" in history_of(read_in(user_client, "en", order.get_absolute_url()))


def test_a_wallet_cancelled_in_korean_names_the_method_in_each_language(place, product):
    order, _ = place((product, 1))
    kakao = payment_methods.get("kakaopay")
    assert kakao is not None
    with translation.override("ko"):
        assert payments.begin_redirect(order, kakao, "http://testserver/back/")
        order = payments.settle_redirect(order, close=True)
    assert order.status == Order.Status.CANCELLED
    event = order.events.get(transition="cancel")
    assert event.data["said"]["params"]["method"]["payment_method"] == "kakaopay"
    assert history.describe(event) == "You cancelled the payment in Kakao Pay. Nothing was charged."
    with translation.override("ko"):
        assert history.describe(event).startswith("카카오페이에서 결제를 취소했어요")
    with translation.override("zh-hans"):
        assert history.describe(event).startswith("您已在Kakao Pay中取消付款")


def test_an_order_the_reconciler_closed_reads_in_the_readers_language(place, product, clock):
    from storefront.checkout import reconciler

    order, _ = place((product, 1))
    clock.advance(minutes=10)
    with translation.override("ar"):  # whatever language the worker happened to have
        order = reconciler.settle(order)
    assert order.status == Order.Status.EXPIRED
    event = order.events.get(transition="expire")
    assert history.describe(event) == (
        "We could not confirm a payment for this order, so we closed it. Nothing was charged."
    )
    with translation.override("ko"):
        assert HANGUL.search(history.describe(event)) and HANGUL.search(order.failure_text)


def test_every_shown_event_written_in_korean_reads_in_english(user_client, delivered, product, make_product):
    """Each kind of event whose details the shopper sees, written while Korean was active, read in English."""
    pears = make_product("Pears", price="2.00", stock=10)
    with translation.override("ko"):
        order = delivered((product, 3), (pears, 1))
        apples, pear_line = order.lines.order_by("id")
        ret = returns.request(order, quantities={apples.pk: 1}, reason="changed_mind", kind="refund")
        returns.approve(ret)
        returns.register_tracking(ret, tracking_code="RT-1")
        returns.receive(ret)
        returns.refund(ret)
        swap = returns.request(order, quantities={pear_line.pk: 1}, reason="damaged", kind="exchange")
        returns.receive(swap)
        returns.send_replacement(swap, carrier="CJ", tracking_number="X9")
        refused = returns.request(order, quantities={apples.pk: 1}, reason="changed_mind", kind="refund")
        returns.reject(refused, reason="Opened and eaten")
    shown: dict[str, list[str]] = {}
    for event in Order.objects.get(pk=order.pk).events.all():
        if event.transition in history.SHOWN_NOTES:
            shown.setdefault(event.transition, []).append(history.describe(event))
    assert shown["ship"] == [f"Post TRK{order.pk}"] and shown["deliver"] == [f"Post TRK{order.pk}"]
    assert shown["return_request"] == [ret.code, swap.code, refused.code]
    assert shown["return_approve"] == [ret.code]
    assert shown["return_send"] == [f"{ret.code} RT-1"]
    assert shown["return_receive"] == [ret.code, swap.code]
    assert shown["refund_part"] == ["$3.50"]
    assert shown["return_close"] == [ret.code]
    assert shown["exchange_send"] == [f"{swap.code} CJ X9"]
    assert shown["return_reject"] == [f"{refused.code} Opened and eaten"]  # the merchant's words, as typed
    page = history_of(read_in(user_client, "en", order.get_absolute_url()))
    assert not HANGUL.search(page), page


def test_parcel_steps_keep_carrier_tracking_and_the_merchants_words(place, product, tokenize):
    order, _ = place((product, 3))
    order = payments.collect(order, tokenize())
    line = order.lines.get()
    with translation.override("ko"):
        first = fulfilment.ship(order, carrier="CJ", tracking_number="K1", quantities={line.pk: 1})
        fulfilment.delay(first, note="Held at customs")
        second = fulfilment.ship(order, carrier="CJ", tracking_number="K2")
        fulfilment.lose(second)
        fulfilment.reship(second, carrier="Post", tracking_number="P3")
    said = {
        e.transition: history.describe(e) for e in order.events.all() if e.transition in history.SHOWN_NOTES
    }
    assert said["ship_part"] == "CJ K1"
    assert said["delay"] == "CJ K1 Held at customs"
    assert said["ship"] == "CJ K2"
    assert said["lose"] == "CJ K2"
    assert said["reship"] == "CJ K2 → Post P3"
    delay = order.events.get(transition="delay")
    assert delay.note == "Held at customs" and delay.data == {"carrier": "CJ", "tracking": "K1"}


def test_events_written_before_data_still_read(place, product):
    order, _ = place((product, 1))
    lifecycle.move(order, "cancel", source=OrderEvent.Source.SHOPPER)
    OrderEvent.objects.filter(order=order, transition="cancel").update(note="Cancelled, as written then")
    Order.objects.filter(pk=order.pk).update(failure_message="Written then", failure={})
    order.refresh_from_db()
    assert history.events(order)[-1]["note"] == "Cancelled, as written then"
    assert order.failure_text == "Written then"


def test_said_round_trips_and_keeps_verbatim_words():
    said = Said(
        "%(method)s declined the payment. You have not been charged. Choose another way to pay.",
        {"method": {"payment_method": "alipay", "label": "Alipay"}},
    )
    again = Said.from_data(said.as_data())
    assert again == said and str(again).startswith("Alipay declined")
    with translation.override("zh-hans"):
        assert str(again) == "支付宝拒绝了此次付款。您未被扣款。请选择其他支付方式。"
    provider = Said.of("Refused by the issuer")
    assert Said.from_data(provider.as_data()) == provider
    with translation.override("ko"):
        assert str(provider) == "Refused by the issuer"
    assert Said.from_data({}) is None and not Said.of("")


def test_old_refund_notes_are_moved_into_data(place, product):
    """Migration 0007: the "<amount> <currency> (<key>)" notes of old refund events become data."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("storefront.checkout.migrations.0007_order_event_data")
    order, _ = place((product, 1))
    old = OrderEvent.objects.create(
        order=order,
        transition="refund_part",
        to_status="paid",
        source="merchant",
        note="3.50 USD (order-X-r1)",
    )
    failed = OrderEvent.objects.create(
        order=order,
        transition="refund_failed",
        to_status="paid",
        source="gateway",
        note="2.00 KRW (order-X-r2): The refund could not be made.",
    )
    typed = OrderEvent.objects.create(
        order=order, transition="refund", to_status="paid", source="merchant", note="?"
    )
    migration.refund_notes_to_data(apps, None)
    old.refresh_from_db()
    failed.refresh_from_db()
    typed.refresh_from_db()
    assert (old.note, old.data) == ("", {"amount": "3.50", "currency": "USD", "key": "order-X-r1"})
    assert (
        failed.data["said"] == {"text": "The refund could not be made."} and failed.data["currency"] == "KRW"
    )
    assert (typed.note, typed.data) == ("?", {})
    assert history.describe(old) == "$3.50"
