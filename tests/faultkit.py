"""The money-and-stock invariant for the fault tests, and the tools that inject the faults.

`check(baseline, now=...)` reads the gateways' own ledgers (card and wallet) and the orders and returns a report;
`assert_invariant` fails the test with every broken rule listed. The rules:
- every successful charge belongs to an order; every successful refund gives back a known charge, never more
  than was charged (a whole-charge refund of a late or double charge, or an order's refund, partial or full);
- per order, the money the gateways kept (charges minus what their refunds gave back) is exactly what the
  shop's books say it keeps: the order's total minus its succeeded refunds for an order that was paid (paid,
  shipped, delivered, refunded), nothing for any other; at most one charge keeps money;
- the shop's refunds and the gateways' agree: a succeeded refund is in a ledger with the same amount, a ledger
  refund of an order is in the shop's books, and no refund still waits for the gateway past its retry time;
- no order that ended unpaid (payment_failed, cancelled, expired) still holds stock, and no live order has
  given its stock back;
- per product: stock on the shelf + units held by orders == the stock it started with (`baseline()`); units of
  a received (restocked) return are back on the shelf, no longer held;
- nothing is stranded: no order waits for payment past its reconcile time.

Ledger models are found by class name across the installed apps (they may move between apps).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections import Counter, defaultdict
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from django.apps import apps
from django.db import connection
from django.db.models import Q, Sum
from django.utils import timezone

from storefront.catalog.models import Product
from storefront.checkout import lifecycle
from storefront.checkout.models import Order, OrderLine, Refund, ReturnLine

S = Order.Status
PAID_LIKE = frozenset({S.PAID, S.SHIPPED, S.DELIVERED})
KEEPS_MONEY = PAID_LIKE | {S.REFUNDED}  # was paid: keeps its total less what its refunds gave back
LIVE = frozenset({S.PENDING_PAYMENT, S.AWAITING_FAMILY}) | PAID_LIKE
UNPAID_ENDS = frozenset({S.PAYMENT_FAILED, S.CANCELLED, S.EXPIRED})
CHARGE_KEY = re.compile(r"^order-(?P<number>[A-Z0-9]+)-charge(?:-\d+)?$")
ORDER_REFUND_KEY = re.compile(r"^order-(?P<number>[A-Z0-9]+)-refund-.+$")
HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def ledger_model(name: str):
    """A sandbox gateway ledger model (SandboxCardCharge, SandboxWalletCharge), found by its name."""
    for model in apps.get_models():
        if model.__name__ == name:
            return model
    raise LookupError(f"no model named {name}")


def baseline() -> dict[int, int]:
    """Per product: stock on the shelf + units held by orders. Take it before the faults; it must not change."""
    held = held_units()
    return {pk: stock + held.get(pk, 0) for pk, stock in Product.objects.values_list("pk", "stock")}


def held_units() -> dict[int, int]:
    """Units per product in orders that still hold their stock: live orders, and refunded (returned) orders,
    less the units of their returns already received and put back on the shelf."""
    holding = Q(order__status__in=LIVE) | Q(order__status=S.REFUNDED, order__stock_released=False)
    rows = (
        OrderLine.objects.exclude(product=None)
        .filter(holding)
        .values("product_id")
        .annotate(units=Sum("quantity"))
    )
    held = Counter({row["product_id"]: row["units"] for row in rows})
    back = (
        ReturnLine.objects.filter(return_request__restocked=True)
        .exclude(order_line__product=None)
        .filter(
            Q(order_line__order__status__in=LIVE)
            | Q(order_line__order__status=S.REFUNDED, order_line__order__stock_released=False)
        )
        .values("order_line__product_id")
        .annotate(units=Sum("quantity"))
    )
    held.subtract({row["order_line__product_id"]: row["units"] for row in back})
    return dict(held)


def _charges() -> tuple[list[dict], list[dict]]:
    """(successful charges, successful refunds) from both ledgers, as plain dicts."""
    charges, refunds = [], []
    card = ledger_model("SandboxCardCharge")
    for row in card.objects.filter(succeeded=True):
        entry = {
            "ledger": "card",
            "key": row.idempotency_key,
            "reference": row.reference,
            "amount": row.amount,
            "refund_of": row.original,
        }
        (charges if row.kind == "charge" else refunds).append(entry)
    wallet = ledger_model("SandboxWalletCharge")
    for row in wallet.objects.filter(status="succeeded"):
        entry = {
            "ledger": "wallet",
            "key": row.idempotency_key,
            "reference": row.reference,
            "amount": row.amount,
            "refund_of": row.refund_of,
        }
        (charges if row.kind == "charge" else refunds).append(entry)
    return charges, refunds


def _refunded_charge(
    refund: dict, charges: list[dict], numbers: dict[str, str], taken: set[str]
) -> str | None:
    """The reference of the charge a refund gives back: by the wallet's `refund_of`, by the charge's own key
    (`<charge key>-refund`), or, for an order-level refund, the order's first charge not yet matched."""
    if refund.get("refund_of"):
        return refund["refund_of"]
    key = refund["key"]
    for charge in charges:
        if charge["ledger"] == refund["ledger"] and key == f"{charge['key']}-refund":
            return charge["reference"]
    match = ORDER_REFUND_KEY.match(key)
    if match:
        for charge in charges:
            if (
                charge["ledger"] == refund["ledger"]
                and numbers.get(charge["reference"]) == match["number"]
                and charge["reference"] not in taken
            ):
                return charge["reference"]
    return None


