"""Addresses entered the way people write them, in real Chromium: Beijing (北京市 as province and city, a district
from the list), Seoul (Hangul names) and Cupertino (a state from the list); each prints in its country's format.
The city list follows the chosen province, with htmx (in place) and without JavaScript (the update button)."""

from __future__ import annotations

import pytest
from browserkit import htmx_settled, new_context, run_axe, sign_in
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def choose_country(form, code: str, area_label: str) -> None:
    # Playwright fires "change" even when the value stays, so wait for htmx's refresh to come back before typing
    with form.page.expect_response(lambda response: response.request.method == "POST"):
        form.get_by_label("Country").select_option(code)
    expect(form.locator("input[name=shown_country]")).to_have_value(code)
    expect(form.get_by_label(area_label)).to_be_visible()
    htmx_settled(form.page, "input[name=shown_country]")  # else choosing the province would trigger nothing


def save(page, form) -> None:
    with page.expect_navigation():
        form.locator("button.button-primary[type=submit]").click()
    errors = page.locator("#error-summary")
    assert errors.count() == 0, errors.inner_text()


def test_beijing_seoul_and_cupertino_are_entered_naturally(browser, shop):
    context = new_context(browser)
    page = context.new_page()
    try:
        sign_in(page, shop, "/account/addresses/")
        form = page.locator("main form.address-form")

        choose_country(form, "CN", "Province")
        form.get_by_label("Full name").fill("张三")
        form.get_by_label("Province").select_option("北京市")
        city = form.get_by_label("City")
        assert city.get_attribute("list")  # a combobox: the rules' cities are offered
        city.fill("北京市")
        form.get_by_label("District").fill("东城区")
        form.get_by_label("Street address").fill("东长安街1号")
        form.get_by_label("Postal code").fill("100010")
        save(page, form)
        expect(page.locator("main address").filter(has_text="张三")).to_contain_text("北京市东城区")

        form = page.locator("main form.address-form")
        choose_country(form, "KR", "Province / Do")
        form.get_by_label("Full name").fill("김민지")
        form.get_by_label("Province / Do").select_option("서울특별시")
        form.get_by_label("City").fill("종로구")
        form.get_by_label("Street address").fill("세종대로 175")
        form.get_by_label("Postal code").fill("03051")
        save(page, form)
        expect(page.locator("main address").filter(has_text="김민지")).to_contain_text("서울특별시 종로구")

        form = page.locator("main form.address-form")
        choose_country(form, "US", "State")
        form.get_by_label("Full name").fill("Tim Apple")
        form.get_by_label("Street address").fill("1 Infinite Loop")
        form.get_by_label("Building, floor or apartment").fill("Building 4")
        form.get_by_label("City").fill("Cupertino")
        form.get_by_label("State").select_option("CA")
        form.get_by_label("ZIP code").fill("95014")
        save(page, form)
        cupertino = page.locator("main address").filter(has_text="Tim Apple")
        expect(cupertino).to_contain_text("Cupertino, CA 95014")
        expect(cupertino).to_contain_text("Building 4")
    finally:
        context.close()


def city_option(form, value: str):
    return form.locator(f"#id_city-options option[value='{value}']")


def test_choosing_a_province_narrows_the_city_list_in_place(browser, shop):
    context = new_context(browser)
    page = context.new_page()
    try:
        sign_in(page, shop, "/account/addresses/")
        form = page.locator("main form.address-form")
        choose_country(form, "KR", "Province / Do")
        city = form.get_by_label("City")
        expect(city).to_have_accessible_description(
            "Choose the province / do first to get a list of its cities here."
        )
        expect(form.locator("#id_city-options option")).to_have_count(0)  # no list of every city in Korea
        city.fill("해운")
        area = form.get_by_label("Province / Do")
        area.focus()
        with page.expect_response(lambda response: response.request.method == "POST"):
            area.select_option("부산광역시")
        expect(city_option(form, "해운대구")).to_have_count(1)
        expect(city_option(form, "종로구")).to_have_count(0)
        city = form.get_by_label("City")
        expect(city).to_have_value("해운")  # what was typed stays
        expect(city).to_have_attribute("autocomplete", "address-level2")
        expect(city).to_have_accessible_description(
            "Choose from the list of places in Busan, or type the name."
        )
        expect(page.locator("#live-region")).to_have_text("The list of cities now shows the places in Busan.")
        assert page.evaluate("document.activeElement && document.activeElement.name") == "country_area"
        expect(form.locator("input[name=shown_area]")).to_have_value("부산광역시")

        with page.expect_response(lambda response: response.request.method == "POST"):
            area.select_option("서울특별시")
        expect(city_option(form, "종로구")).to_have_count(1)
        expect(city_option(form, "해운대구")).to_have_count(0)
        expect(page.locator("#live-region")).to_have_text("The list of cities now shows the places in Seoul.")
        assert not run_axe(page, "standard", "address book after a province change")

        # a city with districts: leaving its box brings them, quietly, and the focus moves on as usual
        with page.expect_response(lambda response: response.request.method == "POST"):
            area.select_option("경기도")
        city = form.get_by_label("City")
        city.fill("수원시")
        with page.expect_response(lambda response: response.request.method == "POST"):
            city.press("Tab")
        expect(form.locator("#id_city_area-options option[value='장안구']")).to_have_count(1)
        assert page.evaluate("document.activeElement && document.activeElement.name") == "city_area"
        expect(page.locator("#live-region")).to_have_text(
            "The list of cities now shows the places in Gyeonggi-do."
        )
        with page.expect_response(lambda response: response.request.method == "POST"):
            area.select_option("서울특별시")

        # a city of the province chosen before: the error says where it is
        form.get_by_label("Full name").fill("김민지")
        form.get_by_label("City").fill("해운대구")
        form.get_by_label("Street address").fill("세종대로 175")
        form.get_by_label("Postal code").fill("03051")
        with page.expect_navigation():
            form.locator("button.button-primary[type=submit]").click()
        expect(page.locator("#error-summary")).to_contain_text(
            "해운대구 is in Busan, not in Seoul. Choose a place in Seoul or change the province / do."
        )
        expect(city_option(page.locator("main form.address-form"), "종로구")).to_have_count(1)
    finally:
        context.close()


def test_without_javascript_the_update_button_narrows_the_city_list(browser, shop):
    context = new_context(browser, java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in(page, shop, "/account/addresses/")
        form = page.locator("main form.address-form")
        update = form.get_by_role("button", name="Update the form for this country")
        form.get_by_label("Country").select_option("CN")
        with page.expect_navigation():
            update.click()
        form.get_by_label("Full name").fill("张三")
        form.get_by_label("Province").select_option("北京市")
        with page.expect_navigation():
            update.click()
        expect(form.locator("[role=status]")).to_have_text(
            "The list of cities now shows the places in Beijing Shi."
        )
        expect(city_option(form, "东城区")).to_have_count(1)
        expect(city_option(form, "浦东新区")).to_have_count(0)
        expect(form.get_by_label("Full name")).to_have_value("张三")
        expect(page.locator("#error-summary")).to_have_count(0)

        form.get_by_label("City").fill("北京市")
        form.get_by_label("District").fill("东城区")
        form.get_by_label("Street address").fill("东长安街1号")
        form.get_by_label("Postal code").fill("100010")
        save(page, form)
        expect(page.locator("main address").filter(has_text="张三")).to_contain_text("北京市东城区")
    finally:
        context.close()
