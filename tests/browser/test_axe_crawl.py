"""axe-core and HTML_CodeSniffer (pa11y's engine; exceptions in htmlcs-exceptions.txt) on every page type of the
URL contract, in each of the four editions: zero violations, zero errors.

One test per edition walks the pages as a shopper would (signed out, then signed in with a cart), so the
pages are seen with real content: a cart line, a chosen address, a saved card, an order, and in the states
JavaScript and errors bring (suggestions open, htmx-filtered results, forms with error summaries). Each page
also needs one h1, one main/banner/contentinfo, a title and the live region.
"""

from __future__ import annotations

import pytest
from browserkit import EDITIONS, new_context, run_axe, run_htmlcs, walk_pages

pytestmark = pytest.mark.browser


STRUCTURE_JS = """() => {
  const count = (selector) => document.querySelectorAll(selector).length;
  return {
    h1: count("h1"), main: count("main, [role=main]"), banner: count("body > header, [role=banner]"),
    contentinfo: count("body > footer, [role=contentinfo]"), live: count("#live-region[aria-live]"),
    title: document.title.trim(),
  };
}"""


def structure_problems(page) -> list[str]:
    """What every page needs beyond axe's rules: one h1, one of each main landmark, a title, the live region."""
    found = page.evaluate(STRUCTURE_JS)
    out = [
        f"{found[key]} {key} (expected 1)"
        for key in ("h1", "main", "banner", "contentinfo", "live")
        if found[key] != 1
    ]
    if not found["title"] or found["title"].startswith("–"):
        out.append(f"page title is empty or starts with the shop name: {found['title']!r}")
    return out


@pytest.mark.parametrize("edition", EDITIONS)
def test_every_page_has_no_axe_violations(browser, shop, edition):
    context = new_context(browser)
    page = context.new_page()
    try:
        problems: list[str] = []

        def visit(label: str) -> None:
            problems.extend(run_axe(page, edition, label))
            problems.extend(run_htmlcs(page, edition, label))
            problems.extend(f"[{edition}] {label} ({page.url}): {p}" for p in structure_problems(page))

        checked = walk_pages(page, shop, edition, visit)
    finally:
        context.close()
    assert len(checked) >= 20
    assert not problems, f"{len(problems)} axe violation(s) in the {edition} edition:\n" + "\n".join(problems)


def test_html_codesniffer_runs_and_reports_errors(browser):
    """The second engine is really running: an image without a text alternative is an error to it."""
    context = new_context(browser)
    page = context.new_page()
    try:
        page.set_content(
            '<!doctype html><html lang="en"><title>Probe</title><main><img src="data:,">'
            "<h1>Probe</h1></main></html>"
        )
        problems = run_htmlcs(page, "probe", "probe")
    finally:
        context.close()
    assert any("H37" in p for p in problems), problems
