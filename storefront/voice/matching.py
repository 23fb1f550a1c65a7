"""Map recogniser alternatives (n-best texts with scores) to catalogue entries.

An alternative is split into spans of up to three words; each span is compared with every item, brand and
category by Hangul-letter (jamo) similarity, so "초코 유" still finds "초코 우유". Alternatives are weighted by
their lattice score relative to the best one, and a product scores by its item plus (less) its brand: the item
carries the meaning, the brand only picks among products of that item.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from . import hangul
from .vocabulary import Vocabulary

MIN_SIMILARITY = 0.5  # below this a span is not evidence for a component
BRAND_WEIGHT = 0.5
CATEGORY_WEIGHT = 1.5
EXACT_PRODUCT_BONUS = 0.5
MAX_SPAN = 3
LONGER_SPAN_BONUS = 0.15


@dataclass(frozen=True)
class Alternative:
    text: str  # words separated by spaces, garbage words removed
    confidence: float  # Vosk's lattice score: only differences between alternatives of one pass mean anything


def weights(alternatives: list[Alternative], temperature: float = 1.0) -> list[float]:
    if not alternatives:
        return []
    best = max(a.confidence for a in alternatives)
    raw = [math.exp((a.confidence - best) / temperature) for a in alternatives]
    total = sum(raw)
    return [r / total for r in raw]


def _spans(tokens: list[str]) -> list[tuple[int, int, str]]:
    out = []
    for size in range(1, MAX_SPAN + 1):
        for start in range(len(tokens) - size + 1):
            out.append((start, start + size, " ".join(tokens[start:start + size])))
    return out


@lru_cache(maxsize=50000)
def _close(span: str, components: tuple[str, ...]) -> tuple[tuple[str, float], ...]:
    """Components within reach of a span, with their similarity (cached: grammar outputs repeat a lot)."""
    if span in components:
        return ((span, 1.0),)
    found = []
    for comp in components:
        sim = hangul.similarity(span, comp)
        if sim >= MIN_SIMILARITY:
            found.append((comp, sim))
    return tuple(found)


@dataclass
class Evidence:
    items: dict[str, float]
    brands: dict[str, float]
    categories: dict[str, float]
    products: dict[str, float]  # exact product phrases heard


def collect(vocab: Vocabulary, alternatives: list[Alternative], temperature: float = 1.0) -> Evidence:
    ev = Evidence(defaultdict(float), defaultdict(float), defaultdict(float), defaultdict(float))
    for alt, weight in zip(alternatives, weights(alternatives, temperature)):
        tokens = alt.text.split()
        if not tokens:
            continue
        spans = _spans(tokens)
        for kind, target in (("item", ev.items), ("brand", ev.brands), ("category", ev.categories)):
            best: dict[str, tuple[float, int, int]] = {}
            for start, end, span in spans:
                for comp, sim in _close(span, vocab.components.get(kind, ())):
                    # A match that explains more words is worth more: "바나나 우육" is 바나나 우유, not 바나나.
                    score = sim * (1.0 + LONGER_SPAN_BONUS * (end - start - 1))
                    if score > best.get(comp, (0.0, 0, 0))[0]:
                        best[comp] = (score, start, end)
            for comp, (score, start, end) in best.items():
                inside_better = any(s0 <= start and end <= e0 and (s0, e0) != (start, end) and other > score
                                    for other, s0, e0 in best.values())
                if not inside_better:
                    target[vocab.spoken_to_text[(kind, comp)]] += weight * score
        for _start, _end, span in spans:
            if ("product", span) in vocab.entries:
                ev.products[span] += weight
    return ev


def merge(evidences: list[Evidence]) -> Evidence:
    """Pool the evidence of several decodes of one utterance (each decode's weights already sum to one)."""
    out = Evidence(defaultdict(float), defaultdict(float), defaultdict(float), defaultdict(float))
    for ev in evidences:
        for mine, theirs in ((out.items, ev.items), (out.brands, ev.brands), (out.categories, ev.categories),
                             (out.products, ev.products)):
            for key, value in theirs.items():
                mine[key] += value
    return out


def rank(vocab: Vocabulary, ev: Evidence) -> list[tuple[tuple[str, str], float]]:
    """Entries (kind, text) with scores, best first: products, and categories when those were asked for."""
    scores: dict[tuple[str, str], float] = {}
    for item, s in ev.items.items():
        for pid in vocab.entries[("item", item)].product_ids:
            brand = vocab.product_brand[pid]
            key = ("product", vocab.product_text[pid])
            score = s + BRAND_WEIGHT * ev.brands.get(brand, 0.0) + EXACT_PRODUCT_BONUS * ev.products.get(key[1], 0.0)
            if score > scores.get(key, 0.0):
                scores[key] = score
    for category, s in ev.categories.items():
        # A category name is a whole query on its own, as "brand item" is: weigh it like a product with brand.
        scores[("category", category)] = CATEGORY_WEIGHT * s
    return sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
