"""The catalogue's spoken vocabulary per language, and the Vosk grammar built from it.

Entries are what a shopper can say: a product ("썬샤인 사과"), an item shared by brands ("사과"), a brand or a
category. Only words the model knows go into the grammar. Built once per (model, language, catalogue version)
and cached in process memory; a request never rebuilds it unless the catalogue changed.

The grammar scales with the vocabulary, not with the number of products: its phrases are the distinct items,
brands, categories and "brand item" names in the words the model knows, so a thousand sizes and packs of one
"brand item" add nothing (measured: `tests/voice/test_voice_vocabulary.py`), and a word put before many items
(유기농, 미니: a range) is one phrase of its own rather than one per item and brand (`qualified_items`). On the
100,000-product bench catalogue (16 ranges of every brand item) that keeps the grammar at 1,347 phrases instead
of 24,819: decoding as fast as on the demo, and top-1 as good (bench/voice/served.py). Knowing whether the catalogue
changed costs one read of the catalogue's own version counter (storefront/catalog/version.py, bumped by every
catalogue change, bulk ones included), not a table scan.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Max

from storefront.catalog.models import Brand, Category, Product
from storefront.catalog.translated import field_suffix

from . import sentences

# Graph cost (decoder score units, as matching.PHRASE_PENALTY) of a name with a range word in it ("썬샤인 유기농
# 사과"). Without it, a big catalogue's sentence graph lets the decoder slip a range word into a plain name: at
# 100,000 products "코스모스 아몬드" was heard as "코스모스 라이트 아몬드" and served top-1 fell from 55.7 to 42.6%.
QUALIFIER_COST = 8.0
QUALIFIER_MIN_ITEMS = 5  # a word put before at least this many items is a qualifier (see `qualified_items`)
UNKNOWN_WORDS = ("[unk]", "<UNK>", "<unk>")  # the garbage word differs between models
_WORD = re.compile(r"[^\W_]+(?:['-][^\W_]+)*")


def words(text: str) -> list[str]:
    return _WORD.findall((text or "").lower())


def normalise(text: str) -> str:
    return " ".join(words(text))


@dataclass(frozen=True)
class Entry:
    kind: str  # "product", "item", "category" or "brand"
    text: str  # normalised words, as the recogniser would output them
    label: str  # as shown to the shopper
    product_ids: tuple[int, ...]


@dataclass
class Vocabulary:
    version: str
    language: str
    entries: dict[tuple[str, str], Entry] = field(default_factory=dict)  # (kind, text) -> entry
    product_text: dict[int, str] = field(default_factory=dict)  # product id -> normalised name
    product_item: dict[int, str] = field(default_factory=dict)  # product id -> item text
    product_brand: dict[int, str] = field(default_factory=dict)  # product id -> brand text
    product_category: dict[int, str] = field(default_factory=dict)
    product_label: dict[int, str] = field(default_factory=dict)
    known_words: frozenset[str] = frozenset()
    # A word the model lacks -> the known words that say it ("과일" -> "과 일"); see `spelling`.
    spellings: dict[str, str] = field(default_factory=dict)
    unknown_word: str | None = None
    phrases: list[str] = field(default_factory=list)  # grammar phrases (known words only)
    phrase_set: frozenset[str] = frozenset()
    grammar_json: str = ""
    text_to_pid: dict[str, int] = field(default_factory=dict)  # product name -> its first product (ranking)
    stamp: str = ""  # the cheap change stamp it was last confirmed under (see `quick_stamp`)
    # Spoken forms (known words only) of items, brands and categories, and the way back to catalogue texts.
    components: dict[str, tuple[str, ...]] = field(default_factory=dict)
    component_sets: dict[str, frozenset[str]] = field(default_factory=dict)  # the same, for membership tests
    spoken_to_text: dict[tuple[str, str], str] = field(default_factory=dict)
    commands: dict[str, str] = field(default_factory=dict)  # spoken command phrase -> command name
    # Whole things a shopper says: every catalogue name, item, brand, category, range word and command as the
    # model spells it. The decoding graph of `sentences` accepts exactly these, one per utterance.
    sentences: dict[str, float] = field(default_factory=dict)  # sentence -> its cost in the graph
    sentences_digest: str = ""

    def of_kind(self, kind: str) -> list[Entry]:
        return [e for (k, _t), e in self.entries.items() if k == kind]

    def grammar(self) -> str:
        """JSON grammar for KaldiRecognizer: every phrase plus the garbage word (built once, in from_rows)."""
        return self.grammar_json

    def speakable(self, text: str) -> str:
        """Only the words of `text` that the model can recognise."""
        return " ".join(w for w in text.split() if w in self.known_words)

    def spoken(self, text: str) -> str:
        """`text` as the grammar says it: known words as they are, a word the model lacks spelled with known
        words where it can be ("과일" -> "과 일"), left out where it cannot ("1kg")."""
        return " ".join(
            w if w in self.known_words else self.spellings[w]
            for w in text.split()
            if w in self.known_words or w in self.spellings
        )


MAX_SPELLING_PIECES = 2


def spelling(word: str, model: Any) -> str | None:
    """`word` as at most MAX_SPELLING_PIECES words the model knows that run together into it, or None.

    The Korean model's lexicon lacks some everyday words (과일, "fruit", is one) but has their syllables as
    words of their own; said at a normal pace, "과 일" sounds like "과일". The fewest pieces win (longer pieces
    are less confusable); digits and latin letters ("1kg") are never spelled.
    """
    if not word or not all("\uac00" <= ch <= "\ud7a3" for ch in word):
        return None
    best: list[list[str] | None] = [[]] + [None] * len(word)
    for end in range(1, len(word) + 1):
        for start in range(end):
            before = best[start]
            if before is None or len(before) >= MAX_SPELLING_PIECES:
                continue
            piece = word[start:end]
            current = best[end]
            if (current is None or len(before) + 1 < len(current)) and model.vosk_model_find_word(
                piece
            ) != -1:
                best[end] = [*before, piece]
    found = best[-1]
    return " ".join(found) if found and len(found) > 1 else None


def catalogue_version(language: str) -> str:
    """Changes whenever a product, category or brand name the grammar uses could have changed."""
    suffix = field_suffix(language)
    agg = Product.objects.filter(is_active=True).aggregate(n=Count("id"), changed=Max("updated_at"))
    names = list(Category.objects.order_by("pk").values_list("pk", "name", f"name{suffix}"))
    names += list(Brand.objects.order_by("pk").values_list("pk", "name", f"name{suffix}"))
    digest = hashlib.sha1(repr((agg["n"], agg["changed"], names)).encode()).hexdigest()
    return digest


def build(language: str, model: Any, version: str) -> Vocabulary:
    suffix = field_suffix(language)
    rows = (
        Product.objects.filter(is_active=True)
        .order_by("pk")
        .values_list(
            "pk",
            "name",
            f"name{suffix}",
            "brand__name",
            f"brand__name{suffix}",
            "category__name",
            f"category__name{suffix}",
        )
    )
    return from_rows(
        language,
        model,
        version,
        (
            (pid, name_l or name, brand_l or brand, category_l or category)
            for pid, name, name_l, brand, brand_l, category, category_l in rows
        ),
    )


def demo_rows() -> list[tuple[int, str, str, str]]:
    """The demo catalogue in Korean as `from_rows` takes it (every brand x item, ids counted in that order), for
    the benchmark and the tests that need the real vocabulary without a database."""
    from storefront.catalog.demo_data import BRANDS, CATEGORIES

    rows, pid = [], 0
    for category in CATEGORIES:
        for item in category.items:
            for brand in BRANDS:
                pid += 1
                rows.append((pid, f"{brand.ko} {item.ko}", brand.ko, category.name.ko))
    return rows


def from_rows(
    language: str, model: Any, version: str, rows: Iterable[tuple[int, str, str, str]]
) -> Vocabulary:
    """A vocabulary from (product id, product name, brand name, category name) in the language (benchmarks)."""
    vocab = Vocabulary(version=version, language=language)
    normalised = [
        (
            pid,
            label,
            brand_label,
            category_label,
            normalise(label),
            normalise(brand_label),
            normalise(category_label),
        )
        for pid, label, brand_label, category_label in rows
    ]
    every_word = {w for row in normalised for text in row[4:] for w in text.split()}
    vocab.known_words = frozenset(w for w in every_word if model.vosk_model_find_word(w) != -1)
    for word in every_word - vocab.known_words:
        spelled = spelling(word, model)
        if spelled:
            vocab.spellings[word] = spelled
    grouped: dict[tuple[str, str], list[int]] = defaultdict(list)
    labels: dict[tuple[str, str], str] = {}
    for pid, label, brand_label, category_label, text, brand_text, category_text in normalised:
        # The item is the product name without its brand ("썬샤인 사과" -> "사과"): what people say most. Sizes,
        # pack counts and other words nobody can say ("사과 1kg") are not part of it, so the 1 kg and the 2 kg
        # bag are one item and one phrase: the grammar grows with the vocabulary, not with the products.
        item_text = text[len(brand_text) + 1 :] if brand_text and text.startswith(brand_text + " ") else text
        item_text = vocab.speakable(item_text) or item_text
        vocab.product_text[pid], vocab.product_item[pid], vocab.product_brand[pid] = (
            text,
            item_text,
            brand_text,
        )
        vocab.product_category[pid], vocab.product_label[pid] = category_text, label
        for kind, key, shown in (
            ("product", text, label),
            ("item", item_text, item_text),
            ("brand", brand_text, brand_label),
            ("category", category_text, category_label),
        ):
            if key:
                grouped[(kind, key)].append(pid)
                labels.setdefault((kind, key), shown)
    for pid, text in vocab.product_text.items():
        vocab.text_to_pid.setdefault(text, pid)
    for group, pids in grouped.items():
        vocab.entries[group] = Entry(
            kind=group[0], text=group[1], label=labels[group], product_ids=tuple(pids)
        )
    vocab.unknown_word = next((w for w in UNKNOWN_WORDS if model.vosk_model_find_word(w) != -1), None)
    said = {key: vocab.spoken(key[1]) for key in grouped}  # each catalogue text as the grammar says it
    names = set(said.values())
    qualified = qualified_items({form for (kind, _text), form in said.items() if kind == "item"})
    brands = {form for (kind, _text), form in said.items() if kind == "brand"}
    phrases = {
        phrase
        for phrase in names
        if phrase not in qualified and not _brand_and_qualified(phrase, brands, qualified)
    }
    phrases |= {qualifier for qualifier, _item in qualified.values()}
    from .commands import phrases_for

    for phrase, command in phrases_for(language).items():
        # Only whole phrases the model can say, and none that is also a catalogue phrase (a product wins).
        if all(model.vosk_model_find_word(w) != -1 for w in phrase.split()) and phrase not in phrases:
            vocab.commands[phrase] = command
    phrases |= set(vocab.commands)
    vocab.phrases = sorted(p for p in phrases if p)
    # Counting phrases (matching's phrase prior) knows every catalogue name, the qualified ones too: the decoder
    # spells "썬샤인 유기농 사과" as three grammar phrases, but the shopper said one name.
    vocab.phrase_set = frozenset(vocab.phrases) | frozenset(p for p in names if p)
    # Each sentence with its graph cost: a range word (qualifier) must be heard, not guessed (see QUALIFIER_COST).
    # The garbage word is a sentence too: a cough or a door is heard as nothing rather than as a product.
    ranged = {p for p in names if p in qualified or _brand_and_qualified(p, brands, qualified)}
    vocab.sentences = {p: QUALIFIER_COST if p in ranged else 0.0 for p in vocab.phrase_set}
    if vocab.unknown_word:
        vocab.sentences[vocab.unknown_word] = 0.0
    vocab.sentences_digest = sentences.digest(vocab.sentences)
    vocab.grammar_json = json.dumps(
        vocab.phrases + ([vocab.unknown_word] if vocab.unknown_word else []), ensure_ascii=False
    )
    for kind in ("item", "brand", "category"):
        spoken = {}
        for entry in vocab.of_kind(kind):
            form = said[(kind, entry.text)]
            if form:
                spoken[form] = entry.text
                vocab.spoken_to_text[(kind, form)] = entry.text
        vocab.components[kind] = tuple(sorted(spoken))
        vocab.component_sets[kind] = frozenset(spoken)
    return vocab


def qualified_items(items: set[str]) -> dict[str, tuple[str, str]]:
    """Items that are a qualifier and another item ("유기농 사과" -> ("유기농", "사과")), where the qualifier is
    shared by at least QUALIFIER_MIN_ITEMS items.

    A large catalogue names its ranges with a few words put before many items (organic, mini, family pack):
    as whole phrases they would multiply the grammar by the number of qualifiers, which makes every decode
    slower and gives the decoder thousands of near-identical phrases to confuse. Given as phrases of their own,
    the decoder spells "썬샤인 유기농 사과" as brand + qualifier + item. A word before only a few items
    ("바나나 우유", "딸기 우유") names an item of its own and stays inside it.
    """
    splits: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for item in items:
        tokens = item.split()
        for cut in range(1, len(tokens)):
            rest = " ".join(tokens[cut:])
            if rest in items:
                splits[" ".join(tokens[:cut])].append((item, rest))
    out: dict[str, tuple[str, str]] = {}
    for qualifier, pairs in splits.items():
        if len(pairs) >= QUALIFIER_MIN_ITEMS:
            for item, rest in pairs:
                known = out.get(item)
                if known is None or len(rest) > len(known[1]):  # the longest item after the qualifier
                    out[item] = (qualifier, rest)
    return out


def _brand_and_qualified(phrase: str, brands: set[str], qualified: dict[str, tuple[str, str]]) -> bool:
    """Whether `phrase` is "brand qualified-item" (spelled by the grammar as brand + qualifier + item)."""
    tokens = phrase.split()
    return any(
        " ".join(tokens[:cut]) in brands and " ".join(tokens[cut:]) in qualified
        for cut in range(1, len(tokens))
    )


_lock = threading.Lock()
_cache: dict[tuple[int, str], Vocabulary] = {}


def quick_stamp() -> str:
    """The catalogue version: one cache (or single-row) read, moved by every change the grammar could see."""
    from storefront.catalog.version import catalogue_version as shop_version

    return f"v{shop_version()}"


def get_vocabulary(language: str, model: Any) -> Vocabulary:
    """The cached vocabulary for this model and language, rebuilt (once, under a lock) when the catalogue changed."""
    # Per lexicon: the registry swaps in a model with the catalogue's sentence graph whose words are the same.
    key = (getattr(model, "openbasket_lexicon", id(model)), language)
    stamp = quick_stamp()
    vocab = _cache.get(key)
    if vocab is not None and vocab.stamp == stamp:
        return vocab
    with _lock:
        vocab = _cache.get(key)
        if vocab is not None and vocab.stamp == stamp:
            return vocab
        version = catalogue_version(language)
        if vocab is None or vocab.version != version:
            vocab = build(language, model, version)
            _cache[key] = vocab
        vocab.stamp = stamp
        return vocab