def _refund_books(refunds: list[dict], now: datetime) -> list[str]:
    """The shop's refunds against the gateways' ledgers, by idempotency key and amount."""
    problems = []
    ledger = {refund["key"]: Decimal(refund["amount"]) for refund in refunds}
    books = {row.idempotency_key: row for row in Refund.objects.all()}
    for key, row in books.items():
        if row.status == Refund.Status.SUCCEEDED and ledger.get(key) != row.amount:
            problems.append(
                f"refund {key} succeeded in the shop's books ({row.amount}) but the gateway gave back "
                f"{ledger.get(key, 'nothing')}"
            )
        if row.status == Refund.Status.FAILED and key in ledger:
            problems.append(
                f"refund {key} failed in the shop's books but the gateway gave back {ledger[key]}"
            )
        if row.status == Refund.Status.UNKNOWN and (row.retry_after is None or row.retry_after <= now):
            problems.append(f"refund {key} still waits for the gateway's answer")
    for key in ledger:
        if ORDER_REFUND_KEY.match(key) and key not in books:
            problems.append(
                f"the gateway gave back {ledger[key]} by {key}, which the shop's books do not know"
            )
    return problems


def stranded(now: datetime | None = None):
    """Orders still waiting for payment after their time to be settled has passed."""
    now = now or timezone.now()
    return Order.objects.filter(status=S.PENDING_PAYMENT).filter(
        Q(reconcile_after__lte=now)
        | Q(reconcile_after__isnull=True, placed_at__lte=now - lifecycle.payment_grace())
    )


