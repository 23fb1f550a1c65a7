"""Real-browser fixtures: Debian's Chromium through Playwright, a seeded live server, the axe summary.

Every test in this folder is marked `browser`. Without /usr/bin/chromium the tests skip locally and fail
under CI=true. The axe results of the crawl are summed per edition and printed at the end of the run.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from browserkit import (  # noqa: F401
    AXE_RESULTS,
    EDITIONS,
    HTMLCS_RESULTS,
    Shop,
    browser_type_launch_args,
    require_chromium,
    seed_catalogue,
)

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

HERE = Path(__file__).parent


def pytest_collection_modifyitems(config, items):
    for item in items:
        if HERE in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1280, "height": 900}, "locale": "en-US"}


# --- settings and data -----------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def _media_root(tmp_path_factory):
    return tmp_path_factory.mktemp("browser-media")


@pytest.fixture(autouse=True)
def _test_settings(_test_settings, settings, _media_root):
    """Extends the shared fixture: product images are drawn once per session, so they must outlive a test."""
    settings.MEDIA_ROOT = _media_root


@pytest.fixture
def shop(live_server, _test_settings) -> Shop:
    return Shop(url=live_server.url, **seed_catalogue())


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    tr = terminalreporter
    if HTMLCS_RESULTS:
        tr.section("HTML_CodeSniffer per edition (WCAG 2 AA; reviewed exceptions excluded)")
        for edition in EDITIONS:
            if edition in HTMLCS_RESULTS:
                row = HTMLCS_RESULTS[edition]
                tr.write_line(
                    f"{edition:<14} | {row['pages']:>3} pages | {row['errors']:>3} errors | "
                    f"{row['warnings']:>4} warnings (not failing)"
                )
    if not AXE_RESULTS:
        return
    tr.section("axe-core per edition (WCAG 2.2 A/AA; elder also AAA contrast)")
    tr.write_line(f"{'edition':<14} | {'pages checked':>13} | {'violations':>10}")
    tr.write_line(f"{'-' * 14}-+-{'-' * 13}-+-{'-' * 10}")
    for edition in EDITIONS:
        if edition in AXE_RESULTS:
            row = AXE_RESULTS[edition]
            tr.write_line(f"{edition:<14} | {row['pages']:>13} | {row['violations']:>10}")
            if row["failing"]:
                tr.write_line(f"{'':<14}   failing pages: {', '.join(row['failing'])}")
