"""The search documents: how a product is analysed into the words it is found by, and keeping those rows current.

One analysis (catalog.textmatch: case and accents folded, Han runs split into characters and pairs, English
plurals also indexed as their singulars) for both databases, so PostgreSQL and SQLite find the same products.
Documents are written here, outside any search request: `index_products` on commit of a product save (signals),
a task for a renamed brand or category (it can touch thousands of products), and `rebuild` for bulk loads
(`manage.py rebuild_search`, run by `seed_demo`), which bypass signals.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection, transaction

from .. import textmatch
from ..models import Product, SearchDocument, SearchTerm

LANGUAGE_SUFFIXES = ("", "_zh_hans", "_ko", "_ar")  # one column per content language
_COLUMNS = (
    "id",
    *(f"name{s}" for s in LANGUAGE_SUFFIXES),
    *(f"brand__name{s}" for s in LANGUAGE_SUFFIXES),
    *(f"category__name{s}" for s in LANGUAGE_SUFFIXES),
)
BATCH = 2000


def words(text: str) -> list[str]:
    """The words of a text as documents and queries hold them (underscores split, as PostgreSQL's parser does)."""
    return [part for token in textmatch.tokens(text or "") for part in token.split("_") if part]


@dataclass
class Analysed:
    names: list[str]
    brand: list[str]
    category: list[str]
    name_length: int
    literal: set[str]  # words as written, offered by "Did you mean"; folded singulars are matched only

    def document(self, product_id: int) -> SearchDocument:
        return SearchDocument(
            product_id=product_id,
            names=" ".join(self.names),
            brand=" ".join(self.brand),
            category=" ".join(self.category),
            name_length=min(self.name_length, 32767),
        )


def _with_singulars(word_lists: Iterable[list[str]], literal: set[str]) -> list[str]:
    out: dict[str, None] = {}
    for word_list in word_lists:
        for word in word_list:
            literal.add(word)
            out[word] = None
            if folded := textmatch.singular(word):
                out[folded] = None
    return list(out)


def _without(name: str, brand: str) -> list[str]:
    """A name's words less its brand's ("Sunny Apples" → apples; "Green Field Green Tea" keeps one "green")."""
    left = Counter(words(brand))
    out = []
    for word in words(name):
        if left[word] > 0:
            left[word] -= 1
        else:
            out.append(word)
    return out


def analyse(names: list[str], brands: list[str], categories: list[str]) -> Analysed:
    """A product's document from its names, brand names and category names (one per content language, in
    the same order, English first). The brand's words in a name count as a brand match, not a name match, so
    "sunny bananas" in a shop without Sunny bananas shows bananas first, not every Sunny product."""
    literal: set[str] = set()
    brands = list(brands) + [""] * (len(names) - len(brands))
    name_words = [_without(name, brand) for name, brand in zip(names, brands)]
    return Analysed(
        _with_singulars(name_words, literal),
        _with_singulars(map(words, brands), literal),
        _with_singulars(map(words, categories), literal),
        len(name_words[0]) if name_words else 0,
        literal,
    )


def _rows(queryset) -> Iterable[tuple[int, Analysed]]:
    n = len(LANGUAGE_SUFFIXES)
    for pid, *texts in queryset.values_list(*_COLUMNS).iterator(chunk_size=BATCH):
        yield pid, analyse(texts[:n], texts[n : 2 * n], texts[2 * n :])


def _save(analysed: list[tuple[int, Analysed]], stale_ids: Iterable[int]) -> None:
    """Replace the documents of these products and add their words to the vocabulary."""
    ids = [pid for pid, _ in analysed]
    SearchDocument.objects.filter(pk__in=[*ids, *stale_ids]).delete()
    SearchDocument.objects.bulk_create([a.document(pid) for pid, a in analysed], batch_size=BATCH)
    vocabulary: dict[str, bool] = {}
    for _, a in analysed:
        for word in (*a.names, *a.brand, *a.category):
            vocabulary[word] = vocabulary.get(word, False) or word in a.literal
    _add_words(vocabulary)


def _add_words(vocabulary: dict[str, bool]) -> None:
    if not vocabulary:
        return
    known: dict[str, bool] = {}
    chunk = list(vocabulary)
    for i in range(0, len(chunk), 900):  # SQLite's bound-parameter limit
        known.update(SearchTerm.objects.filter(word__in=chunk[i : i + 900]).values_list("word", "display"))
    SearchTerm.objects.bulk_create(
        [SearchTerm(word=w, display=d) for w, d in vocabulary.items() if w not in known],
        batch_size=BATCH,
        ignore_conflicts=True,
    )
    promote = [w for w, d in vocabulary.items() if d and known.get(w) is False]
    if promote:
        SearchTerm.objects.filter(word__in=promote).update(display=True)


def index_products(product_ids: Iterable[int]) -> None:
    """Rewrite the documents of these products (active ones get a document, others lose theirs); words that no
    document uses any more leave the vocabulary, so "Did you mean" never offers a word that finds nothing."""
    from . import backend

    ids = list(dict.fromkeys(product_ids))
    if not ids:
        return
    with transaction.atomic():
        before = set()
        for doc in SearchDocument.objects.filter(pk__in=ids).values_list("names", "brand", "category"):
            before.update(" ".join(doc).split())
        analysed = list(_rows(Product.objects.filter(pk__in=ids, is_active=True)))
        _save(analysed, ids)
        after = {w for _, a in analysed for w in (*a.names, *a.brand, *a.category)}
        gone = before - after
        if gone:
            unused = backend().unused_words(sorted(gone))
            SearchTerm.objects.filter(word__in=unused).delete()


def rebuild(progress=None) -> int:
    """Every active product's document and the vocabulary from scratch (after bulk loads). Returns the count."""
    count = 0
    with transaction.atomic():
        SearchDocument.objects.all().delete()
        SearchTerm.objects.all().delete()
        batch: list[tuple[int, Analysed]] = []
        vocabulary: dict[str, bool] = {}
        for pid, a in _rows(Product.objects.filter(is_active=True).order_by("pk")):
            batch.append((pid, a))
            for word in (*a.names, *a.brand, *a.category):
                vocabulary[word] = vocabulary.get(word, False) or word in a.literal
            if len(batch) >= BATCH:
                SearchDocument.objects.bulk_create([x.document(pid) for pid, x in batch], batch_size=BATCH)
                count += len(batch)
                if progress:
                    progress(count)
                batch = []
        SearchDocument.objects.bulk_create([x.document(pid) for pid, x in batch], batch_size=BATCH)
        count += len(batch)
        SearchTerm.objects.bulk_create(
            [SearchTerm(word=w, display=d) for w, d in vocabulary.items()], batch_size=BATCH
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE catalog_searchdocument")
            cursor.execute("ANALYZE catalog_searchterm")
    return count
