"""Addresses entered the way people write them, in real Chromium: Beijing (北京市 as province and city, a district
from the list), Seoul (Hangul names) and Cupertino (a state from the list); each prints in its country's format."""

from __future__ import annotations

import pytest
from browserkit import new_context, sign_in
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def choose_country(form, code: str, area_label: str) -> None:
    # Playwright fires "change" even when the value stays, so wait for htmx's refresh to come back before typing
    with form.page.expect_response(lambda response: response.request.method == "POST"):
        form.get_by_label("Country").select_option(code)
    expect(form.locator("input[name=shown_country]")).to_have_value(code)
    expect(form.get_by_label(area_label)).to_be_visible()


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
