"""The cross-border edition in all four languages, in real Chromium: axe-core finds no violation (WCAG 2.2
A/AA) on any page of the walk (browserkit.walk_pages: every page type of the URL contract, signed out then
signed in with a cart, an address, an order, and the error states), and every page says its language and
direction on `<html>`.

The language comes from Django's language cookie; the walk finds its buttons by their translated names. A step
of the walk that breaks is reported with the violations found before it, so one broken selector does not hide
them. axe results here are not added to the per-edition summary of test_axe_crawl.py (record=False).
"""

from __future__ import annotations

import pytest
from browserkit import new_context, run_axe, walk_pages

pytestmark = pytest.mark.browser

EDITION = "cross-border"
LANGUAGES = [("en", "ltr"), ("zh-hans", "ltr"), ("ko", "ltr"), ("ar", "rtl")]

HTML_JS = "() => [document.documentElement.lang, document.documentElement.dir]"


@pytest.mark.parametrize(("language", "direction"), LANGUAGES)
def test_cross_border_edition_has_no_axe_violations(browser, shop, language, direction):
    context = new_context(browser)
    context.add_cookies([{"name": "django_language", "value": language, "url": shop.url}])
    page = context.new_page()
    problems: list[str] = []
    visited: list[str] = []

    def visit(label: str) -> None:
        visited.append(label)
        lang, dir_ = page.evaluate(HTML_JS)
        if (lang or "").lower() != language or dir_ != direction:
            problems.append(
                f"[{language}] {label} ({page.url}): <html lang={lang!r} dir={dir_!r}>, expected "
                f"lang={language!r} dir={direction!r}"
            )
        problems.extend(run_axe(page, EDITION, f"{label} ({language})", record=False))

    try:
        walk_pages(page, shop, EDITION, visit, language=language)
    except Exception as exc:  # a broken step must not hide the violations found before it
        after = visited[-1] if visited else "the start"
        problems.append(
            f"[{language}] the page walk stopped after {after!r} ({page.url}): "
            f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
        )
    finally:
        context.close()
    assert len(visited) >= 20 or problems, f"only {len(visited)} pages visited: {visited}"
    assert not problems, (
        f"{len(problems)} problem(s) in the {EDITION} edition in {language} "
        f"({len(visited)} pages checked):\n" + "\n".join(problems)
    )
