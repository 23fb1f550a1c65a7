"""Map recogniser alternatives (n-best texts with scores) to catalogue entries.

An alternative is split into spans of up to three words; each span is compared with every item, brand and
category by Hangul-letter (jamo) similarity, so "초코 유" still finds "초코 우유". Alternatives are weighted by
their lattice score relative to the best one, and a product scores by its item plus (less) its brand: the item
carries the meaning, the brand only picks among products of that item.

Phrase prior: Vosk's grammar accepts any *sequence* of its phrases at no cost, so the decoder happily explains a
two-word product name as "brand" + "other brand item" or "item" + "item". A shopper says one thing: a product,
an item, a brand or a category, i.e. one grammar phrase. Each alternative therefore loses PHRASE_PENALTY (in the
lattice score's units) for every extra phrase needed to spell it, before the alternatives are weighed; the
reading that is one catalogue phrase wins unless the acoustics clearly prefer the longer one.
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
EXACT_PRODUCT_BONUS = 1.0  # an alternative spelling the whole "brand item" counts again as much as its item
MAX_SPAN = 3
LONGER_SPAN_BONUS = 0.15
PHRASE_PENALTY = 8.0  # lattice-score cost of each grammar phrase beyond the first in one alternative
# Alternatives weigh exp(score difference / TEMPERATURE). With the wider lattice of `decoder` the alternatives
# spread further in score, and a flatter weighting (1.5, penalty 8 instead of 1.0 and 5) gained 0.4 to 1.6
# points in every top-1 and top-3 cell of bench/voice/run.py on both seeds (7 and 11), clean and noisy.
TEMPERATURE = 1.5
MAX_PHRASE_WORDS = 4
# A span the recogniser heard exactly as one kind of phrase (brand, item or category) is no evidence for a
# similar-sounding phrase of another kind ("오션" is the brand, not a mangled item "로션"): the grammar made the
# decoder choose between them already. Its fuzzy similarity to components of other kinds is scaled by this.
CROSS_KIND_FUZZY = 0.0
SAME_ITEM_DISCOUNT = 0.6  # in the first three results, a second product of an already listed item counts less


@dataclass(frozen=True)
class Alternative:
    text: str  # words separated by spaces, garbage words removed
    confidence: float  # Vosk's lattice score: only differences between alternatives of one pass mean anything


def weights(alternatives: list[Alternative], temperature: float = TEMPERATURE) -> list[float]:
    if not alternatives:
        return []
    best = max(a.confidence for a in alternatives)
    raw = [math.exp((a.confidence - best) / temperature) for a in alternatives]
    total = sum(raw)
    return [r / total for r in raw]


def phrase_count(vocab: Vocabulary, text: str) -> int:
    """Fewest grammar phrases that spell `text` (a word outside the grammar counts as one phrase)."""
    known = vocab.phrase_set
    tokens = text.split()
    best = [0] + [len(tokens) + 1] * len(tokens)
    for end in range(1, len(tokens) + 1):
        best[end] = best[end - 1] + 1
        for start in range(max(0, end - MAX_PHRASE_WORDS), end):
            if best[start] + 1 < best[end] and " ".join(tokens[start:end]) in known:
                best[end] = best[start] + 1
    return best[-1]


def with_phrase_prior(vocab: Vocabulary, alternatives: list[Alternative]) -> list[Alternative]:
    """The alternatives with PHRASE_PENALTY taken off per extra phrase (see the module docstring)."""
    return [
        Alternative(a.text, a.confidence - PHRASE_PENALTY * max(0, phrase_count(vocab, a.text) - 1))
        for a in alternatives
        if a.text
    ]


def _spans(tokens: list[str]) -> list[tuple[int, int, str]]:
    out = []
    for size in range(1, MAX_SPAN + 1):
        for start in range(len(tokens) - size + 1):
            out.append((start, start + size, " ".join(tokens[start : start + size])))
    return out


@lru_cache(maxsize=50000)
def _close(span: str, components: tuple[str, ...]) -> tuple[tuple[str, float], ...]:
    """Components within reach of a span, with their similarity (cached: grammar outputs repeat a lot)."""
    if span in components:
        return ((span, 1.0),)
    return tuple(hangul.close_matches(span, components, MIN_SIMILARITY))


@dataclass
class Evidence:
    items: dict[str, float]
    brands: dict[str, float]
    categories: dict[str, float]
    products: dict[str, float]  # exact product phrases heard


def collect(vocab: Vocabulary, alternatives: list[Alternative], temperature: float = TEMPERATURE) -> Evidence:
    ev = Evidence(defaultdict(float), defaultdict(float), defaultdict(float), defaultdict(float))
    alternatives = with_phrase_prior(vocab, alternatives)
    exact = vocab.component_sets
    for alt, weight in zip(alternatives, weights(alternatives, temperature)):
        tokens = alt.text.split()
        if not tokens:
            continue
        spans = _spans(tokens)
        for kind, target in (("item", ev.items), ("brand", ev.brands), ("category", ev.categories)):
            best: dict[str, tuple[float, int, int]] = {}
            for start, end, span in spans:
                other_kind = any(span in words for k, words in exact.items() if k != kind)
                for comp, sim in _close(span, vocab.components.get(kind, ())):
                    if sim < 1.0 and other_kind:
                        sim *= CROSS_KIND_FUZZY
                        if sim <= 0.0:
                            continue
                    # A match that explains more words is worth more: "바나나 우육" is 바나나 우유, not 바나나.
                    score = sim * (1.0 + LONGER_SPAN_BONUS * (end - start - 1))
                    if score > best.get(comp, (0.0, 0, 0))[0]:
                        best[comp] = (score, start, end)
            for comp, (score, start, end) in best.items():
                inside_better = any(
                    s0 <= start and end <= e0 and (s0, e0) != (start, end) and other > score
                    for other, s0, e0 in best.values()
                )
                if not inside_better:
                    target[vocab.spoken_to_text[(kind, comp)]] += weight * score
        # Whole product names heard, the longest only: "오션 바나나 우유" is not also evidence for "오션 바나나".
        heard = [(start, end, span) for start, end, span in spans if ("product", span) in vocab.entries]
        for start, end, span in heard:
            if not any(s0 <= start and end <= e0 and (s0, e0) != (start, end) for s0, e0, _other in heard):
                ev.products[span] += weight
    return ev


def merge(evidences: list[Evidence]) -> Evidence:
    """Pool the evidence of several decodes of one utterance (each decode's weights already sum to one)."""
    out = Evidence(defaultdict(float), defaultdict(float), defaultdict(float), defaultdict(float))
    for ev in evidences:
        for mine, theirs in (
            (out.items, ev.items),
            (out.brands, ev.brands),
            (out.categories, ev.categories),
            (out.products, ev.products),
        ):
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
            score = (
                s
                + BRAND_WEIGHT * ev.brands.get(brand, 0.0)
                + EXACT_PRODUCT_BONUS * ev.products.get(key[1], 0.0)
            )
            if score > scores.get(key, 0.0):
                scores[key] = score
    for category, s in ev.categories.items():
        # A category name is a whole query on its own, as "brand item" is: weigh it like a product with brand.
        scores[("category", category)] = CATEGORY_WEIGHT * s
    return sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))


