"""WCAG 1.4.10 Reflow (AA): at 320 CSS px wide (400% zoom of a 1280 px window) no page scrolls sideways.

Data tables may need two dimensions; they scroll inside their own focusable region (`.table-scroll`), never
the page. axe does not test this, so every page of the crawl is measured in every edition.
"""

from __future__ import annotations

import pytest
from browserkit import EDITIONS, new_context, walk_pages

pytestmark = pytest.mark.browser

WIDTH = 320
OVERFLOWING_JS = """(width) => {
  const out = [];
  for (const el of document.querySelectorAll("body *")) {
    if (el.closest(".table-scroll")) continue;
    const r = el.getBoundingClientRect();
    if (r.width > 0 && r.right > width + 1) {
      const id = el.id ? "#" + el.id : "";
      const cls = typeof el.className === "string" && el.className.trim()
        ? "." + el.className.trim().split(/\\s+/).join(".") : "";
      out.push(`${el.tagName.toLowerCase()}${id}${cls} (right edge ${Math.round(r.right)}px)`);
    }
  }
  return out.slice(0, 5);
}"""


@pytest.mark.parametrize("edition", EDITIONS)
def test_no_page_scrolls_sideways_at_320px(browser, shop, edition):
    context = new_context(browser, viewport={"width": WIDTH, "height": 640})
    page = context.new_page()
    problems: list[str] = []

    def visit(label: str) -> None:
        scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
        if scroll_width > WIDTH:
            culprits = page.evaluate(OVERFLOWING_JS, WIDTH)
            problems.append(
                f"[{edition}] {label} ({page.url}): page is {scroll_width}px wide; "
                f"widest: {', '.join(culprits) or 'text overflowing its box'}"
            )

    try:
        checked = walk_pages(page, shop, edition, visit)
    finally:
        context.close()
    assert len(checked) >= 20
    assert not problems, "\n".join(problems)
