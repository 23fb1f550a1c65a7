"""The written layering (README, Architecture) checked against the code: every import in storefront/ and
editions/, at the top of a module or inside a function, must point to the same layer or one below, and no two
apps (or root modules) may import each other, directly or round a loop.

Layers, bottom to top (an app may import its own layer or lower ones, never a higher one):
  0  base utilities with no app knowledge: the storefront package itself, cache (Redis backend), celery, mail,
     nexturl, nulguard, ratelimit, urlconverters, visitor_choices
  1  editions, markets, ui (presentation components), requests (the request type their middleware fills in)
  2  catalog
  3  accounts, cart
  4  checkout
  5  family, voice, sandbox
  6  the project's composition root: settings, urls, wsgi, warmup, health, errors, media, and any
     `*settings` or `wsgi` module inside an app (a separate process's entry point, e.g. the voice service)
A new app or root module must be placed here before it can be imported: the test fails on an unplaced one.

A higher layer that needs to tell a lower one something does it through a signal or a hook the lower layer
defines (e.g. `checkout.lifecycle.order_changed`, `catalog.purchases`), never by importing upward.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("storefront", "editions")

LAYERS: dict[str, int] = {
    "storefront": 0,
    "storefront.celery": 0,
    "storefront.mail": 0,
    "storefront.nexturl": 0,
    "storefront.nulguard": 0,
    "storefront.urlconverters": 0,
    "storefront.cache": 0,
    "storefront.ratelimit": 0,
    "storefront.visitor_choices": 0,
    "editions": 1,
    "storefront.markets": 1,
    "storefront.ui": 1,
    "storefront.requests": 1,
    "storefront.catalog": 2,
    "storefront.accounts": 3,
    "storefront.cart": 3,
    "storefront.checkout": 4,
    "storefront.family": 5,
    "storefront.voice": 5,
    "storefront.sandbox": 5,
    "storefront.settings": 6,
    "storefront.urls": 6,
    "storefront.wsgi": 6,
    "storefront.warmup": 6,
    "storefront.health": 6,
    "storefront.errors": 6,
    "storefront.media": 6,
}

PROJECT = 6

# (importing node, imported node): why this arrow is allowed although it runs upward or closes a loop.
# Keep it short; each entry is a debt with its reason.
ALLOWED: dict[tuple[str, str], str] = {}


@dataclass(frozen=True)
class Arrow:
    source: str  # importing node (app or root module)
    target: str  # imported node
    where: str  # file:line of the import

    def __str__(self) -> str:
        return f"{self.where}: {self.source} -> {self.target}"


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def node_of(module: str, root: Path) -> str | None:
    """The app or root module a dotted module belongs to; None for anything outside our packages."""
    parts = module.split(".")
    if parts[0] not in PACKAGES:
        return None
    if len(parts) > 2 and (parts[-1].endswith("settings") or parts[-1] == "wsgi"):
        return (
            module  # a process's entry point inside an app (voice's service): a composition root of its own
        )
    if parts[0] == "editions" or len(parts) == 1:
        return parts[0]
    return f"{parts[0]}.{parts[1]}"


def imported_modules(path: Path, root: Path) -> list[tuple[str, int]]:
    """Every module the file imports (top level, in functions, under TYPE_CHECKING), resolved to a dotted name.
    `from package import name` counts as importing `package.name` when that is a module."""
    module = module_name(path, root)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                name = ".".join(base + ([node.module] if node.module else []))
            else:
                name = node.module or ""
            for alias in node.names:
                sub = f"{name}.{alias.name}"
                as_path = root.joinpath(*sub.split("."))
                is_module = as_path.with_suffix(".py").exists() or (as_path / "__init__.py").exists()
                found.append((sub if is_module else name, node.lineno))
    return found


def arrows(root: Path) -> list[Arrow]:
    out = []
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            source = node_of(module_name(path, root), root)
            for target_module, line in imported_modules(path, root):
                target = node_of(target_module, root)
                if target is not None and target != source:
                    out.append(Arrow(source, target, f"{path.relative_to(root)}:{line}"))
    return out


def problems(root: Path, layers: dict[str, int], allowed: dict[tuple[str, str], str]) -> list[str]:
    """Unplaced nodes, upward arrows and app-level cycles, each as a readable line (empty: all good)."""
    found = arrows(root)
    out = []
    nodes = (
        {a.source for a in found}
        | {a.target for a in found}
        | {node_of(module_name(p, root), root) for pkg in PACKAGES for p in (root / pkg).rglob("*.py")}
    )
    layers = {**layers, **{n: PROJECT for n in nodes if n.count(".") > 1}}  # entry points (see node_of)
    out += [
        f"{node} is not placed in a layer (add it to LAYERS and to README, Architecture)"
        for node in sorted(n for n in nodes if n not in layers)
    ]
    graph: dict[str, set[str]] = defaultdict(set)
    for arrow in found:
        if (arrow.source, arrow.target) in allowed:
            continue
        graph[arrow.source].add(arrow.target)
        if arrow.source in layers and arrow.target in layers and layers[arrow.target] > layers[arrow.source]:
            out.append(f"upward import {arrow} (layer {layers[arrow.source]} -> {layers[arrow.target]})")
    out += [f"import cycle between {', '.join(group)}" for group in cycles(graph)]
    return out


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The groups of two or more nodes that import each other, directly or round a loop (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def test_the_code_follows_the_written_layering():
    assert problems(ROOT, LAYERS, ALLOWED) == []


def test_every_allowed_exception_is_still_needed_and_explained():
    found = {(a.source, a.target) for a in arrows(ROOT)}
    for pair, reason in ALLOWED.items():
        assert pair in found, f"{pair} no longer happens: remove it from ALLOWED"
        assert len(reason) > 20, f"{pair} needs a reason"


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    for package in PACKAGES:
        (tmp_path / package).mkdir(exist_ok=True)
        (tmp_path / package / "__init__.py").touch()
    return tmp_path


def test_the_checker_catches_an_upward_import_inside_a_function(tmp_path):
    root = _tree(
        tmp_path,
        {
            "storefront/catalog/__init__.py": "",
            "storefront/catalog/views.py": "def f():\n    from storefront.checkout.queries import has_bought\n",
            "storefront/checkout/__init__.py": "",
            "storefront/checkout/queries.py": "from ..catalog import views\n",
        },
    )
    found = problems(root, LAYERS, {})
    assert (
        "upward import storefront/catalog/views.py:2: storefront.catalog -> storefront.checkout (layer 2 -> 4)"
        in found
    )
    assert "import cycle between storefront.catalog, storefront.checkout" in found
    # An allowed exception silences exactly that arrow (and so the loop it closed).
    assert problems(root, LAYERS, {("storefront.catalog", "storefront.checkout"): "test"}) == []


def test_the_checker_resolves_from_package_import_module_and_finds_unplaced_modules(tmp_path):
    root = _tree(
        tmp_path,
        {
            "storefront/mail.py": "from storefront import newthing\n",
            "storefront/newthing.py": "from storefront.markets import money\n",
            "storefront/markets/__init__.py": "",
            "storefront/markets/money.py": "from editions import registry\nfrom storefront import mail\n",
            "editions/registry.py": "",
        },
    )
    found = problems(root, LAYERS, {})
    assert (
        "storefront.newthing is not placed in a layer (add it to LAYERS and to README, Architecture)" in found
    )
    assert (
        "upward import storefront/markets/money.py:2: storefront.markets -> storefront.mail (layer 1 -> 0)"
        not in found
    )
    assert "import cycle between storefront.mail, storefront.markets, storefront.newthing" in found


# --- templates: `{% load library %}` is an import too ----------------------------------------------------

# Template folders (templates/<folder>/..., and templates/editions/<slug>/<folder>/...) and the node they belong
# to; the shared page shell (base.html, errors/, pages/, admin/) is the project's.
TEMPLATE_FOLDERS = {
    "accounts": "storefront.accounts",
    "cart": "storefront.cart",
    "catalog": "storefront.catalog",
    "checkout": "storefront.checkout",
    "family": "storefront.family",
    "voice": "storefront.voice",
    "sandbox": "storefront.sandbox",
    "components": "storefront.ui",
    "editions": "editions",
}

# (template's node, tag library's node): why the page of a lower app shows a higher app's part. Each is debt:
# the higher app should fill a slot the lower page leaves (a hook or context processor), not be loaded by it.
ALLOWED_TEMPLATE_LOADS: dict[tuple[str, str], str] = {
    (
        "storefront.checkout",
        "storefront.family",
    ): "one-click pages offer 'Ask my family to pay' and show a family "
    "request's status (checkout/oneclick_*.html); being reworked by the family helper, to move into a slot",
    ("storefront.accounts", "storefront.family"): "the account page lists the family links "
    "(accounts/account.html)",
    ("storefront.ui", "storefront.voice"): "the shared search form carries the voice-search button "
    "(components/search_form.html)",
}


def template_libraries(root: Path) -> dict[str, str]:
    """Tag library name -> node of the app that defines it."""
    out = {}
    for package in PACKAGES:
        for path in (root / package).rglob("templatetags/*.py"):
            if path.name != "__init__.py":
                out[path.stem] = node_of(module_name(path, root), root) or ""
    return out


def template_problems(root: Path, layers: dict[str, int], allowed: dict[tuple[str, str], str]) -> list[str]:
    import re

    libraries = template_libraries(root)
    out = []
    for path in sorted((root / "templates").rglob("*.html")):
        parts = path.relative_to(root / "templates").parts
        if parts[0] == "editions" and len(parts) > 2:
            parts = parts[2:]  # an edition's override belongs to the app it overrides
        source = TEMPLATE_FOLDERS.get(parts[0], "storefront.urls") if len(parts) > 1 else "storefront.urls"
        for match in re.finditer(r"{%\s*load\s+([^%]+?)\s*%}", path.read_text(encoding="utf-8")):
            names = match.group(1).split()
            if "from" in names:
                names = names[names.index("from") + 1 :]
            for name in names:
                target = libraries.get(name)
                if (
                    target
                    and target != source
                    and (source, target) not in allowed
                    and layers[target] > layers[source]
                ):
                    out.append(
                        f"upward template load {path.relative_to(root)}: {{% load {name} %}} "
                        f"({source} -> {target})"
                    )
    return out


def test_templates_load_no_tag_library_from_a_higher_layer():
    assert template_problems(ROOT, LAYERS, ALLOWED_TEMPLATE_LOADS) == []


def test_every_allowed_template_load_is_still_needed():
    found = set()
    for pair in ALLOWED_TEMPLATE_LOADS:
        if template_problems(ROOT, LAYERS, {k: v for k, v in ALLOWED_TEMPLATE_LOADS.items() if k != pair}):
            found.add(pair)
    assert found == set(ALLOWED_TEMPLATE_LOADS), "remove the entries no longer needed"


def test_the_template_checker_catches_a_lower_page_loading_a_higher_library(tmp_path):
    root = _tree(
        tmp_path,
        {
            "storefront/checkout/templatetags/oneclick.py": "",
            "storefront/catalog/templatetags/stars.py": "",
            "templates/catalog/product.html": "{% load stars %}{% load oneclick %}",
            "templates/editions/elder/catalog/product.html": "{% load total from oneclick %}",
            "templates/checkout/review.html": "{% load stars oneclick %}",
        },
    )
    assert template_problems(root, LAYERS, {}) == [
        "upward template load templates/catalog/product.html: {% load oneclick %} "
        "(storefront.catalog -> storefront.checkout)",
        "upward template load templates/editions/elder/catalog/product.html: {% load oneclick %} "
        "(storefront.catalog -> storefront.checkout)",
    ]
