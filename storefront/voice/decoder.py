"""Decoder settings (beam widths) for a Vosk model, applied through an overlay of its directory.

Vosk takes the Kaldi decoder's options only from the model's own `conf/model.conf`; its API has no call for
them, and the shipped model is a package we do not edit. So when settings ask for other options, the model is
loaded from an overlay: a directory of symbolic links to the model's parts (nothing is copied: the model is
about 545 MB) whose `conf/model.conf` is the original with those options replaced. Overlays are kept under
VOICE_MODEL_OVERLAY_DIR, named by a digest of the model path and the options, and built atomically so that
several processes starting at once agree on one.

Why the shipped model gets wider beams (bench/voice/run.py, 856 utterances per sample): the model's own settings
(beam 10, lattice beam 2) keep so few paths that the right item was in no n-best alternative for about one
clean product query in six. Beam 16, lattice beam 4 with at most 1,000 active states lets the alternatives
reach it more often, and the cap keeps each decode no dearer than the model's default.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger(__name__)

# Options of Kaldi's lattice-faster decoder that are safe to tune; anything else in model.conf (endpointing,
# frame subsampling) belongs to how the model was trained or how audio is streamed.
TUNABLE = {"beam": float, "lattice-beam": float, "max-active": int, "min-active": int}


def options_for(language: str) -> dict[str, float | int]:
    """The decoder options configured for `language` (VOICE_DECODER_OPTIONS), validated; {} when none."""
    configured = getattr(settings, "VOICE_DECODER_OPTIONS", {}) or {}
    raw = configured.get(language) or configured.get(language.split("-")[0]) or {}
    return validate(raw)


def validate(raw: dict) -> dict[str, float | int]:
    """Options as numbers, or ImproperlyConfigured naming the bad one."""
    out: dict[str, float | int] = {}
    for key, value in raw.items():
        kind = TUNABLE.get(key)
        if kind is None:
            raise ImproperlyConfigured(
                f"VOICE_DECODER_OPTIONS: {key!r} is not a tunable decoder option (use {', '.join(sorted(TUNABLE))})."
            )
        try:
            number = kind(value)
        except (TypeError, ValueError):
            raise ImproperlyConfigured(
                f"VOICE_DECODER_OPTIONS: {key} must be a number, not {value!r}."
            ) from None
        if number <= 0:
            raise ImproperlyConfigured(f"VOICE_DECODER_OPTIONS: {key} must be positive, not {value!r}.")
        out[key] = number
    return out


def rewrite_conf(original: str, options: dict[str, float | int]) -> str:
    """model.conf text with each option's line replaced (or added): `--beam=10.0` becomes `--beam=16.0`."""
    lines = original.splitlines()
    for key, value in sorted(options.items()):
        line = f"--{key}={value}"
        pattern = re.compile(rf"^\s*--{re.escape(key)}=")
        found = [i for i, text in enumerate(lines) if pattern.match(text)]
        for i in found:
            lines[i] = line
        if not found:
            lines.append(line)
    return "\n".join(lines) + "\n"


def overlay_root() -> Path:
    configured = getattr(settings, "VOICE_MODEL_OVERLAY_DIR", None)
    return Path(configured) if configured else Path(tempfile.gettempdir()) / "openbasket-voice-models"


def model_dir(path: str, options: dict[str, float | int]) -> str:
    """The directory to load the model at `path` from so that it decodes with `options`.

    `path` itself when there are no options, or when the overlay cannot be made (a model without
    conf/model.conf, no symbolic links on this file system, a read-only disk): the model then works with its
    own settings and a warning says so.
    """
    if not options:
        return path
    source = Path(path).resolve()
    try:
        conf_text = rewrite_conf((source / "conf" / "model.conf").read_text(), options)
        digest = hashlib.sha256(f"{source}\n{conf_text}".encode()).hexdigest()[:12]
        target = overlay_root() / f"{source.parent.name}-{source.name}-{digest}"
        if not (target / "conf" / "model.conf").is_file():
            _build(source, target, {"conf/model.conf": conf_text.encode()})
    except OSError as exc:
        logger.warning(
            "Voice model %s: no decoder overlay could be made (%s); using the model's own decoder settings.",
            source,
            exc,
        )
        return path
    return str(target)


