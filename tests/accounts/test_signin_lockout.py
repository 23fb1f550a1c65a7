"""Sign-in protection that cannot be turned against shoppers (issue 18): django-axes locks a username *at one
address* (5 wrong passwords -> an hour), one address is slowed (not locked) after many failures across
usernames, and a locked-out shopper is told what happened and offered a reset by e-mail."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from storefront.accounts import signin_throttle

LOGIN = "/account/signin/"


def attempt(client, username: str, password: str, address: str, **extra):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address, **extra)


def signed_in(response) -> bool:
    return response.status_code == 302 and response["Location"] == reverse("accounts:account")


def test_one_wrong_try_from_each_of_seven_addresses_does_not_lock_her_out(client, user, password):
    for n in range(1, 8):
        assert attempt(client, "alice", "wrong", f"203.0.113.{n}").status_code == 200
    assert signed_in(attempt(client, "alice", password, "198.51.100.8"))


def test_four_wrong_tries_from_each_of_many_addresses_still_do_not_lock_her_out(client, user, password):
    for n in range(1, 8):
        for _ in range(4):
            assert attempt(client, "alice", "wrong", f"203.0.113.{n}").status_code == 200
    assert signed_in(attempt(client, "alice", password, "198.51.100.8"))


def test_six_wrong_tries_on_one_user_do_not_block_others_behind_the_same_address(
    client, user, other_user, password
):
    office = "192.0.2.10"
    statuses = [attempt(client, "bob", "wrong", office).status_code for _ in range(6)]
    assert statuses == [200, 200, 200, 200, 429, 429]
    assert signed_in(attempt(client, "alice", password, office))


def test_the_fifth_wrong_password_answers_429_with_an_explanation_and_a_reset_link(client, user):
    for _ in range(4):
        assert attempt(client, "alice", "wrong", "192.0.2.1").status_code == 200
    response = attempt(client, "alice", "wrong", "192.0.2.1")
    assert response.status_code == 429
    assert int(response["Retry-After"]) == 3600
    html = response.content.decode()
    assert "<h1>Too many sign-in attempts</h1>" in html
    assert "paused for an hour" in html and "from this network" in html
    assert f'href="{reverse("accounts:password_reset")}"' in html


def test_a_locked_combination_refuses_even_the_right_password_for_an_hour(
    client, user, password, clock, monkeypatch
):
    for where in ("axes.attempts.now", "axes.handlers.proxy.now"):  # axes imports `now` by name
        monkeypatch.setattr(where, lambda: clock.now)
    for _ in range(5):
        attempt(client, "alice", "wrong", "192.0.2.1")
    assert attempt(client, "alice", password, "192.0.2.1").status_code == 429
    assert signed_in(attempt(client, "alice", password, "192.0.2.2"))  # elsewhere she still signs in
    client.logout()
    clock.advance(minutes=61)
    assert signed_in(attempt(client, "alice", password, "192.0.2.1"))


@pytest.mark.parametrize("slug", ["standard", "elder", "screen-reader", "cross-border"])
def test_the_locked_out_page_is_a_whole_page_in_every_edition(client, user, assert_edition_page, slug):
    client.cookies["edition"] = slug
    for _ in range(5):
        response = attempt(client, "alice", "wrong", "192.0.2.1")
    assert response.status_code == 429
    html = assert_edition_page(response, slug)
    assert "<main" in html and "Reset your password" in html


def test_a_password_reset_lifts_the_lock(client, user):
    for _ in range(5):
        attempt(client, "alice", "wrong", "192.0.2.1")
    client.post(reverse("accounts:password_reset"), {"email": "alice@example.com"}, REMOTE_ADDR="192.0.2.1")
    link = re.search(r"https?://[^/\s]+(/account/password-reset/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True, REMOTE_ADDR="192.0.2.1")
    set_password_url = form_page.redirect_chain[-1][0]
    done = client.post(
        set_password_url,
        {"new_password1": "a-New-pass-42!", "new_password2": "a-New-pass-42!"},
        REMOTE_ADDR="192.0.2.1",
    )
    assert done.status_code == 302
    assert signed_in(attempt(client, "alice", "a-New-pass-42!", "192.0.2.1"))


# --- one address, many usernames: slowed, never locked -----------------------------------------------------


def test_many_failures_from_one_address_slow_it_down_without_locking(client, make_user, password, clock):
    address = "192.0.2.50"
    shoppers = [make_user(f"person{n}") for n in range(signin_throttle.FREE_FAILURES + 1)]
    for shopper in shoppers[:-1]:
        assert attempt(client, shopper.username, "wrong", address).status_code == 200
    assert attempt(client, shoppers[-1].username, "wrong", address).status_code == 200  # one past the budget
    slowed = attempt(client, shoppers[-1].username, password, address)
    assert slowed.status_code == 429
    assert int(slowed["Retry-After"]) == signin_throttle.DELAY
    html = slowed.content.decode()
    assert "Please wait" in html and f'href="{reverse("accounts:password_reset")}"' in html
    assert signed_in(attempt(client, shoppers[-1].username, password, "192.0.2.51"))  # other addresses: fine
    client.logout()
    clock.advance(seconds=signin_throttle.DELAY + 1)
    assert signed_in(attempt(client, shoppers[-1].username, password, address))  # waited: not locked


def test_a_slowed_attempt_is_not_checked_at_all(client, user, make_user, clock):
    address = "192.0.2.60"
    for n in range(signin_throttle.FREE_FAILURES + 1):
        attempt(client, f"nobody{n}", "wrong", address)
    from axes.models import AccessAttempt

    before = AccessAttempt.objects.filter(username="alice").count()
    assert attempt(client, "alice", "guess", address).status_code == 429
    assert AccessAttempt.objects.filter(username="alice").count() == before  # no guess reached the password


def test_successes_do_not_count_against_the_address(client, user, password):
    for _ in range(signin_throttle.FREE_FAILURES + 5):
        assert signed_in(attempt(client, "alice", password, "192.0.2.70"))
        client.logout()


def test_a_get_of_the_sign_in_page_is_never_slowed(client, make_user, clock):
    for n in range(signin_throttle.FREE_FAILURES + 1):
        attempt(client, f"nobody{n}", "wrong", "192.0.2.80")
    assert client.get(LOGIN, REMOTE_ADDR="192.0.2.80").status_code == 200