def diversify(
    vocab: Vocabulary,
    ranked: list[tuple[tuple[str, str], float]],
    ev: Evidence | None = None,
    head: int = 3,
    discount: float = SAME_ITEM_DISCOUNT,
) -> list[tuple[tuple[str, str], float]]:
    """Reorder the first `head` entries so they cover different items where the evidence allows.

    The first three results are the "Did you mean" choices: "A 사과", "B 사과", "C 사과" is one guess three times,
    while "A 사과", "A 사탕", "B 사과" gives the shopper a real second chance. A product whose item is already
    listed competes with its score times `discount`, and not at all (it goes after every other candidate) when
    nothing in `ev` named its brand: then it differs from the listed one only by a brand nobody said. The first
    entry never changes. Scores are kept as they were.
    """
    if len(ranked) <= 1 or discount >= 1.0:
        return ranked
    out: list[tuple[tuple[str, str], float]] = []
    rest = list(ranked[: head * 8])  # only near the top can anything move
    seen: set[str] = set()

    def item_of(key: tuple[str, str]) -> str | None:
        return vocab.product_item[vocab.entries[key].product_ids[0]] if key[0] == "product" else None

    def competing(kv: tuple[tuple[str, str], float]) -> float:
        if item_of(kv[0]) not in seen:
            return kv[1]
        brand = vocab.product_brand[vocab.entries[kv[0]].product_ids[0]]
        if ev is not None and ev.brands.get(brand, 0.0) <= 0.0:
            return 0.0
        return kv[1] * discount

    while rest and len(out) < head:
        best = max(rest, key=competing)
        rest.remove(best)
        out.append(best)
        item = item_of(best[0])
        if item is not None:
            seen.add(item)
    chosen = {key for key, _score in out}
    return out + [kv for kv in ranked if kv[0] not in chosen]
