"""Every template lookup is edition-first (editions.loader): pages, plain `{% include %}`s and `{% extends %}`,
with the compiled-template cache kept per edition, and no `edition_include` left anywhere."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.template import engines
from django.template.loader import get_template, render_to_string

from editions import loader

ROOT = Path(settings.BASE_DIR)


@pytest.fixture
def override_dirs(tmp_path, settings):
    """A shared template, an include and an elder override of the include, in a throwaway template folder."""
    (tmp_path / "editions" / "elder" / "parts").mkdir(parents=True)
    (tmp_path / "parts").mkdir()
    (tmp_path / "page.html").write_text('<main>{% include "parts/greeting.html" with name="Ada" %}</main>')
    (tmp_path / "parts" / "greeting.html").write_text("Hello {{ name }}")
    (tmp_path / "editions" / "elder" / "parts" / "greeting.html").write_text("HELLO, {{ name }}!")
    (tmp_path / "base.html").write_text("[{% block body %}shared{% endblock %}]")
    (tmp_path / "editions" / "elder" / "base.html").write_text(
        '{% extends "base.html" %}{% block body %}elder {{ block.super }}{% endblock %}'
    )
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    yield tmp_path


def test_a_plain_include_takes_the_editions_override(override_dirs):
    assert render_to_string("page.html") == "<main>Hello Ada</main>"
    with loader.edition_templates("elder"):
        assert render_to_string("page.html") == "<main>HELLO, Ada!</main>"
    with loader.edition_templates("standard"):
        assert render_to_string("page.html") == "<main>Hello Ada</main>"  # no override: the shared one


def test_an_override_may_extend_the_shared_template_of_its_own_name(override_dirs):
    with loader.edition_templates("elder"):
        assert render_to_string("base.html") == "[elder shared]"
    assert render_to_string("base.html") == "[shared]"


def test_the_compiled_cache_never_serves_one_editions_template_to_another(override_dirs):
    with loader.edition_templates("elder"):
        elder = get_template("parts/greeting.html")
    plain = get_template("parts/greeting.html")
    assert elder.origin.name != plain.origin.name
    with loader.edition_templates("elder"):
        assert get_template("parts/greeting.html").origin.name == elder.origin.name


def test_a_request_renders_its_editions_header(client, db):
    """The elder edition overrides the header (components/header.html, a plain include in base.html)."""
    assert (ROOT / "templates/editions/elder/components/header.html").exists()
    elder = client.get("/?edition=elder").content.decode()
    standard = client.get("/?edition=standard").content.decode()
    assert elder != standard
    assert loader.current() is None  # reset after the request


def test_the_loader_is_the_engines_and_edition_include_is_gone():
    names = [
        type(inner).__module__
        for outer in engines["django"].engine.template_loaders
        for inner in getattr(outer, "loaders", [])
    ]
    assert "editions.loader" in names
    left = [
        str(path) for path in (ROOT / "templates").rglob("*.html") if "edition_include" in path.read_text()
    ]
    assert left == []