def check(initial: dict[int, int] | None = None, *, now: datetime | None = None) -> dict:
    """Check the invariant (see the module docstring); returns a report: counts and the list of violations."""
    now = now or timezone.now()
    problems: list[str] = []
    charges, refunds = _charges()
    numbers = {}
    for charge in charges:
        match = CHARGE_KEY.match(charge["key"])
        numbers[charge["reference"]] = match["number"] if match else ""
    given_back: Counter[str] = Counter()  # charge reference -> amount its refunds gave back
    whole: Counter[str] = Counter()  # charge reference -> refunds of the whole charge (not an order's refund)
    amounts = {charge["reference"]: Decimal(charge["amount"]) for charge in charges}
    for refund in refunds:
        reference = _refunded_charge(refund, charges, numbers, set(whole))
        if reference is None:
            problems.append(f"refund {refund['key']} gives back no known charge")
            continue
        given_back[reference] += Decimal(refund["amount"])
        if not ORDER_REFUND_KEY.match(refund["key"]):
            whole[reference] += 1
    for reference, times in whole.items():
        if times > 1:
            problems.append(f"charge {reference} refunded {times} times")
    for reference, back in given_back.items():
        if back > amounts[reference]:
            problems.append(
                f"charge {reference} gave back {back}, more than the {amounts[reference]} charged"
            )
    orders = {o.number: o for o in Order.objects.all()}
    kept: dict[str, list[str]] = defaultdict(list)  # order number -> charges that keep money
    kept_money: Counter[str] = Counter()
    for charge in charges:
        number = numbers[charge["reference"]]
        left = amounts[charge["reference"]] - given_back[charge["reference"]]
        if number not in orders:
            problems.append(f"charge {charge['key']} belongs to no order")
        elif left > 0:
            kept[number].append(charge["key"])
            kept_money[number] += left
    problems += _refund_books(refunds, now)
    shop_refunded = Counter()
    for row in Refund.objects.filter(status=Refund.Status.SUCCEEDED).values("order__number", "amount"):
        shop_refunded[row["order__number"]] += row["amount"]
    for number, order in orders.items():
        paid = order.status in KEEPS_MONEY
        want = (order.total - shop_refunded[number]) if paid else Decimal(0)
        if len(kept[number]) > 1 or (paid and want > 0 and not kept[number]) or kept_money[number] != want:
            problems.append(
                f"order {number} is {order.status}: the gateways keep {kept_money[number]} in "
                f"{len(kept[number])} charges ({', '.join(kept[number]) or 'none'}), the shop's books "
                f"say {want} in {1 if want else 0}"
            )
        if order.status in UNPAID_ENDS and not order.stock_released:
            problems.append(f"order {number} is {order.status} but still holds its stock")
        if order.status in LIVE and order.stock_released:
            problems.append(f"order {number} is {order.status} but gave its stock back")
    stock = dict(Product.objects.values_list("pk", "stock"))
    if initial is not None:
        held = held_units()
        for pk, start in initial.items():
            now_total = stock.get(pk, 0) + held.get(pk, 0)
            if now_total != start:
                problems.append(f"product {pk}: stock {stock.get(pk)} + held {held.get(pk, 0)} != {start}")
            if stock.get(pk, 0) < 0:
                problems.append(f"product {pk}: negative stock {stock[pk]}")
    left = list(stranded(now).values_list("number", flat=True))
    problems += [f"order {number} stranded in pending_payment" for number in left]
    by_status = Counter(o.status for o in orders.values())
    return {
        "orders": len(orders),
        "by_status": dict(sorted(by_status.items())),
        "charges": len(charges),
        "refunds": len(refunds),
        "stranded": len(left),
        "problems": problems,
    }


def assert_invariant(
    initial: dict[int, int] | None = None, *, now: datetime | None = None, label: str = ""
) -> dict:
    """Check, print the counts (quoted in the issue's note), and fail listing every broken rule."""
    report = check(initial, now=now)
    counts = {k: v for k, v in report.items() if k != "problems"}
    print(f"\n[faults] {label}: {counts}")
    assert not report["problems"], "invariant broken:\n" + "\n".join(report["problems"])
    return report


# --- child processes killed for real ------------------------------------------------------------------------


def child_env() -> dict[str, str]:
    """The environment for a child Django process on the pytest test database (committed data only: use in
    `transaction=True` tests)."""
    settings = connection.settings_dict
    url = (
        f"postgres://{settings['USER'] or 'postgres'}"
        f"{':' + settings['PASSWORD'] if settings['PASSWORD'] else ''}"
        f"@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}/{settings['NAME']}"
    )
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "storefront.settings",
        "PAYMENT_SANDBOX": "True",  # the children pay through the sandbox gateways, DEBUG or not
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(HERE)]),
        "CONN_MAX_AGE": "0",
    }
    env.pop("PYTEST_CURRENT_TEST", None)
    return env


def run_children(*runs: tuple, timeout: float = 90) -> list[subprocess.CompletedProcess]:
    """Run tests/faultchild.py once per (flow, point, *args), all at once; returns the finished processes in the
    same order (returncode -9: killed as planned)."""
    started = [
        (
            subprocess.Popen(
                [sys.executable, str(HERE / "faultchild.py"), *map(str, run)],
                env=child_env(),
                cwd=ROOT,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            ),
            run,
        )
        for run in runs
    ]
    done = []
    for process, run in started:
        out, err = process.communicate(timeout=timeout)
        done.append(subprocess.CompletedProcess(run, process.returncode, out, err))
    return done


KILLED = -9  # the child's returncode when it died by SIGKILL
