"""Returns per line: what can be returned and until when, the request, the merchant's steps, restock once,
fast refund, and the shopper's pages (every edition, without JavaScript)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse

from storefront.checkout import returns
from storefront.checkout.models import Order, Refund, ReturnRequest
from storefront.sandbox.models import SandboxCardCharge

R = ReturnRequest.Status


def stock_of(product) -> int:
    product.refresh_from_db()
    return product.stock


def ask(order, quantities=None, reason="changed_mind", kind="refund", **kw):
    lines = list(order.lines.all())
    quantities = quantities if quantities is not None else {line.pk: line.quantity for line in lines}
    return returns.request(order, quantities=quantities, reason=reason, kind=kind, **kw)


def test_only_delivered_orders_within_the_window_can_be_returned(place, delivered, product, clock):
    unpaid, _ = place((product, 1))
    assert returns.returnable(unpaid) == []
    order = delivered((product, 2))
    assert [(line.product_name, n) for line, n in returns.returnable(order)] == [("Sunny Apples", 2)]
    clock.advance(days=31)
    assert returns.returnable(order) == []


def test_the_window_is_the_categorys(delivered, product, clock):
    product.category.return_days = 7
    product.category.save()
    order = delivered((product, 1))
    clock.advance(days=8)
    with pytest.raises(returns.ReturnRefused):
        ask(order)


def test_a_request_takes_only_what_is_left(delivered, product):
    order = delivered((product, 3))
    line = order.lines.get()
    ret = ask(order, {line.pk: 2})
    assert ret.status == R.REQUESTED and ret.code.startswith("R")
    assert [n for _line, n in returns.returnable(order)] == [1]
    with pytest.raises(returns.ReturnRefused):
        ask(order, {line.pk: 2})
    assert order.events.filter(transition="return_request").count() == 1
    order.refresh_from_db()
    assert order.status == Order.Status.DELIVERED  # a return step keeps the order's status


def test_receive_restocks_exactly_once(delivered, product):
    order = delivered((product, 2))
    before = stock_of(product)
    ret = ask(order)
    returns.approve(ret)
    for _ in range(3):
        ret = returns.receive(ret)
    assert returns.restock(ret) is False
    assert stock_of(product) == before + 2
    assert ret.status == R.RECEIVED
    assert order.events.filter(transition="return_receive").count() == 1


def test_merchant_refund_moves_money_and_closes_the_return(delivered, product):
    order = delivered((product, 2))
    ret = ask(order, reason="damaged")
    returns.receive(ret)
    refund = returns.refund(ret)
    assert refund.status == Refund.Status.SUCCEEDED and refund.amount == order.total
    assert SandboxCardCharge.objects.filter(kind="refund", amount=order.total).count() == 1
    ret.refresh_from_db()
    order.refresh_from_db()
    assert ret.status == R.REFUNDED and order.status == Order.Status.REFUNDED
    assert order.payments.filter(kind="refund", status="succeeded").count() == 1
    with pytest.raises(returns.ReturnRefused):
        returns.refund(ret)


def test_partial_refund_per_line_keeps_the_order_status(delivered, product, make_product):
    pear = make_product("Pear", price="2.00")
    order = delivered((product, 2), (pear, 1))
    apples, pears = order.lines.all()
    ret = ask(order, {apples.pk: 2, pears.pk: 1})
    returns.receive(ret)
    first = returns.refund(ret, {apples.pk: 1})
    assert first.amount == Decimal("3.50")
    order.refresh_from_db()
    ret.refresh_from_db()
    assert order.status == Order.Status.DELIVERED and ret.status == R.RECEIVED
    assert order.events.filter(transition="refund_part").count() == 1
    returns.refund(ret)  # the rest
    ret.refresh_from_db()
    assert ret.status == R.REFUNDED
    assert sum(r.amount for r in order.refunds.all()) == order.total


def test_reject_needs_a_reason_and_tells_the_shopper(delivered, product, django_capture_on_commit_callbacks):
    order = delivered((product, 1))
    ret = ask(order)
    with pytest.raises(returns.ReturnRefused):
        returns.reject(ret, reason=" ")
    with django_capture_on_commit_callbacks(execute=True):
        ret = returns.reject(ret, reason="Opened food cannot be returned.")
    assert ret.status == R.REJECTED and ret.rejection_reason == "Opened food cannot be returned."
    assert any("Opened food" in m.body for m in mail.outbox)
    with pytest.raises(returns.ReturnRefused):
        returns.receive(ret)
    assert [n for _line, n in returns.returnable(order)] == [1]  # a refused return frees its units


def test_fast_refund_when_the_parcel_is_handed_over(delivered, product, settings):
    settings.RETURNS_FAST_REFUND_MIN_ORDERS = 2
    delivered((product, 1))
    order = delivered((product, 1))
    ret = returns.register_tracking(ask(order), tracking_code="JP123")
    assert ret.status == R.SENT and ret.tracking_code == "JP123"
    refund = ret.refunds.get()
    assert refund.fast and refund.status == Refund.Status.SUCCEEDED
    ret = returns.receive(ret)  # then the parcel arrives: restocked, and the return closes
    assert ret.status == R.REFUNDED and ret.restocked


@pytest.mark.parametrize("why", ["new_shopper", "over_limit", "refused_before", "exchange"])
def test_no_fast_refund_without_a_good_history_or_over_the_limit(delivered, product, settings, why):
    settings.RETURNS_FAST_REFUND_MIN_ORDERS = 1 if why != "new_shopper" else 2
    settings.RETURNS_FAST_REFUND_LIMIT = "2.00" if why == "over_limit" else "50"
    if why == "refused_before":
        returns.reject(ask(delivered((product, 1))), reason="No")
    order = delivered((product, 1))
    ret = returns.register_tracking(
        ask(order, kind="exchange" if why == "exchange" else "refund"), tracking_code="T1"
    )
    assert ret.status == R.SENT and not ret.refunds.exists()


def test_exchange_sends_the_same_item_from_stock(delivered, product):
    order = delivered((product, 1))
    before = stock_of(product)
    ret = ask(order, kind="exchange", reason="damaged")
    assert returns.preview(order, {order.lines.get().pk: 1}, reason="damaged", kind="exchange") is None
    ret = returns.receive(ret)
    assert stock_of(product) == before + 1
    ret = returns.send_replacement(ret, carrier="DHL", tracking_number="X1")
    returns.send_replacement(ret, carrier="DHL", tracking_number="X1")
    assert ret.status == R.EXCHANGED and stock_of(product) == before
    assert order.shipments.count() == 2
    with pytest.raises(returns.ReturnRefused):
        returns.refund(ret)


# --- the shopper's pages -------------------------------------------------------------------------------------


@pytest.mark.parametrize("edition", ["standard", "elder", "screen-reader", "cross-border"])
def test_request_review_confirm_label_and_tracking_in_every_edition(user_client, delivered, product, edition):
    user_client.cookies["edition"] = edition
    order = delivered((product, 2))
    line = order.lines.get()
    url = reverse("checkout:return", args=[order.number])
    page = user_client.get(url)
    assert page.status_code == 200 and f'name="qty_{line.pk}"' in page.content.decode()
    data = {f"qty_{line.pk}": "1", "reason": "damaged", "kind": "refund", "detail": ""}
    review = user_client.post(url, data)
    html = review.content.decode()
    assert review.status_code == 200 and "Confirm the return" in html and "Your refund" in html
    assert not ReturnRequest.objects.exists()
    done = user_client.post(url, {**data, "confirm": "1"})
    ret = ReturnRequest.objects.get()
    assert done.status_code == 302 and done["Location"] == ret.get_absolute_url()
    assert [(x.order_line_id, x.quantity) for x in ret.lines.all()] == [(line.pk, 1)]
    label = user_client.get(reverse("checkout:return_label", args=[order.number, ret.code]))
    assert label.status_code == 200 and ret.code in label.content.decode()
    sent = user_client.post(ret.get_absolute_url(), {"tracking_code": "RR123"})
    assert sent.status_code == 302
    ret.refresh_from_db()
    assert ret.status == R.SENT
    detail = user_client.get(order.get_absolute_url()).content.decode()
    assert "Return parcel sent" in detail and "Post, tracking number" in detail


def test_bad_return_posts_are_400_with_messages(user_client, delivered, product):
    order = delivered((product, 1))
    line = order.lines.get()
    url = reverse("checkout:return", args=[order.number])
    nothing = user_client.post(url, {f"qty_{line.pk}": "0", "reason": "size", "kind": "refund"})
    assert nothing.status_code == 400 and "Choose at least one item to return." in nothing.content.decode()
    other = user_client.post(url, {f"qty_{line.pk}": "1", "reason": "other", "kind": "refund"})
    assert other.status_code == 400 and "Tell us briefly why" in other.content.decode()
    too_many = user_client.post(url, {f"qty_{line.pk}": "5", "reason": "size", "kind": "refund"})
    assert too_many.status_code == 400
    junk = user_client.post(url, {f"qty_{line.pk}": "x\x00", "reason": "nope", "kind": "?"})
    assert junk.status_code == 400


def test_return_pages_belong_to_their_shopper(client, other_user, delivered, product):
    order = delivered((product, 1))
    ret = ask(order)
    client.force_login(other_user)
    assert client.get(ret.get_absolute_url()).status_code == 404
    assert client.get(reverse("checkout:return_label", args=[order.number, ret.code])).status_code == 404
    assert client.get(reverse("checkout:return", args=[order.number])).status_code == 404
    assert client.get(f"/orders/{order.number}/returns/%00/label/").status_code == 404


def test_an_undelivered_order_sends_the_shopper_back(user_client, place, product):
    order, _ = place((product, 1))
    response = user_client.get(reverse("checkout:return", args=[order.number]))
    assert response.status_code == 302 and response["Location"] == order.get_absolute_url()


def test_the_product_page_states_the_return_window(client, product):
    html = client.get(product.get_absolute_url()).content.decode()
    assert "You can return it within 30 days of delivery." in html


# --- only their services write these statuses; the order's steps are lifecycle transitions ---------------

OWNERS = {
    "ReturnRequest": "storefront/checkout/returns.py",
    "Refund": "storefront/checkout/refunds.py",
    "Shipment": "storefront/checkout/fulfilment.py",
}


def test_return_refund_and_parcel_statuses_are_written_only_by_their_services():
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    offenders = []
    for path in sorted((root / "storefront").rglob("*.py")):
        relative = path.relative_to(root).as_posix()
        if "/migrations/" in relative:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            text = ""
            if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Attribute) and t.attr == "status" for t in node.targets
            ):
                text = ast.unparse(node)
            elif (
                isinstance(node, ast.Call)
                and any(k.arg == "status" for k in node.keywords)
                and getattr(node.func, "attr", "") in {"update", "create"}
            ):
                text = ast.unparse(node)
            for model, owner in OWNERS.items():
                if f"{model}.Status" in text and relative != owner:
                    offenders.append(f"{relative}:{node.lineno}: {text[:100]}")
    assert offenders == []


def test_the_timeline_shows_each_step_with_the_refunded_amount(user_client, delivered, product):
    order = delivered((product, 2))
    ret = ask(order, {order.lines.get().pk: 1})
    returns.receive(ret)
    returns.refund(ret)
    html = user_client.get(order.get_absolute_url()).content.decode()
    for step in [
        "Order placed",
        "Paid",
        "Shipped",
        "Delivered",
        "Return requested",
        "Return parcel received",
        "Partly refunded",
        "$3.50",
        "Return closed",
    ]:
        assert step in html, step
    history = html.split('aria-labelledby="history"')[1].split("</section>")[0]
    assert "-refund-" not in history and "$3.50" in history  # the amount, never the idempotency key


def test_the_product_page_states_a_changed_window_at_once(client, product):
    """The page cache keys on the catalogue version, which a category's save moves: a cached product page never
    promises the old return window."""
    url = product.get_absolute_url()
    assert "within 30 days of delivery" in client.get(url).content.decode()
    assert "within 30 days of delivery" in client.get(url).content.decode()  # now served from the cache
    product.category.return_days = 14
    product.category.save()
    page = client.get(url).content.decode()
    assert "within 14 days of delivery" in page and "within 30 days" not in page
