"""The "Customers also bought" table: counted from paid orders by the scheduled task, replaced on each run."""

from __future__ import annotations

from django.conf import settings

from storefront.catalog.models import BoughtTogether
from storefront.checkout import tasks
from storefront.checkout.models import Order


def pairs() -> dict[tuple[str, str], int]:
    return {
        (row.product.name, row.other.name): row.orders
        for row in BoughtTogether.objects.select_related("product", "other")
    }


def test_pairs_are_counted_from_paid_orders_only(place, make_product):
    apples, pears, milk, beef = (make_product(n) for n in ("Apples", "Pears", "Milk", "Beef"))
    for status, lines in (
        (Order.Status.PAID, [(apples, 1), (pears, 2)]),
        (Order.Status.DELIVERED, [(apples, 1), (pears, 1), (milk, 1)]),
        (Order.Status.CANCELLED, [(apples, 1), (beef, 1)]),
        (Order.Status.PENDING_PAYMENT, [(milk, 1), (beef, 1)]),
    ):
        order, _new = place(*lines)
        Order.objects.filter(pk=order.pk).update(status=status)
    assert tasks.compute_bought_together() == 6
    found = pairs()
    assert found[("Apples", "Pears")] == found[("Pears", "Apples")] == 2
    assert found[("Milk", "Apples")] == 1
    assert not [pair for pair in found if "Beef" in pair]  # only in cancelled and unpaid orders


def test_a_rerun_replaces_the_table(place, make_product):
    apples, pears = make_product("Apples"), make_product("Pears")
    order, _new = place((apples, 1), (pears, 1))
    Order.objects.filter(pk=order.pk).update(status=Order.Status.PAID)
    tasks.compute_bought_together()
    Order.objects.filter(pk=order.pk).update(status=Order.Status.REFUNDED)
    assert tasks.compute_bought_together() == 0 and not BoughtTogether.objects.exists()


def test_the_scheduler_runs_it():
    jobs = {job["task"] for job in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "checkout.compute_bought_together" in jobs
