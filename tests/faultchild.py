"""A payment run in its own process, killed for real (SIGKILL) at a chosen point: the fault tests' victim.

    python tests/faultchild.py FLOW POINT ARG...

FLOW: checkout USER PRODUCT KEY TOKEN (placement.place_order + payments.collect) | oneclick USER PRODUCT KEY
(oneclick.buy) | wallet USER PRODUCT KEY (place, then payments.begin_redirect with Alipay) | family PAY_REQUEST
METHOD (family.services.approve with the payer's saved card).
POINT: before_commit (inside placement's transaction) | before_gateway (the order committed, the gateway not
called) | after_charge (the gateway charged, or the wallet began; our rows not yet updated) | none.
Not killed, it prints the order's status and exits 0. DATABASE_URL must point at the database to use.
"""

from __future__ import annotations

import os
import signal
import sys
from unittest import mock


def die() -> None:
    sys.stdout.flush()
    os.kill(os.getpid(), signal.SIGKILL)


def patches(point: str, flow: str) -> list:
    from storefront.checkout.gateways import get_gateway, get_redirect_gateway
    from storefront.checkout.models import OrderLine

    if point == "before_commit":
        return [mock.patch.object(OrderLine.objects, "bulk_create", side_effect=lambda *a, **k: die())]
    gateway = get_redirect_gateway("test_wallets").__class__ if flow == "wallet" else get_gateway().__class__
    name = "begin" if flow == "wallet" else "charge"
    original = getattr(gateway, name)
    if point == "before_gateway":
        return [mock.patch.object(gateway, name, lambda self, *a, **k: die())]
    if point == "after_charge":

        def charged_then_die(self, *args, **kwargs):
            try:
                original(self, *args, **kwargs)
            finally:  # a timeout or decline is also an answer the process never gets to write down
                die()

        return [mock.patch.object(gateway, name, charged_then_die)]
    assert point == "none", point
    return []


def run(flow: str, args: list[str]):
    from storefront.accounts.models import SavedPaymentMethod, User
    from storefront.checkout import oneclick, payments, placement
    from storefront.family import services as family
    from storefront.family.models import PayRequest
    from storefront.markets import payment_methods

    if flow == "family":
        pay_request = PayRequest.objects.get(pk=int(args[0]))
        method = SavedPaymentMethod.objects.get(pk=int(args[1]))
        return family.approve(pay_request=pay_request, payer=method.user, method=method).order
    user = User.objects.get(pk=int(args[0]))
    lines = [placement.WantedLine(int(args[1]), 1)]
    key = args[2]
    if flow == "oneclick":
        return oneclick.buy(user=user, lines=lines, idempotency_key=key)
    country = "CN" if flow == "wallet" else "US"
    order, _created = placement.place_order(
        user=user, lines=lines, address={"country": country}, idempotency_key=key
    )
    if flow == "wallet":
        payments.begin_redirect(order, payment_methods.get("alipay"), "/checkout/pay/return/")
        return order
    return payments.collect(order, args[3])


def main() -> None:
    flow, point, *args = sys.argv[1:]
    import django

    django.setup()
    from django.utils import translation

    translation.activate("en")
    installed = patches(point, flow)
    for patch in installed:
        patch.start()
    order = run(flow, args)
    order.refresh_from_db()
    print(f"survived {order.number} {order.status}")


if __name__ == "__main__":
    main()
