"""Typo-tolerant product search over names, brands and categories in every content language.

An in-memory index (per process, rebuilt when the catalogue's stamp changes) maps words to products. Query
words match index words exactly, by prefix ("choco" → "chocolate"; one and two letters too: "a" → "apples")
or within a few edits ("bananna" → "bananas", via a SymSpell-style deletion table, so a lookup costs
microseconds rather than a scan). Products are ranked by how many query words they match, then by match quality
and field weight. A query found only through typo matches reports the words it was read as (`corrected`), so
the page can say "Showing results for …"; "Did you mean" is offered only for words of three letters or more.
"""

from __future__ import annotations

import bisect
import threading
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Max

from . import textmatch
from .models import Product

MAX_QUERY_LENGTH = 200
MIN_SUGGEST_LENGTH = 3
NAME_WEIGHT, BRAND_WEIGHT, CATEGORY_WEIGHT = 3.0, 2.0, 1.0


@dataclass
class _Index:
    stamp: tuple
    postings: dict[str, dict[int, float]] = field(default_factory=dict)  # word -> {product id: weight}
    words: list[str] = field(default_factory=list)  # sorted, for prefix lookups
    deletions: dict[str, set[str]] = field(default_factory=dict)  # deletion variant -> words
    display: dict[str, str] = field(default_factory=dict)  # word -> a readable form for "Did you mean"
    name_length: dict[int, int] = field(default_factory=dict)  # product id -> name words besides the brand

    def matches(self, term: str) -> dict[str, float]:
        """Index words matching a query word, with a quality between 0 and 1."""
        found: dict[str, float] = {}
        if term in self.postings:
            found[term] = 1.0
        if textmatch.is_han(term):
            return found
        # Short queries match by prefix only (a one-letter word has no useful typo), ranked below longer ones.
        prefix_quality = 0.8 if len(term) >= 3 else 0.6
        i = bisect.bisect_left(self.words, term)
        while i < len(self.words) and self.words[i].startswith(term):
            found.setdefault(self.words[i], prefix_quality)
            i += 1
        limit = textmatch.max_edits(term)
        if limit:
            for variant in textmatch.deletes(term, limit):
                for word in self.deletions.get(variant, ()):
                    if word in found:
                        continue
                    distance = textmatch.edit_distance(term, word, limit)
                    if distance <= limit:
                        found[word] = 1.0 - 0.2 * distance
        return found

    def nearest(self, term: str, limit: int = 3) -> str | None:
        """The closest index word within a looser limit, for "Did you mean" (never for one or two letters,
        and never a bare number or a word shorter than three letters: "a" is not a typo of "3")."""
        if len(term) < MIN_SUGGEST_LENGTH:
            return None
        limit = min(limit, len(term) - 1)
        best, best_d = None, limit + 1
        for word in self.words:
            if (textmatch.is_han(word) or word not in self.display  # skip Han and plural-folded forms
                    or len(word) < MIN_SUGGEST_LENGTH or not any(ch.isalpha() for ch in word)):
                continue
            d = textmatch.edit_distance(term, word, min(limit, best_d - 1) if best_d <= limit else limit)
            if d < best_d:
                best, best_d = word, d
        return best


_lock = threading.Lock()
_index: _Index | None = None


def _catalogue_stamp() -> tuple:
    agg = Product.objects.filter(is_active=True).aggregate(n=Count("id"), changed=Max("updated_at"))
    return (agg["n"], agg["changed"])


