"""`{% personal %}` parts (the visitor's own: cart, account, messages, buying forms) must never sit inside a
`{% cache %}` fragment, directly or through an include: the fragment would store one shopper's part and show it
to the next (catalog/pagecache.py). Checked over every template of every edition, following includes."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2] / "templates"
CACHE_BLOCK = re.compile(r"{%\s*cache\b.*?%}(.*?){%\s*endcache\s*%}", re.S)
INCLUDE = re.compile(r"""{%\s*include\s+["']([^"']+)["']""")
PERSONAL = re.compile(r"{%\s*personal\b")


def _files_named(name: str) -> list[Path]:
    """The shared template and every edition's override of it (the edition loader picks one per edition)."""
    found = [ROOT / name] + sorted((ROOT / "editions").glob(f"*/{name}"))
    return [path for path in found if path.is_file()]


def personal_inside(text: str, seen: set[str] | None = None) -> list[str]:
    """Where a personal part is reached from `text` (its own lines, then included templates, transitively)."""
    seen = set() if seen is None else seen
    hits = ["(here)"] if PERSONAL.search(text) else []
    for name in INCLUDE.findall(text):
        if name in seen:
            continue
        seen.add(name)
        for path in _files_named(name):
            hits += [f"{path.relative_to(ROOT)} > {hit}" for hit in personal_inside(path.read_text(), seen)]
    return hits


def test_no_personal_part_inside_a_cache_fragment():
    problems = []
    for path in sorted(ROOT.rglob("*.html")):
        for block in CACHE_BLOCK.findall(path.read_text()):
            problems += [f"{path.relative_to(ROOT)}: {hit}" for hit in personal_inside(block)]
    assert not problems, problems


def test_the_check_finds_one_directly_and_through_an_include():
    assert personal_inside('{% personal "components/cart_link.html" %}') == ["(here)"]
    reached = personal_inside('{% include "catalog/_product_summary.html" %}')
    assert any(hit.startswith("catalog/_product_summary.html") for hit in reached)
    assert personal_inside("<p>{{ product.display_name }}</p>") == []
