"""The HTML validity gate: the W3C Nu HTML checker (vnu-jar) on every page type in every edition, signed out
and signed in, with 0 errors. Pages are fetched with the Django test client, saved, and checked in one batch
(one JVM start). Disagreements between the checker and ARIA in HTML live in vnu-exceptions.txt, each with its
reason; nothing else belongs there.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.test import Client

sys.path.insert(0, str(Path(__file__).parent.parent / "tools"))
from checkers import excepted, load_exceptions, run_vnu  # noqa: E402
from pagewalk import walk  # noqa: E402

pytestmark = pytest.mark.validator

EDITIONS = ["standard", "elder", "screen-reader", "cross-border"]
EXCEPTIONS = Path(__file__).parent / "vnu-exceptions.txt"


@pytest.fixture
def world(db, make_user, make_address, make_saved_card):
    """A seeded catalogue (no images), the shopper with an address, a card and an order, and a family payer
    asked to pay for a cart."""
    from django.core.management import call_command

    from storefront.catalog.models import Product
    from storefront.checkout import placement
    from storefront.family import services as family

    call_command("seed_demo", limit=12, no_images=True, stdout=io.StringIO())
    products = list(Product.objects.filter(category__slug="fruit").order_by("id"))
    Product.objects.filter(pk=products[0].pk).update(stock=20)
    Product.objects.filter(pk=products[3].pk).update(stock=0)
    user = make_user("validator", first_name="Val")
    address = make_address(user)
    make_saved_card(user, is_default=True)
    order, _ = placement.place_order(
        user=user,
        lines=[placement.WantedLine(products[1].pk, 1)],
        address=address.as_snapshot(),
        idempotency_key="validator-order",
        payment_method_label="Visa •••• 4242",
    )
    payer = make_user("valpayer", first_name="Pat")
    make_saved_card(payer, is_default=True)
    invite = family.create_invite(payer=payer)
    family.accept_invite(code=invite.invite_code, beneficiary=user)
    pay_request, _ = family.ask_to_pay(
        beneficiary=user, lines=[placement.WantedLine(products[0].pk, 1)], address=address.as_snapshot()
    )
    link = family.active_link_for(user)
    basket = family.prepare_basket(link=link, payer=payer, lines=[placement.WantedLine(products[1].pk, 1)])
    confirmed = family.prepare_basket(link=link, payer=payer, lines=[placement.WantedLine(products[1].pk, 2)])
    confirmed = family.confirm_basket(basket=confirmed, beneficiary=user, address=address.as_snapshot())
    return SimpleNamespace(
        product=products[0],
        other=products[1],
        sold_out=products[3],
        category="fruit",
        user=user,
        address=address,
        order=order,
        payer=payer,
        pay_request=pay_request,
        basket=basket,
        confirmed=confirmed,
    )


def test_every_page_of_every_edition_is_valid_html(world, tmp_path):
    files: dict[str, str] = {}
    for edition in EDITIONS:
        for label, html in walk(Client(), edition, world):
            path = tmp_path / f"page{len(files):03d}.html"
            path.write_text(html)
            files[path.name] = label
    assert len(files) >= 4 * 30
    exceptions = load_exceptions(EXCEPTIONS)
    errors = [
        m
        for m in run_vnu([tmp_path / name for name in files])
        if not excepted(m.get("message", ""), exceptions)
    ]
    report = [
        f"{files.get(m.get('url', '').rsplit('/', 1)[-1], m.get('url'))} line {m.get('lastLine')}: {m.get('message')}"
        f" | {(m.get('extract') or '').strip()[:120]}"
        for m in errors
    ]
    assert not report, f"{len(report)} HTML error(s):\n" + "\n".join(report)
