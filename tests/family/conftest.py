"""Family payment fixtures: a payer (Pat) linked to a beneficiary (Alice, the shared `user`), with a card."""

from __future__ import annotations

import pytest
from django.test import Client


@pytest.fixture
def payer(make_user):
    return make_user("pat", first_name="Pat", last_name="Parent")


@pytest.fixture
def payer_card(payer, make_saved_card):
    return make_saved_card(payer, is_default=True)


@pytest.fixture
def link(payer, user):
    from storefront.family import services

    invite = services.create_invite(payer=payer)
    return services.accept_invite(code=invite.invite_code, beneficiary=user)


@pytest.fixture
def payer_client(payer):
    client = Client()
    client.force_login(payer)
    return client


@pytest.fixture
def ask(link, user, address):
    """Ask the payer to pay for (product, quantity) pairs; returns (pay_request, created)."""
    from storefront.checkout import placement
    from storefront.family import services

    def make(*pairs, note: str = ""):
        lines = [placement.WantedLine(p.pk, q) for p, q in pairs]
        return services.ask_to_pay(beneficiary=user, lines=lines, address=address.as_snapshot(), note=note)

    return make
