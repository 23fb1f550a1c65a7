"""The address form in real Chromium: changing the country swaps in that country's fields (htmx), keeps what was
typed and the focus on the country, announces the change, and removes the errors that were about the old fields."""

from __future__ import annotations

import pytest
from browserkit import new_context, run_axe, sign_in
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_changing_the_country_swaps_the_fields_and_clears_stale_errors(browser, shop):
    context = new_context(browser)
    page = context.new_page()
    try:
        sign_in(page, shop, "/account/addresses/")
        form = page.locator("main form.address-form")
        with page.expect_navigation():
            form.locator("button.button-primary[type=submit]").click()  # empty: errors
        expect(page.locator("#error-summary")).to_be_visible()
        form = page.locator("main form.address-form")
        form.get_by_label("Full name").fill("김철수")
        expect(form.get_by_label("ZIP code")).to_be_visible()
        country = form.get_by_label("Country")
        country.focus()
        country.select_option("KR")
        expect(form.get_by_label("Province / Do")).to_be_visible()
        expect(form.get_by_label("ZIP code")).to_have_count(0)
        expect(page.locator("#error-summary")).to_have_count(0)
        expect(form.get_by_label("Full name")).to_have_value("김철수")
        expect(page.locator("#live-region")).to_contain_text("address fields used in South Korea")
        assert page.evaluate("document.activeElement && document.activeElement.name") == "country"
        assert not run_axe(page, "standard", "address book after a country change")
    finally:
        context.close()
