"""Every gettext catalogue is complete (no empty or fuzzy entry, placeholders intact, Arabic's six plural
forms), covers every string the code marks for translation, and no template shows text outside a translation
tag."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
LOCALE_DIR = ROOT / "locale"
CATALOGUES = {"zh_Hans": 1, "ko": 1, "ar": 6}  # locale -> number of plural forms
PLACEHOLDER = re.compile(r"%\((\w+)\)[#0\- +]*\d*(?:\.\d+)?[sdifr]|\{\{\s*\w+\s*\}\}")


def load(locale: str):
    with (LOCALE_DIR / locale / "LC_MESSAGES" / "django.po").open("rb") as handle:
        return read_po(handle, locale=locale)


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


@pytest.mark.parametrize(("locale", "nplurals"), CATALOGUES.items())
def test_catalogue_is_fully_translated(locale, nplurals):
    catalogue = load(locale)
    raw = (LOCALE_DIR / locale / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    assert "#, fuzzy" not in raw and ", fuzzy" not in raw, f"{locale}: fuzzy entries (or a fuzzy header)"
    assert f"nplurals={nplurals};" in raw.replace(" ", "")
    problems = []
    for message in catalogue:
        if not message.id:
            continue
        if message.fuzzy:
            problems.append(f"fuzzy: {message.id!r}")
        if message.pluralizable:
            forms = list(message.string)
            if len(forms) != nplurals or not all(forms):
                problems.append(f"needs {nplurals} plural forms: {message.id!r}")
                continue
            allowed = placeholders(message.id[0]) | placeholders(message.id[1])
            for form in forms:
                if not placeholders(form) <= allowed:
                    problems.append(f"unknown placeholder in {form!r}")
            if nplurals == 1 and placeholders(forms[0]) != placeholders(message.id[1]):
                problems.append(f"placeholders differ: {message.id!r} -> {forms[0]!r}")
        else:
            if not message.string:
                problems.append(f"untranslated: {message.id!r}")
            elif placeholders(message.string) != placeholders(message.id):
                problems.append(f"placeholders differ: {message.id!r} -> {message.string!r}")
    assert not problems, f"{locale}:\n" + "\n".join(problems)


def test_catalogues_have_the_same_entries():
    ids = {
        locale: {m.id if isinstance(m.id, str) else tuple(m.id) for m in load(locale) if m.id}
        for locale in CATALOGUES
    }
    assert ids["ko"] == ids["zh_Hans"] == ids["ar"]


@pytest.fixture(scope="module")
def fresh_catalogue(tmp_path_factory) -> set:
    """Run makemessages on a copy of the project, so the real catalogues are never touched."""
    copy = tmp_path_factory.mktemp("project")
    for name in ("manage.py",):
        shutil.copy(ROOT / name, copy / name)
    for name in ("storefront", "editions", "templates", "static"):
        shutil.copytree(ROOT / name, copy / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    (copy / "locale").mkdir()
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "ko", "--no-location", "-v0"],
        cwd=copy,
        capture_output=True,
        text=True,
        timeout=300,
        env={"PATH": "/usr/bin:/bin:/usr/local/bin", "PYTHONPATH": str(copy), "HOME": str(copy)},
    )
    assert result.returncode == 0, result.stderr
    with (copy / "locale" / "ko" / "LC_MESSAGES" / "django.po").open("rb") as handle:
        return {m.id if isinstance(m.id, str) else tuple(m.id) for m in read_po(handle, locale="ko") if m.id}


def test_catalogues_cover_every_marked_string(fresh_catalogue):
    have = {m.id if isinstance(m.id, str) else tuple(m.id) for m in load("ko") if m.id}
    missing = sorted(map(str, fresh_catalogue - have))
    assert not missing, (
        "Strings marked for translation but missing from locale/: run "
        "`manage.py makemessages -l zh_Hans -l ko -l ar --ignore=.venv --ignore=tests "
        "--ignore=bench` and translate:\n" + "\n".join(missing)
    )


# --- templates: no user-visible text outside translation tags ------------------------------------------

VISIBLE_ATTRIBUTES = {
    "alt",
    "title",
    "placeholder",
    "aria-label",
    "aria-description",
    "aria-roledescription",
    "aria-placeholder",
    "label",
}
LETTER = re.compile(r"[^\W\d_]")


def untranslated_text(source: str) -> list[str]:
    """Text a shopper would see (or hear) that is not inside {% translate %} / {% blocktranslate %}.

    Exempt: comments, tags and variables, scripts/styles/SVG, attributes nobody reads (class, href, name...),
    and <kbd>/<code> content (key caps such as Tab or Esc are printed in Latin letters on every keyboard)."""
    s = re.sub(r"\{#.*?#\}", " ", source, flags=re.S)
    s = re.sub(r"\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}", " ", s, flags=re.S)
    s = re.sub(
        r"\{%\s*block(?:trans|translate)\b.*?\{%\s*endblock(?:trans|translate)\s*%\}", " ", s, flags=re.S
    )
    s = re.sub(r"\{%.*?%\}", " ", s, flags=re.S)
    s = re.sub(r"\{\{.*?\}\}", " ", s, flags=re.S)
    s = re.sub(r"<(script|style|svg|kbd|code)\b.*?</\1\s*>", " ", s, flags=re.S | re.I)
    s = re.sub(r"<!--.*?-->|<!doctype[^>]*>", " ", s, flags=re.S | re.I)
    found: list[str] = []

    def tag(match: re.Match) -> str:
        for name, _quote, value in re.findall(
            r"""([\w:.-]+)\s*=\s*(["'])(.*?)\2""", match.group(0), flags=re.S
        ):
            if name.lower() in VISIBLE_ATTRIBUTES and LETTER.search(value):
                found.append(f'{name}="{value.strip()}"')
        return " "

    s = re.sub(r"<[^>]*>", tag, s, flags=re.S)
    s = re.sub(r"&#?\w+;", " ", s)
    found += [chunk.strip() for chunk in re.split(r"\n|\s{2,}", s) if LETTER.search(chunk)]
    return found


def template_files() -> list[Path]:
    return sorted(p for p in (ROOT / "templates").rglob("*") if p.is_file() and p.suffix in {".html", ".txt"})


def test_the_checker_finds_bare_text():
    assert untranslated_text('<p>Hello {% translate "x" %}</p><img alt="A cat" src="a.png">') == [
        'alt="A cat"',
        "Hello",
    ]
    keys = "<p><kbd>Tab</kbd> {% translate 'moves on' %}</p><p>Next <kbd>Esc</kbd></p>"
    assert untranslated_text(keys) == ["Next"]
    assert (
        untranslated_text(
            "{# note #}<p title=\"{% translate 't' %}\">{{ name }} · 3</p>"
            '{% blocktranslate %}Hi {{ n }}{% endblocktranslate %}<svg><path d="M1"/></svg>'
        )
        == []
    )


@pytest.mark.parametrize("path", template_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_templates_have_no_untranslated_text(path):
    assert untranslated_text(path.read_text(encoding="utf-8")) == []
