"""The city list follows the chosen province (China, Korea): the form offers only that province's cities and
districts, asks for the province first when none is chosen, refreshes the list without JavaScript ("Update the
form for this country") and with htmx (the province select refreshes the list in place), and a city from
another province is refused with a message that says where it is.

With htmx, the boxes themselves are never replaced, only their lists and the city's hint (out of band): a shopper
who types while the list is on its way loses nothing, and the focus stays where it is."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation

from storefront.accounts import places
from storefront.accounts.forms import AddressForm
from storefront.accounts.models import Address

# country, province, a city of that province, a city of another province only
PROVINCES = [
    ("CN", "北京市", "东城区", "浦东新区"),
    ("CN", "上海市", "浦东新区", "东城区"),
    ("KR", "부산광역시", "해운대구", "종로구"),
    ("KR", "서울특별시", "종로구", "해운대구"),
]


def offered(html: str, name: str = "city") -> list[str]:
    """The values of the <datalist> that goes with the `name` box, or [] when the box has none."""
    found = re.search(rf'<datalist id="id_{name}-options"[^>]*>(.*?)</datalist>', html, re.S)
    return re.findall(r'<option value="([^"]*)"', found.group(1)) if found else []


# --- the form ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("country", "area", "inside", "elsewhere"), PROVINCES)
def test_the_city_list_is_the_chosen_provinces(db, country, area, inside, elsewhere):
    for form in (
        AddressForm(initial={"country": country, "country_area": area}),  # a refresh
        AddressForm({"country": country, "country_area": area}),  # a failed submit
    ):
        cities = offered(str(form["city"]))
        assert inside in cities and elsewhere not in cities
        assert cities == [key for key, _name, _latin in places.city_options(country, area)]
        assert 'autocomplete="address-level2"' in str(form["city"])


def test_a_municipality_offers_itself_and_its_districts(db):
    cities = offered(str(AddressForm(initial={"country": "CN", "country_area": "北京市"})["city"]))
    assert cities[0] == "北京市" and "朝阳区" in cities
    assert "上海市" not in cities and len(cities) < 20


def test_a_province_typed_the_natural_way_narrows_the_list_too(db):
    cities = offered(str(AddressForm(initial={"country": "KR", "country_area": "부산"})["city"]))
    assert "해운대구" in cities and "종로구" not in cities


@pytest.mark.parametrize("country", ["CN", "KR"])
def test_without_a_province_the_city_box_asks_for_it_first(db, country):
    """Decided: no list of every city in the country (hundreds to scroll through), a hint to choose the
    province first; the box still takes any city typed. The list is there, empty, for the refresh to fill."""
    form = AddressForm(country=country)
    assert '<datalist id="id_city-options"></datalist>' in str(form["city"])
    label = str(form.fields["country_area"].label).lower()
    assert form.fields["city"].help_text == f"Choose the {label} first to get a list of its cities here."
    assert form.places_area == ""


def test_once_a_province_is_chosen_the_hint_names_it(db):
    form = AddressForm(initial={"country": "KR", "country_area": "부산광역시"})
    assert form.fields["city"].help_text == "Choose from the list of places in Busan, or type the name."
    assert form.places_area == "부산광역시"


def test_countries_without_city_lists_are_unchanged(db):
    form = AddressForm(initial={"country": "US", "country_area": "CA"})
    assert "<datalist" not in str(form["city"]) and not form.fields["city"].help_text
    assert not form.offers_places


# --- a city from another province ---------------------------------------------------------------------------


def test_a_city_of_another_province_says_where_it_is(db):
    form = AddressForm(
        {
            "country": "KR",
            "full_name": "김민지",
            "country_area": "부산광역시",
            "city": "종로구",
            "street_address": "세종대로 175",
            "postal_code": "03051",
        }
    )
    assert not form.is_valid()
    assert form.errors["city"] == [
        "종로구 is in Seoul, not in Busan. Choose a place in Busan or change the province / do."
    ]


def test_a_city_of_several_other_provinces_is_said_not_to_be_in_this_one(db):
    form = AddressForm(
        {
            "country": "KR",
            "full_name": "김민지",
            "country_area": "경기도",
            "city": "중구",
            "street_address": "1",
        }
    )
    assert form.errors["city"] == [
        "중구 is not in Gyeonggi-do. Choose a place in Gyeonggi-do or change the province / do."
    ]


def test_a_district_of_a_municipality_chosen_under_another_province(db):
    form = AddressForm(
        {
            "country": "CN",
            "full_name": "张三",
            "country_area": "广东省",
            "city": "东城区",
            "street_address": "东长安街1号",
            "postal_code": "100010",
        }
    )
    assert form.errors["city"] == [
        "东城区 is in Beijing Shi, not in Guangdong Sheng. Choose a place in Guangdong Sheng or change the "
        "province."
    ]


def test_the_city_message_is_in_the_shoppers_language(db):
    data = {"country": "KR", "full_name": "김민지", "country_area": "부산광역시", "city": "종로구"}
    with translation.override("ko"):
        message = AddressForm(data).errors["city"][0]
    assert "종로구" in message and "부산광역시" in message and "서울특별시" in message
    assert "not in" not in message


# --- without JavaScript: "Update the form for this country" ------------------------------------------------


def test_the_refresh_button_refreshes_the_city_list_for_the_chosen_province(user_client):
    response = user_client.post(
        reverse("accounts:addresses"),
        {
            "country": "KR",
            "shown_country": "KR",
            "shown_area": "",
            "refresh_country": "1",
            "full_name": "김민지",
            "country_area": "부산광역시",
            "city": "해운",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    cities = offered(html)
    assert "해운대구" in cities and "종로구" not in cities
    assert 'value="해운"' in html and 'value="김민지"' in html  # what was typed stays
    assert 'name="shown_area" value="부산광역시"' in html
    assert "The list of cities now shows the places in Busan." in html
    assert "Choose from the list of places in Busan, or type the name." in html
    assert "error-message" not in html and "error-summary" not in html
    assert not Address.objects.exists()


def test_the_refresh_button_still_saves_when_nothing_changed(user_client, user):
    """Enter in a text box "clicks" the refresh button: with the province the list was made for, it saves."""
    data = {
        "country": "KR",
        "shown_country": "KR",
        "shown_area": "서울특별시",
        "refresh_country": "1",
        "full_name": "김민지",
        "country_area": "서울특별시",
        "city": "종로구",
        "street_address": "세종대로 175",
        "postal_code": "03051",
    }
    response = user_client.post(reverse("accounts:addresses"), data)
    assert response.status_code == 302
    assert Address.objects.get(user=user).city == "종로구"


def test_the_page_carries_the_province_the_list_was_made_for(user_client):
    user_client.cookies["country"] = "KR"
    html = user_client.get(reverse("accounts:addresses")).content.decode()
    assert 'name="shown_area" value=""' in html
    assert "Choose the province / do first to get a list of its cities here." in html
    assert 'aria-describedby="id_city-hint"' in html
    assert offered(html) == []


# --- with htmx: the province select swaps the city box in place ---------------------------------------------


def test_the_province_select_asks_htmx_for_the_city_list(user_client):
    user_client.cookies["country"] = "CN"
    html = user_client.get(reverse("accounts:addresses")).content.decode()
    area = re.search(r'<div class="address-area"[^>]*>', html)
    assert area, "the province field is wrapped in an htmx trigger"
    trigger = area.group(0)
    assert f'data-hx-post="{reverse("accounts:addresses")}"' in trigger
    assert 'data-hx-trigger="change"' in trigger and 'data-hx-swap="none"' in trigger
    assert '"refresh_places": "1"' in trigger
    assert 'list="id_city-options"' in html and 'list="id_city_area-options"' in html
    assert '<input type="hidden" id="id_shown_area" name="shown_area" value="">' in html


def test_htmx_province_change_returns_the_city_boxes_out_of_band(user_client):
    response = user_client.post(
        reverse("accounts:addresses"),
        {
            "country": "CN",
            "shown_country": "CN",
            "shown_area": "",
            "refresh_places": "1",
            "full_name": "张三",
            "country_area": "北京市",
            "city": "北京",
            "city_area": "东城",
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html and 'name="country"' not in html and 'name="full_name"' not in html
    # the select and the boxes are not replaced: the focus and what was typed stay
    assert 'name="country_area"' not in html and 'name="city"' not in html and 'name="city_area"' not in html
    assert '<datalist id="id_city-options" data-hx-swap-oob="true">' in html
    assert '<datalist id="id_city_area-options" data-hx-swap-oob="true">' in html
    cities = offered(html)
    assert "东城区" in cities and "浦东新区" not in cities
    assert "东城区" in offered(html, "city_area")  # 北京 as the city: its districts
    assert (
        '<div class="hint" id="id_city-hint" data-hx-swap-oob="true">'
        "Choose from the list of places in Beijing Shi, or type the name.</div>"
    ) in html
    assert 'id="id_shown_area" name="shown_area" value="北京市" data-hx-swap-oob="true"' in html
    assert '<div id="live-region" data-hx-swap-oob="innerHTML">' in html
    assert "The list of cities now shows the places in Beijing Shi." in html
    assert "HX-Request" in response["Vary"]


def test_htmx_province_cleared_asks_for_the_province_again(user_client):
    response = user_client.post(
        reverse("accounts:addresses"),
        {"country": "KR", "shown_country": "KR", "refresh_places": "1", "country_area": ""},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert offered(html) == []
    assert html.count("Choose the province / do first to get a list of its cities here.") == 2  # hint, live


def test_checkout_province_refresh_uses_the_prefix(user_client, user, product, make_cart):
    make_cart(user=user, lines=[(product, 1)])
    response = user_client.post(
        reverse("checkout:address"),
        {
            "use": "new",
            "new-country": "KR",
            "new-shown_country": "KR",
            "new-refresh_places": "1",
            "new-country_area": "부산광역시",
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    html = response.content.decode()
    found = re.search(
        r'<datalist id="id_new-city-options" data-hx-swap-oob="true">(.*?)</datalist>', html, re.S
    )
    assert found and "해운대구" in found.group(1) and "종로구" not in found.group(1)
    assert 'id="id_new-shown_area" name="new-shown_area" value="부산광역시"' in html


def test_checkout_without_javascript_refreshes_the_city_list(user_client, user, product, make_cart):
    make_cart(user=user, lines=[(product, 1)])
    response = user_client.post(
        reverse("checkout:address"),
        {
            "use": "new",
            "new-country": "CN",
            "new-shown_country": "CN",
            "new-shown_area": "",
            "new-refresh_country": "1",
            "new-country_area": "上海市",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    found = re.search(r'<datalist id="id_new-city-options"[^>]*>(.*?)</datalist>', html, re.S)
    assert found and "浦东新区" in found.group(1) and "东城区" not in found.group(1)
    assert "The list of cities now shows the places in Shanghai Shi." in html


# --- with htmx: a new city quietly brings its districts -----------------------------------------------------


def test_the_city_box_asks_htmx_for_its_districts(user_client):
    user_client.cookies["country"] = "CN"
    html = user_client.get(reverse("accounts:addresses")).content.decode()
    trigger = re.search(r'<div class="address-city"[^>]*>', html)
    assert trigger, "the city field is wrapped in an htmx trigger"
    assert 'data-hx-trigger="change"' in trigger.group(0) and 'data-hx-swap="none"' in trigger.group(0)
    assert '"refresh_places": "city"' in trigger.group(0)


@pytest.mark.parametrize(
    ("country", "area", "city", "district"),
    [("CN", "广东省", "深圳", "南山区"), ("KR", "경기도", "수원시", "장안구")],
)
def test_htmx_city_change_returns_its_districts_without_an_announcement(
    user_client, country, area, city, district
):
    response = user_client.post(
        reverse("accounts:addresses"),
        {
            "country": country,
            "shown_country": country,
            "refresh_places": "city",
            "country_area": area,
            "city": city,
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="city"' not in html and 'name="city_area"' not in html  # the boxes stay as they are
    assert district in offered(html, "city_area")
    assert "live-region" not in html