def _build(stamp: tuple) -> _Index:
    index = _Index(stamp=stamp)
    postings: dict[str, dict[int, float]] = defaultdict(dict)
    rows = Product.objects.filter(is_active=True).values_list(
        "id", "name", "name_zh_hans", "name_ko", "name_ar",
        "brand__name", "brand__name_zh_hans", "brand__name_ko", "brand__name_ar",
        "category__name", "category__name_zh_hans", "category__name_ko", "category__name_ar",
    )
    per_group = 4  # one column per content language: names, then brands, then categories
    for pid, *texts in rows:
        brand_words = set(textmatch.tokens(texts[per_group] or ""))
        index.name_length[pid] = sum(1 for w in textmatch.tokens(texts[0] or "") if w not in brand_words)
        for position, text in enumerate(texts):
            weight = (NAME_WEIGHT if position < per_group else BRAND_WEIGHT if position < 2 * per_group
                      else CATEGORY_WEIGHT)
            for word in textmatch.tokens(text or ""):
                # An English plural is also indexed as its singular, so "bananna" reaches "Bananas" as
                # closely as it reaches "Banana Milk".
                for form in (word, textmatch.singular(word)):
                    if form and postings[form].get(pid, 0) < weight:
                        postings[form][pid] = weight
                index.display.setdefault(word, word)
    index.postings = dict(postings)
    index.words = sorted(index.postings)
    deletions: dict[str, set[str]] = defaultdict(set)
    for word in index.words:
        if not textmatch.is_han(word):
            for variant in textmatch.deletes(word, 2 if len(word) > 5 else 1):
                deletions[variant].add(word)
    index.deletions = dict(deletions)
    return index


def get_index() -> _Index:
    """The current index, rebuilt (once, under a lock) when products were added, removed or edited."""
    global _index
    stamp = _catalogue_stamp()
    current = _index
    if current is not None and current.stamp == stamp:
        return current
    with _lock:
        if _index is None or _index.stamp != stamp:
            _index = _build(stamp)
        return _index


@dataclass
class SearchResult:
    product_ids: list[int]
    suggestion: str | None = None  # "Did you mean …" when nothing matched
    corrected: str | None = None  # "Showing results for …" when typo matches stood in for the query's words


def clean_query(query: str) -> str:
    return " ".join((query or "").split())[:MAX_QUERY_LENGTH]


def search(query: str, *, language: str | None = None) -> list[int]:
    """Product ids for a query, best first. `language` is accepted for callers; every language is indexed."""
    return run(query).product_ids


def run(query: str) -> SearchResult:
    terms = list(dict.fromkeys(textmatch.tokens(clean_query(query))))[:12]
    if not terms:
        return SearchResult([])
    index = get_index()
    coverage: dict[int, int] = defaultdict(int)
    score: dict[int, float] = defaultdict(float)
    read_as: list[str] = []
    for term in terms:
        best: dict[int, float] = {}
        found = index.matches(term)
        read_as.append(_read_as(index, term, found))
        for word, quality in found.items():
            for pid, weight in index.postings[word].items():
                value = quality * weight
                if value > best.get(pid, 0):
                    best[pid] = value
        for pid, value in best.items():
            coverage[pid] += 1
            score[pid] += value
    if not coverage:
        return SearchResult([], suggestion=_suggest(index, terms))
    top = max(coverage.values())
    keep = [pid for pid, c in coverage.items() if c == top] if top == len(terms) else list(coverage)
    # Equal scores: the product whose name says little else comes first ("Bananas" before "Banana Milk").
    keep.sort(key=lambda pid: (-coverage[pid], -score[pid], index.name_length.get(pid, 0), pid))
    corrected = " ".join(read_as)
    return SearchResult(keep, corrected=corrected if read_as != terms else None)


def _read_as(index: _Index, term: str, found: dict[str, float]) -> str:
    """The term itself when it matched as typed (exactly or as a prefix), else its best typo match."""
    if not found or term in found or any(word.startswith(term) for word in found):
        return term
    shown = [word for word in found if word in index.display] or list(found)
    return max(shown, key=lambda word: (found[word], len(index.postings[word]), word))


def _suggest(index: _Index, terms: list[str]) -> str | None:
    corrected = []
    changed = False
    for term in terms:
        if term in index.postings:
            corrected.append(term)
            continue
        near = index.nearest(term) if not textmatch.is_han(term) else None
        if near is None:
            continue
        corrected.append(near)
        changed = True
    return " ".join(corrected) if changed and corrected else None


def suggestions(query: str, limit: int = 8) -> list[int]:
    """Search-as-you-type: the best few products for a partial query."""
    return run(query).product_ids[:limit]
