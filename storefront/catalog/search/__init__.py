"""Typo-tolerant product search over names, brands and categories in every content language, in the database.

The one interface (`run`, `search`, `suggestions`, `clean_query`) plans a query the same way on every database
and hands the plan to the backend for the database in use: PostgreSQL (full-text search on a weighted tsvector
of each product's search document, pg_trgm over the vocabulary for typos; catalog.search.postgres) or the
embedded SQLite (FTS5 tables, a trigram one for typos; catalog.search.sqlite). Nothing is cached in the
process: documents are kept current on write (catalog.search.documents), so every server sees every change.

Planning: each query word matches a document word exactly (quality 1), as the start of a word ("choco" →
"chocolate", 0.8; one and two letters 0.6) or within a few edits ("bananna" → "banana", 1 − 0.2 per edit,
candidates from the vocabulary's trigram index, checked by edit distance here). A name match weighs 3, a
brand 2, a category 1. Products matching every word are shown if there are any, else products matching some;
order: words matched, score, then the product whose name says least besides its brand ("Bananas" before
"Banana Milk"). A query found only through typos reports what it was read as (`corrected`, "Showing results
for …"); a query finding nothing may get a "Did you mean" from the same vocabulary, up to three edits away.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connection

from .. import textmatch
from ..models import SearchTerm
from .documents import words

MAX_QUERY_LENGTH = 200
MAX_TERMS = 12
MAX_RESULTS = (
    1000  # a shopper never pages past this; it bounds the work for one-letter queries at 100k products
)
MIN_SUGGEST_LENGTH = 3
SUGGEST_EDITS = 3
NAME_WEIGHT, BRAND_WEIGHT, CATEGORY_WEIGHT = 3.0, 2.0, 1.0


@dataclass(frozen=True)
class Level:
    """One way a query word matches: these exact words, or words starting with `prefix`, at this quality."""

    quality: float
    words: tuple[str, ...] = ()
    prefix: str | None = None


@dataclass
class Term:
    text: str
    levels: list[Level] = field(default_factory=list)
    read_as: str = ""


@dataclass
class SearchResult:
    product_ids: list[int]
    suggestion: str | None = None  # "Did you mean …" when nothing matched
    corrected: str | None = None  # "Showing results for …" when typo matches stood in for the query's words


def backend():
    """The search backend for the database in use (PostgreSQL in production, SQLite embedded)."""
    if connection.vendor == "postgresql":
        from . import postgres

        return postgres.BACKEND
    from . import sqlite

    return sqlite.BACKEND


def clean_query(query: str) -> str:
    return " ".join((query or "").split())[:MAX_QUERY_LENGTH]


def search(query: str, *, language: str | None = None) -> list[int]:
    """Product ids for a query, best first. `language` is accepted for callers; every language is indexed."""
    return run(query).product_ids


def suggestions(query: str, limit: int = 8) -> list[int]:
    """Search-as-you-type: the best few products for a partial query (the last word counts as a prefix)."""
    return run(query, limit=limit).product_ids


def run(query: str, *, limit: int = MAX_RESULTS) -> SearchResult:
    texts = list(dict.fromkeys(words(clean_query(query))))[:MAX_TERMS]
    if not texts:
        return SearchResult([])
    engine = backend()
    with engine.session():
        terms = _plan(engine, texts)
        matchable = [t for t in terms if t.levels]
        ids: list[int] = []
        if len(matchable) == len(terms):
            ids = engine.rank(terms, require_all=True, limit=limit)
        if not ids and matchable:
            ids = engine.rank(matchable, require_all=False, limit=limit)
        if not ids:
            return SearchResult([], suggestion=_suggest(engine, texts))
    read_as = [t.read_as for t in terms]
    return SearchResult(ids, corrected=" ".join(read_as) if read_as != texts else None)


def _plan(engine, texts: list[str]) -> list[Term]:
    """How each query word may match, and what it reads as."""
    known = dict(SearchTerm.objects.filter(word__in=texts).values_list("word", "display"))
    terms = []
    for text in texts:
        term = Term(text, [Level(1.0, (text,))], read_as=text)
        if textmatch.is_han(text):
            if text not in known:
                term.levels = []
            terms.append(term)
            continue
        prefixed = SearchTerm.objects.filter(word__startswith=text).exclude(word=text).exists()
        if prefixed:
            term.levels.append(Level(0.8 if len(text) >= 3 else 0.6, prefix=text))
        typos = _typos(engine, text, textmatch.max_edits(text))
        by_quality: dict[float, list[str]] = {}
        for word, quality in typos.items():
            by_quality.setdefault(quality, []).append(word)
        term.levels.extend(Level(q, tuple(sorted(ws))) for q, ws in sorted(by_quality.items(), reverse=True))
        if text not in known and not prefixed:
            if typos:
                term.read_as = _read_as(engine, typos, known_display=_displayed(typos))
            else:
                term.levels = []
        terms.append(term)
    return terms


def _typos(engine, text: str, limit: int) -> dict[str, float]:
    """Vocabulary words within `limit` edits of a query word (not the word itself), with their quality."""
    if not limit:
        return {}
    found = {}
    for word in engine.typo_candidates(text, limit):
        if word == text or word.startswith(text):
            continue  # matched exactly or as a prefix, at a better quality
        distance = textmatch.edit_distance(text, word, limit)
        if distance <= limit:
            found[word] = 1.0 - 0.2 * distance
    return found


def _displayed(words_: dict[str, float]) -> set[str]:
    return set(SearchTerm.objects.filter(word__in=list(words_), display=True).values_list("word", flat=True))


def _read_as(engine, typos: dict[str, float], known_display: set[str]) -> str:
    """The best typo match, preferring words as written, then the word more products share."""
    shown = [w for w in typos if w in known_display] or list(typos)
    best = max(typos[w] for w in shown)
    tied = sorted(w for w in shown if typos[w] == best)
    if len(tied) == 1:
        return tied[0]
    return max(tied, key=lambda w: (engine.document_count(w), w))


def _suggest(engine, texts: list[str]) -> str | None:
    """ "Did you mean": each unknown word replaced by the nearest word as written (three edits at most), never
    for words shorter than three letters, and never a number or a tiny word ("a" is not a typo of "3")."""
    known = set(SearchTerm.objects.filter(word__in=texts).values_list("word", flat=True))
    corrected, changed = [], False
    for text in texts:
        if text in known:
            corrected.append(text)
            continue
        near = _nearest(engine, text)
        if near is None:
            continue
        corrected.append(near)
        changed = True
    return " ".join(corrected) if changed and corrected else None


def _nearest(engine, text: str) -> str | None:
    if len(text) < MIN_SUGGEST_LENGTH or textmatch.is_han(text):
        return None
    limit = min(SUGGEST_EDITS, len(text) - 1)
    candidates = [
        w
        for w in engine.typo_candidates(text, limit)
        if not textmatch.is_han(w) and len(w) >= MIN_SUGGEST_LENGTH and any(ch.isalpha() for ch in w)
    ]
    displayed = _displayed(dict.fromkeys(candidates, 0.0)) if candidates else set()
    best, best_d = None, limit + 1
    for word in sorted(displayed):
        d = textmatch.edit_distance(text, word, limit)
        if d < best_d:
            best, best_d = word, d
    return best
