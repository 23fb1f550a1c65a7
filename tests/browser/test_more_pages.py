"""axe on the pages added beyond the URL contract (help, one-click set-up, family payment), in every edition.

Every one of these pages must exist, answer 200 and have no violations: a missing route fails the test (it never
skips itself).
"""

from __future__ import annotations

import pytest
from browserkit import EDITIONS, new_context, run_axe, sign_in
from django.urls import reverse

pytestmark = pytest.mark.browser

URL_NAMES = ["help", "checkout:oneclick_setup", "family:home"]


def test_more_pages_have_no_axe_violations_in_any_edition(browser, shop):
    paths = [(name, reverse(name)) for name in URL_NAMES]  # NoReverseMatch fails: these pages must exist
    context = new_context(browser)
    page = context.new_page()
    sign_in(page, shop)
    problems: list[str] = []
    for edition in EDITIONS:
        page.goto(shop(f"/?edition={edition}"))
        for name, path in paths:
            response = page.goto(shop(path))
            status = response.status if response else None
            assert status == 200, f"{name} ({path}) answered {status}"
            assert f"edition-{edition}" in (page.get_attribute("html", "class") or "")
            expect_one_h1 = page.locator("h1").count()
            assert expect_one_h1 == 1, f"[{edition}] {name}: {expect_one_h1} h1 elements"
            problems.extend(run_axe(page, edition, name))
    context.close()
    assert not problems, "\n".join(problems)
