"""The independent checkers the tests run beside axe-core: where their npm files live, the reviewed exceptions
files, and the W3C Nu HTML checker run once in batch on saved pages.

The npm packages are pinned in tests/tools/package.json and installed by .ci/node-tools (`make test` runs it).
Without them (or without Java) the tests skip locally and fail under CI=true.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

TOOLS = Path(__file__).parent
VNU_JAR = TOOLS / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
HTMLCS_JS = TOOLS / "node_modules" / "html_codesniffer" / "build" / "HTMLCS.js"


def require(condition: bool, message: str) -> None:
    """Skip locally, fail under CI=true: CI must never pass because a tool is missing."""
    if condition:
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true: {message}", pytrace=False)
    pytest.skip(message)


@dataclass(frozen=True)
class Exception_:
    pattern: re.Pattern
    reason: str


def load_exceptions(path: Path) -> list[Exception_]:
    """Lines `REGEX  # reason` (a reason is required); blank lines and lines starting with # are skipped."""
    out = []
    for number, line in enumerate(path.read_text().splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        pattern, sep, reason = line.partition("  # ")
        assert sep and reason.strip(), f"{path.name}:{number}: every exception needs a reason after '  # '"
        out.append(Exception_(re.compile(pattern.strip()), reason.strip()))
    return out


def excepted(text: str, exceptions: list[Exception_]) -> bool:
    return any(e.pattern.search(text) for e in exceptions)


def run_vnu(files: list[Path]) -> list[dict]:
    """The Nu checker's errors for the files (one JVM start): dicts with url, message, extract, lastLine."""
    require(VNU_JAR.exists(), f"{VNU_JAR} is missing: run bash .ci/node-tools")
    java = shutil.which("java")
    require(java is not None, "java is missing: install default-jre-headless (bash .ci/system-packages)")
    done = subprocess.run(
        [java, "-Xss8m", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    report = json.loads(done.stderr or done.stdout or '{"messages": []}')
    return [
        m for m in report["messages"] if m.get("type") == "error" or (m.get("type") == "non-document-error")
    ]
