"""Fault tests: the process paying for an order dies (SIGKILL, a real process) at each point of the payment,
then the reconciler runs with the grace passed; the money-and-stock invariant holds, nothing is stranded, and a
second run changes nothing (stock comes back exactly once).

Kill points: inside placement's transaction (before it commits), after the order committed and before the
gateway call, and after the gateway charged (or the wallet began) before our payment row was updated. The
victim is tests/faultchild.py, on the pytest test database (hence `transaction=True`: it sees committed rows).
"""

from __future__ import annotations

from datetime import timedelta

import faultkit
import pytest
from django.utils import timezone

from storefront.catalog.models import Product
from storefront.checkout import reconciler
from storefront.checkout.models import Order, Payment

pytestmark = [pytest.mark.postgres, pytest.mark.faults, pytest.mark.django_db(transaction=True)]

POINTS = ("before_commit", "before_gateway", "after_charge")
LATER = timedelta(minutes=31)  # past the card grace and the 30 minutes a wallet page stays open


def reconcile_twice(initial: dict[int, int], label: str) -> dict:
    """Reconcile with the grace passed, check, reconcile again: nothing moves the second time."""
    later = timezone.now() + LATER
    reconciler.run(now=later)
    report = faultkit.assert_invariant(initial, now=later, label=label)
    stock = dict(Product.objects.values_list("pk", "stock"))
    assert reconciler.run(now=later + LATER) == 0
    assert dict(Product.objects.values_list("pk", "stock")) == stock, "stock released twice"
    faultkit.assert_invariant(initial, now=later + LATER, label=f"{label}, reconciled again")
    return report


def order_for(key: str) -> Order | None:
    return Order.objects.filter(idempotency_key=key).first()


def assert_killed(done) -> None:
    for process in done:
        assert process.returncode == faultkit.KILLED, (
            process.args,
            process.returncode,
            process.stderr[-2000:],
        )


@pytest.mark.parametrize("flow", ["checkout", "oneclick"])
def test_card_payment_killed_at_each_point(flow, make_user, make_product, make_address, make_saved_card):
    product = make_product("Killable Kiwis", stock=10)
    shoppers = [make_user() for _ in POINTS]
    cards = []
    for shopper in shoppers:
        make_address(shopper, is_default=True)
        cards.append(make_saved_card(shopper, is_default=True))
    initial = faultkit.baseline()
    keys = [f"oneclick-kill-{flow}-{point}".replace("_", "-") for point in POINTS]
    runs = [
        (flow, point, shopper.pk, product.pk, key, *([card.token] if flow == "checkout" else []))
        for point, shopper, key, card in zip(POINTS, shoppers, keys, cards)
    ]
    assert_killed(faultkit.run_children(*runs))

    assert order_for(keys[0]) is None  # the placement rolled back with the process
    assert order_for(keys[1]).status == Order.Status.PENDING_PAYMENT
    assert order_for(keys[1]).payments.get().status == Payment.Status.UNKNOWN  # written before the call
    assert order_for(keys[2]).status == Order.Status.PENDING_PAYMENT

    report = reconcile_twice(initial, f"kill during {flow} x{len(POINTS)}")
    assert report["charges"] == 1 and report["refunds"] == 0
    not_charged, charged = order_for(keys[1]), order_for(keys[2])
    assert not_charged.status == Order.Status.EXPIRED and not_charged.stock_released
    assert not_charged.payments.get().status == Payment.Status.CANCELLED
    assert charged.status == Order.Status.PAID
    assert charged.payments.get().status == Payment.Status.SUCCEEDED
    assert Product.objects.get(pk=product.pk).stock == 9


