"""Share codes cannot be guessed (issue 17): wrong codes are limited per account and per address, a person's
mistype or two is never punished, and a blocked try is told plainly and not looked up at all."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from storefront.family import services, share_code_guard
from storefront.family.models import FamilyLink

URL = "family:enter_code"


@pytest.fixture
def her_code(make_user) -> FamilyLink:
    return services.ask_for_help(beneficiary=make_user("grandma_kim", display_name="Soon-ja"))


def client_for(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def send(client: Client, code: str, address: str = "203.0.113.7"):
    return client.post(reverse(URL), {"code-code": code}, REMOTE_ADDR=address)


def test_two_mistypes_then_the_right_code_opens_the_link(make_user, her_code):
    him = client_for(make_user("son"))
    assert send(him, "ZZZZ-ZZZZ").status_code == 400
    assert send(him, "ZZZZ-ZZZY").status_code == 400
    opened = send(him, her_code.share_code)
    assert opened.status_code == 302 and opened["Location"] == reverse(
        "family:join", args=[her_code.invite_code]
    )


def test_an_account_guessing_is_stopped_even_with_the_right_code(make_user, her_code):
    guesser = client_for(make_user("guesser"))
    for _ in range(share_code_guard.ACCOUNT_LIMIT):
        assert send(guesser, "ZZZZ-ZZZZ").status_code == 400
    blocked = send(guesser, her_code.share_code)
    assert blocked.status_code == 429
    assert blocked["Retry-After"] == str(share_code_guard.WINDOW)
    page = blocked.content.decode()
    assert "Too many codes did not match" in page and "15 minutes" in page
    assert reverse("family:join", args=[her_code.invite_code]) not in page
    # from another address the same account is still stopped: the count is the account's
    assert send(guesser, her_code.share_code, address="198.51.100.9").status_code == 429
    # someone else, elsewhere, is not affected
    other = send(client_for(make_user("daughter")), her_code.share_code, address="198.51.100.20")
    assert other.status_code == 302


def test_an_address_spreading_guesses_over_accounts_is_stopped(make_user, her_code):
    per_account = share_code_guard.ACCOUNT_LIMIT - 1
    accounts = -(-share_code_guard.ADDRESS_LIMIT // per_account)
    for n in range(accounts):
        robot = client_for(make_user(f"robot{n}"))
        for _ in range(per_account):
            send(robot, "ZZZZ-ZZZZ")
    fresh = client_for(make_user("fresh_robot"))
    assert send(fresh, her_code.share_code).status_code == 429
    # the same fresh account from its own address gets through
    assert send(fresh, her_code.share_code, address="192.0.2.44").status_code == 302


def test_right_codes_do_not_count(make_user, make_saved_card):
    him = client_for(make_user("helper"))
    for n in range(share_code_guard.ACCOUNT_LIMIT + 2):
        link = services.ask_for_help(beneficiary=make_user(f"elder{n}"))
        assert send(him, link.share_code).status_code == 302