def _build(source: Path, target: Path, replaced: dict[str, bytes | Path]) -> None:
    """Make `target` an overlay of `source`: symbolic links to its parts, except the files in `replaced`
    ("conf/model.conf": its new bytes, or a Path to link to instead). Atomic: another process making the same
    overlay first is fine."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    folders = {name.split("/")[0] for name in replaced}
    try:
        for entry in source.iterdir():
            if entry.name not in folders:
                (staging / entry.name).symlink_to(entry)
        for folder in folders:
            (staging / folder).mkdir()
            for entry in (source / folder).iterdir():
                if f"{folder}/{entry.name}" not in replaced:
                    (staging / folder / entry.name).symlink_to(entry)
        for name, content in replaced.items():
            if isinstance(content, Path):
                (staging / name).symlink_to(content)
            else:
                (staging / name).write_bytes(content)
        os.rename(staging, target)
    except OSError:
        first = next(iter(replaced))
        if (target / first).exists():  # another process made the same overlay first
            return
        raise
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


# Catalogue grammar overlays kept per model and options; older ones are removed when a new one is made.
GRAMMAR_OVERLAYS_KEPT = 4


def has_sentence_graph(path: str) -> bool:
    """Whether the model decodes through HCLr.fst + Gr.fst (a grammar can be put in); HCLG-only models cannot."""
    graph = Path(path) / "graph"
    return (graph / "HCLr.fst").is_file() and (graph / "Gr.fst").is_file()


def grammar_model_dir(
    path: str, options: dict[str, float | int], name: str, graph: bytes, symbols: Callable[[], str]
) -> str:
    """An overlay of the model at `path` that decodes with `options` and with `graph` (an OpenFst acceptor of
    the catalogue's sentences, see `sentences`) as its grammar. `symbols` gives the model's words.txt text
    (asked for once per model: the file is shared by its overlays). Raises OSError when it cannot be made."""
    source = Path(path).resolve()
    conf_text = rewrite_conf((source / "conf" / "model.conf").read_text(), options)
    options_digest = hashlib.sha256(f"{source}\n{conf_text}".encode()).hexdigest()[:12]
    prefix = f"{source.parent.name}-{source.name}-{options_digest}-g"
    root = overlay_root()
    target = root / f"{prefix}{name}"
    if (target / "graph" / "Gr.fst").is_file():
        os.utime(target)  # in use: the newest are kept
        return str(target)
    root.mkdir(parents=True, exist_ok=True)
    words = root / f"{source.parent.name}-{source.name}-words.txt"
    if not words.is_file():
        _write_atomically(words, symbols().encode("utf-8"))
    _build(
        source,
        target,
        {"conf/model.conf": conf_text.encode(), "graph/Gr.fst": graph, "graph/words.txt": words},
    )
    _prune(root, prefix, keep=target)
    return str(target)


def _write_atomically(path: Path, data: bytes) -> None:
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(temporary, 0o644)  # mkstemp makes it private; the model's other files are world-readable
        os.replace(temporary, path)
    except OSError:
        os.unlink(temporary)
        raise


def _prune(root: Path, prefix: str, keep: Path) -> None:
    """Remove all but the newest GRAMMAR_OVERLAYS_KEPT grammar overlays of one model (a loaded model has read
    its files already; a process that still needs an old one rebuilds it)."""
    overlays = sorted(
        (p for p in root.glob(f"{prefix}*") if p.is_dir() and p != keep),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    for old in overlays[GRAMMAR_OVERLAYS_KEPT - 1 :]:
        shutil.rmtree(old, ignore_errors=True)
