"""The benches show progress on a terminal (issue 18: long work draws a bar with counts and time left) and stay
quiet in a log, where a bar's carriage returns would only add noise."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

from shopbench.common import progress, progress_bar  # noqa: E402


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_in_a_log_the_iterable_is_returned_as_it_is(monkeypatch):
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    items = [1, 2, 3]
    assert progress(items, total=3, desc="x") is items
    assert progress_bar(3, "x") is None


@pytest.mark.parametrize("kind", ["iterable", "manual"])
def test_on_a_terminal_a_bar_shows_the_count_and_the_time_left(monkeypatch, kind):
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    if kind == "iterable":
        assert list(progress(range(4), total=4, desc="recognising")) == [0, 1, 2, 3]
    else:
        bar = progress_bar(4, "adding products")
        bar.update(4)
        bar.close()
    drawn = terminal.getvalue()
    assert "0/4" in drawn and "00:00<" in drawn  # the count of the total, then "elapsed<time left"
    assert ("recognising" if kind == "iterable" else "adding products") in drawn