def test_wallet_payment_killed_after_it_began(make_user, make_product):
    """Killed after the wallet began: the shopper never comes back (closed after 30 minutes, stock back), or
    confirms on the provider's page anyway (paid). Killed before it began: closed the same way."""
    from storefront.sandbox import wallets as test_wallets

    product = make_product("Wallet Walnuts", stock=10)
    shoppers = [make_user() for _ in range(3)]
    initial = faultkit.baseline()
    keys = ["wallet-kill-abandoned-000", "wallet-kill-confirmed-000", "wallet-kill-before-begin"]
    points = ["after_charge", "after_charge", "before_gateway"]
    assert_killed(
        faultkit.run_children(
            *[
                ("wallet", point, shopper.pk, product.pk, key)
                for point, shopper, key in zip(points, shoppers, keys)
            ]
        )
    )
    wallet = faultkit.ledger_model("SandboxWalletCharge")
    confirmed = order_for(keys[1])
    assert wallet.objects.filter(kind="charge").count() == 2
    charge = wallet.objects.get(idempotency_key=f"order-{confirmed.number}-charge")
    test_wallets.settle(
        charge.reference, wallet.Status.SUCCEEDED
    )  # the shopper confirms on the provider's page

    report = reconcile_twice(initial, "kill after wallet began x3")
    assert report["charges"] == 1
    assert order_for(keys[0]).status == Order.Status.EXPIRED
    assert order_for(keys[2]).status == Order.Status.EXPIRED
    assert confirmed.refresh_from_db() is None and confirmed.status == Order.Status.PAID
    assert (
        wallet.objects.get(idempotency_key=f"order-{order_for(keys[0]).number}-charge").status == "cancelled"
    )
    assert Product.objects.get(pk=product.pk).stock == 9


def test_family_approval_killed(make_user, make_product, make_address, make_saved_card):
    """The payer's approval dies after the charge (the reconciler finds it: paid, the request approved) or
    before the gateway call (nothing charged: the order expires, the request is cancelled, stock back)."""
    from storefront.checkout import placement
    from storefront.family import services
    from storefront.family.models import PayRequest

    product = make_product("Family Figs", stock=10)
    requests, cards = [], []
    for _ in range(2):
        payer, child = make_user(), make_user()
        services.accept_invite(code=services.create_invite(payer=payer).invite_code, beneficiary=child)
        cards.append(make_saved_card(payer, is_default=True))
        pay_request, _created = services.ask_to_pay(
            beneficiary=child,
            lines=[placement.WantedLine(product.pk, 1)],
            address=make_address(child).as_snapshot(),
        )
        requests.append(pay_request)
    initial = faultkit.baseline()
    assert_killed(
        faultkit.run_children(
            ("family", "after_charge", requests[0].pk, cards[0].pk),
            ("family", "before_gateway", requests[1].pk, cards[1].pk),
        )
    )

    report = reconcile_twice(initial, "kill during family approval x2")
    assert report["charges"] == 1
    charged, not_charged = (PayRequest.objects.select_related("order").get(pk=r.pk) for r in requests)
    assert charged.order.status == Order.Status.PAID and charged.status == PayRequest.Status.APPROVED
    assert (
        not_charged.order.status == Order.Status.EXPIRED and not_charged.status == PayRequest.Status.CANCELLED
    )
    assert Product.objects.get(pk=product.pk).stock == 9


def test_charge_landing_after_the_reconciler_closed_the_order(make_user, make_product, make_saved_card):
    """The paying process stalls after committing the order (past the grace: the reconciler closes it, nothing
    charged yet), then its charge reaches the gateway and the process dies before writing anything. The late
    money must still be given back: the reconciler looks once more after closing an order it found uncharged."""
    from storefront.checkout import payments
    from storefront.checkout.gateways.base import ChargeRequest

    product = make_product("Late Limes", stock=10)
    shopper = make_user()
    card = make_saved_card(shopper)
    initial = faultkit.baseline()
    key = "late-charge-after-expiry"
    assert_killed(
        faultkit.run_children(("checkout", "before_gateway", shopper.pk, product.pk, key, card.token))
    )
    later = timezone.now() + LATER
    assert reconciler.run(now=later) == 1
    order = order_for(key)
    assert order.status == Order.Status.EXPIRED
    payments.get_gateway().charge(
        ChargeRequest(card.token, order.total, order.currency, payments.charge_key(order))
    )  # the stalled request's charge
    reconciler.run(now=later + LATER)
    report = faultkit.assert_invariant(initial, now=later + LATER, label="late charge after expiry")
    assert (report["charges"], report["refunds"]) == (1, 1)
    order.refresh_from_db()
    assert order.status == Order.Status.EXPIRED
