"""Account pages: sign-up, sign-in by username or email, addresses, saved cards, password reset."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from storefront.accounts.models import Address, SavedPaymentMethod


def test_signup_signs_in_and_redirects_safely(client, db, django_user_model):
    response = client.post(
        reverse("accounts:signup"),
        {
            "username": "newbie",
            "display_name": "Newbie",
            "email": "new@example.com",
            "password1": "a-Long-pass-9!",
            "password2": "a-Long-pass-9!",
            "next": "https://evil.example/",
        },
    )
    assert response.status_code == 302 and response["Location"] == reverse("accounts:account")
    assert django_user_model.objects.filter(username="newbie").exists()
    assert client.get(reverse("accounts:account")).status_code == 200


def test_signup_errors_are_shown(client, db):
    response = client.post(reverse("accounts:signup"), {"username": "", "email": "nope"})
    assert response.status_code == 400
    assert "Enter a valid email address." in response.content.decode()


@pytest.mark.parametrize("login_name", ["alice", "ALICE@example.com"])
def test_sign_in_with_username_or_email(client, user, password, login_name):
    response = client.post(reverse("accounts:login"), {"username": login_name, "password": password})
    assert response.status_code == 302
    assert client.get(reverse("accounts:account")).status_code == 200


def test_wrong_password_is_refused(client, user):
    response = client.post(reverse("accounts:login"), {"username": "alice", "password": "wrong"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("name", ["account", "addresses"])
def test_account_pages_need_sign_in(client, db, name):
    response = client.get(reverse(f"accounts:{name}"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_add_address_first_one_is_default(user_client, user):
    response = user_client.post(
        reverse("accounts:addresses"),
        {
            "full_name": "Alice Archer",
            "street_address": "1600 Amphitheatre Pkwy",
            "city": "Mountain View",
            "country_area": "CA",
            "postal_code": "94043",
            "country": "US",
        },
        follow=True,
    )
    assert "Address saved." in response.content.decode()
    assert Address.objects.get(user=user).is_default


def test_invalid_address_is_reported(user_client):
    response = user_client.post(reverse("accounts:addresses"), {"full_name": "", "country": "US"})
    assert response.status_code == 400
    assert "Enter the name of the person receiving the parcel." in response.content.decode()


def test_change_default_address(user_client, user, make_address):
    first, second = make_address(user), make_address(user, street_address="2 Elm St")
    user_client.post(reverse("accounts:address_default", args=[second.pk]))
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.is_default, second.is_default) == (False, True)


def test_other_peoples_addresses_and_cards_are_404(user_client, other_user, make_address, make_saved_card):
    theirs = make_address(other_user)
    card = make_saved_card(other_user)
    assert user_client.post(reverse("accounts:address_delete", args=[theirs.pk])).status_code == 404
    assert user_client.post(reverse("accounts:address_default", args=[theirs.pk])).status_code == 404
    assert user_client.post(reverse("accounts:card_delete", args=[card.pk])).status_code == 404
    assert Address.objects.filter(pk=theirs.pk).exists()
    assert SavedPaymentMethod.objects.filter(pk=card.pk).exists()


def test_delete_own_address_and_card(user_client, user, make_address, make_saved_card):
    address, card = make_address(user), make_saved_card(user)
    user_client.post(reverse("accounts:address_delete", args=[address.pk]))
    user_client.post(reverse("accounts:card_delete", args=[card.pk]))
    assert not Address.objects.exists() and not SavedPaymentMethod.objects.exists()


def test_delete_needs_post(user_client, user, make_address):
    address = make_address(user)
    assert user_client.get(reverse("accounts:address_delete", args=[address.pk])).status_code == 405


def test_account_page_shows_cards_by_last_four_only(user_client, user, make_saved_card):
    make_saved_card(user)
    html = user_client.get(reverse("accounts:account")).content.decode()
    assert "4242" in html and "4242424242424242" not in html


def test_password_reset_sends_an_email(client, user):
    response = client.post(reverse("accounts:password_reset"), {"email": "alice@example.com"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["alice@example.com"]
    assert "/account/password-reset/" in mail.outbox[0].body


def test_password_reset_for_unknown_email_sends_nothing_but_looks_the_same(client, db):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.com"})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:password_reset_done")
    assert mail.outbox == []


@pytest.mark.parametrize("name", ["login", "signup", "password_reset"])
@pytest.mark.parametrize("slug", ["standard", "elder", "screen-reader", "cross-border"])
def test_account_pages_in_every_edition(client, db, assert_edition_page, name, slug):
    response = client.get(reverse(f"accounts:{name}"), {"edition": slug})
    assert response.status_code == 200
    assert_edition_page(response, slug)


@pytest.mark.parametrize(
    "target, expected",
    [
        ("/product/sunny-apples/", "/product/sunny-apples/"),
        ("https://evil.example/", "/account/addresses/"),
        ("//evil.example/", "/account/addresses/"),
    ],
)
def test_saving_an_address_returns_only_to_a_page_of_this_shop(user_client, user, target, expected):
    response = user_client.post(
        reverse("accounts:addresses"),
        {
            "full_name": "Alice Archer",
            "street_address": "1600 Amphitheatre Pkwy",
            "city": "Mountain View",
            "country_area": "CA",
            "postal_code": "94043",
            "country": "US",
            "next": target,
        },
    )
    assert response.status_code == 302 and response["Location"] == expected
    page = user_client.get(reverse("accounts:addresses"), {"next": target}).content.decode()
    assert (f'name="next" value="{target}"' in page) == (target == expected)


def test_an_address_added_while_none_is_default_becomes_the_default(user_client, user, make_address):
    make_address(user, is_default=False)
    user_client.post(
        reverse("accounts:addresses"),
        {
            "full_name": "Alice Archer",
            "street_address": "2 Elm St",
            "city": "Mountain View",
            "country_area": "CA",
            "postal_code": "94043",
            "country": "US",
        },
    )
    assert user.addresses.get(is_default=True).street_address == "2 Elm St"


def test_making_an_address_the_default_can_return_to_the_page_that_asked(user_client, user, make_address):
    _first, second = make_address(user), make_address(user, street_address="2 Elm St")
    response = user_client.post(
        reverse("accounts:address_default", args=[second.pk]), {"next": "/product/sunny-apples/"}
    )
    assert response["Location"] == "/product/sunny-apples/"


def test_the_name_shown_is_editable_on_the_account_page(user_client, user):
    page = user_client.get(reverse("accounts:account")).content.decode()
    assert 'name="display_name"' in page
    response = user_client.post(reverse("accounts:display_name"), {"display_name": "Grandma Soon-ja"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.shown_name == "Grandma Soon-ja"
    assert "Hello, Grandma Soon-ja" in user_client.get(reverse("accounts:account")).content.decode()
    bad = user_client.post(reverse("accounts:display_name"), {"display_name": ""})
    assert bad.status_code == 400 and "Enter the name we should call you." in bad.content.decode()
    user.refresh_from_db()
    assert user.display_name == "Grandma Soon-ja"


def test_older_accounts_without_a_name_show_their_full_name_then_username(make_user):
    assert make_user("daughter_jin").shown_name == "daughter_jin"
    assert make_user("jin2", first_name="Jin", last_name="Park").shown_name == "Jin Park"
