"""Language is orthogonal to the edition: pages in Korean, Simplified Chinese and Arabic (right to left) keep
a correct `lang`/`dir` and pass axe like the English ones."""

from __future__ import annotations

import pytest
from browserkit import new_context, run_axe, set_edition

pytestmark = pytest.mark.browser

CASES = [("ko", "ltr", "elder"), ("zh-hans", "ltr", "screen-reader"), ("ar", "rtl", "standard")]


@pytest.mark.parametrize(("language", "direction", "edition"), CASES)
def test_translated_pages_have_lang_dir_and_no_axe_violations(browser, shop, language, direction, edition):
    context = new_context(browser)
    context.add_cookies([{"name": "django_language", "value": language, "url": shop.url}])
    page = context.new_page()
    set_edition(page, shop, edition)
    problems: list[str] = []
    page.goto(shop(f"/product/{shop.product.slug}/"))
    page.locator("form.buy-form button[type=submit]").click()
    page.locator("#cart-status .message").wait_for()
    for label, path in [
        ("home", "/"),
        ("category", f"/category/{shop.category_slug}/"),
        ("product", f"/product/{shop.product.slug}/"),
        ("cart", "/cart/"),
        ("sign in", "/account/signin/"),
        ("404", "/no-such-page/"),
    ]:
        page.goto(shop(path))
        html = page.locator("html")
        assert (html.get_attribute("lang") or "").lower() == language, f"{label}: lang"
        assert html.get_attribute("dir") == direction, f"{label}: dir"
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{label} in {language}: the page scrolls sideways by {overflow}px"
        problems.extend(run_axe(page, edition, f"{label} ({language})"))
    context.close()
    assert not problems, "\n".join(problems)
