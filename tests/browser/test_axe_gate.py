"""The axe gate itself: it runs the WCAG 2.2 A/AA rules in this browser and reports what it finds, so a
green crawl means "no violations", never "axe did not run"."""

from __future__ import annotations

import pytest
from browserkit import new_context, run_axe, set_edition

pytestmark = pytest.mark.browser


def test_axe_reports_planted_violations_with_rule_impact_target_and_page(browser, shop):
    context = new_context(browser)
    page = context.new_page()
    set_edition(page, shop, "elder")
    page.evaluate("""() => {
      const main = document.querySelector("main");
      main.insertAdjacentHTML("beforeend",
        '<img id="planted-img" src="/static/img/cursor-large.svg">' +
        '<p id="planted-grey">Grey large text</p>' +
        '<button id="planted-button"></button>');
      const grey = document.getElementById("planted-grey");  // CSSOM, since CSP blocks style attributes
      grey.style.color = "#888888";
      grey.style.background = "#ffffff";
    }""")
    problems = run_axe(page, "elder", "planted", record=False)
    context.close()
    text = "\n".join(problems)
    assert "image-alt (critical) at #planted-img" in text, text
    assert "button-name (critical) at #planted-button" in text, text
    assert "color-contrast-enhanced (serious) at #planted-grey" in text, text  # AAA only in the elder edition
    # elder text is large (24px): #888 on white is 3.5:1, so AA (3:1) passes and AAA (4.5:1) fails
    assert "color-contrast (" not in text, text
    assert "planted (" in text and "[elder]" in text
