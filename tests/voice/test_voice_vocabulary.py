"""Catalogue grammar: built from product, brand and category names, known words only, cached per catalogue."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from storefront.voice import hangul, matching, vocabulary


class FakeModel:
    """Stands in for vosk.Model: knows every word except the listed ones."""

    def __init__(self, unknown=("블루베리",)):
        self.unknown = set(unknown)

    def vosk_model_find_word(self, word):
        # like the real model's lexicon: no "1kg", no "500g" (spoken numbers are words, not digits)
        # a word inside an unknown one is unknown too, so "블루베리" cannot be spelled "블루 베리" either
        spelled = (
            any(word in unknown for unknown in self.unknown)
            or word in ("[unk]", "<unk>")
            or any(c.isdigit() for c in word)
        )
        return -1 if spelled else 1


def test_jamo_distance_counts_letters_not_syllables():
    assert hangul.jamo("감") == "ㄱㅏㅁ"
    assert hangul.similarity("사과", "사과") == 1.0
    assert hangul.similarity("감자", "감지") > hangul.similarity("감자", "우유")


@pytest.mark.django_db
def test_grammar_has_catalogue_phrases_with_known_words_only(korean_catalog):
    vocab = vocabulary.get_vocabulary("ko", FakeModel())
    grammar = json.loads(vocab.grammar())
    product = next(iter(korean_catalog.values()))
    assert product.name_ko in grammar
    assert product.brand.name_ko in grammar and product.category.name_ko in grammar
    assert grammar[-1] == "<UNK>"  # this model's garbage word ("[unk]" when the model knows that one)
    assert all(w != "블루베리" for phrase in grammar for w in phrase.split())


@pytest.mark.django_db
def test_vocabulary_is_cached_until_the_catalogue_changes(korean_catalog):
    model = FakeModel()
    first = vocabulary.get_vocabulary("ko", model)
    assert vocabulary.get_vocabulary("ko", model) is first
    product = next(iter(korean_catalog.values()))
    product.name_ko = f"{product.brand.name_ko} 블루베리 잼"
    product.save()
    rebuilt = vocabulary.get_vocabulary("ko", model)
    assert rebuilt is not first
    assert ("product", f"{product.brand.name_ko} 블루베리 잼") in rebuilt.entries
    assert f"{product.brand.name_ko} 잼" in rebuilt.phrases  # the unknown word left out of the grammar


@pytest.mark.django_db
def test_alternatives_map_to_products_even_when_misheard(korean_catalog):
    vocab = vocabulary.get_vocabulary("ko", FakeModel())
    product = korean_catalog["오션 바나나 우유"]
    ranked = matching.rank(
        vocab,
        matching.collect(
            vocab,
            [
                matching.Alternative("오션 바나나 우유", 60.0),
                matching.Alternative("오션 바나나", 59.5),
            ],
        ),
    )
    assert ranked[0][0] == ("product", vocabulary.normalise(product.name_ko))
    # a letter-level near miss ("바나나 우육") still finds the item
    ranked = matching.rank(vocab, matching.collect(vocab, [matching.Alternative("오션 바나나 우육", 60.0)]))
    assert ranked[0][0] == ("product", "오션 바나나 우유")


def test_the_grammar_grows_with_the_vocabulary_not_with_the_number_of_products():
    """Ten sizes of every "brand item" (10x the products) give the same grammar as one of each."""
    rows = vocabulary.demo_rows()
    base = vocabulary.from_rows("ko", FakeModel(), "v", rows)
    sized = [
        (pid * 100 + size, f"{name} {size}kg", brand, category)
        for pid, name, brand, category in rows
        for size in range(1, 11)
    ]
    grown = vocabulary.from_rows("ko", FakeModel(), "v", sized)
    assert len(grown.product_text) == 10 * len(base.product_text)
    assert grown.grammar() == base.grammar()
    # the item is what people say: every size of "썬샤인 사과" is found through the item "사과"
    apples = grown.entries[("item", "사과")].product_ids
    assert len(apples) == 10 * len(base.entries[("item", "사과")].product_ids)


@pytest.mark.django_db
def test_an_unchanged_catalogue_costs_one_version_read_per_request(korean_catalog):
    model = FakeModel()
    first = vocabulary.get_vocabulary("ko", model)
    with CaptureQueriesContext(connection) as queries:
        assert vocabulary.get_vocabulary("ko", model) is first
    assert len(queries) <= 1  # the catalogue version (a cache read, or one row with the local cache)
    assert not [q for q in queries.captured_queries if "catalog_product" in q["sql"]]


@pytest.mark.django_db
def test_a_bulk_change_that_moves_the_catalogue_version_is_heard(korean_catalog):
    from storefront.catalog import version
    from storefront.catalog.models import Product

    model = FakeModel()
    first = vocabulary.get_vocabulary("ko", model)
    product = next(iter(korean_catalog.values()))
    Product.objects.filter(pk=product.pk).update(is_active=False)  # a bulk update sends no signal...
    version.bump()  # ...so the code that makes it moves the version, as placement and stock do
    assert product.pk not in vocabulary.get_vocabulary("ko", model).product_text
    assert product.pk in first.product_text


QUALIFIERS = ("유기농", "신선한", "프리미엄", "대용량", "미니", "클래식", "라이트", "매운")


def test_qualifying_words_shared_by_many_items_are_phrases_of_their_own():
    """A catalogue of "brand qualifier item" names (유기농 사과, 미니 사과, ... for every item): each qualifier is one
    grammar phrase, not one per item and brand, so 8x the items add 8 phrases; the spoken qualifier still picks
    its product, and the plain name still picks the plain product."""
    rows = vocabulary.demo_rows()
    base = vocabulary.from_rows("ko", FakeModel(), "v", rows)
    grown_rows = list(rows)
    next_id = len(rows) + 1
    for _pid, name, brand, category in rows:
        for qualifier in QUALIFIERS:
            item = name[len(brand) + 1 :]
            grown_rows.append((next_id, f"{brand} {qualifier} {item}", brand, category))
            next_id += 1
    grown = vocabulary.from_rows("ko", FakeModel(), "v", grown_rows)
    assert len(grown.product_text) == 9 * len(base.product_text)
    assert set(grown.phrases) == set(base.phrases) | set(QUALIFIERS)
    # The decoder spells a qualified name as three phrases; it is still one catalogue name, found first.
    assert matching.phrase_count(grown, "썬샤인 유기농 사과") == 1
    alternatives = [
        matching.Alternative("썬샤인 유기농 사과", 60.0),
        matching.Alternative("썬샤인 사과", 58.0),
    ]
    ranked = matching.rank(grown, matching.collect(grown, alternatives))
    assert ranked[0][0] == ("product", "썬샤인 유기농 사과")
    ranked = matching.rank(grown, matching.collect(grown, [matching.Alternative("썬샤인 사과", 60.0)]))
    assert ranked[0][0] == ("product", "썬샤인 사과")
    # In the sentence graph a name with a range word costs more than the plain name: the decoder must hear the
    # range word, not slip it in ("코스모스 아몬드" heard as "코스모스 라이트 아몬드" at 100,000 products).
    assert (
        grown.sentences["썬샤인 유기농 사과"]
        == grown.sentences["유기농 사과"]
        == vocabulary.QUALIFIER_COST
        > 0
    )
    assert grown.sentences["썬샤인 사과"] == grown.sentences["사과"] == grown.sentences["썬샤인"] == 0.0
    assert set(base.sentences.values()) == {0.0}  # the demo catalogue has no ranges


def test_a_word_that_qualifies_a_few_items_only_stays_inside_their_names():
    """바나나 우유 and 딸기 우유 are items of their own, not "바나나" + "우유": their names stay whole phrases."""
    vocab = vocabulary.from_rows("ko", FakeModel(), "v", vocabulary.demo_rows())
    assert "바나나 우유" in vocab.phrases and "오션 바나나 우유" in vocab.phrases


class LexiconModel:
    """Knows exactly the listed words (as the real model's lexicon lacks 과일 but has 과 and 일)."""

    def __init__(self, words):
        self.words = set(words)

    def vosk_model_find_word(self, word):
        return 1 if word in self.words else -1


def test_a_word_the_model_lacks_is_spelled_with_words_it_knows():
    model = LexiconModel({"과", "일", "사", "과일즙", "썬샤인", "사과", "채소"})
    assert vocabulary.spelling("과일", model) == "과 일"
    assert vocabulary.spelling("과일즙", model) is None  # known already: nothing to spell
    assert vocabulary.spelling("1kg", model) is None and vocabulary.spelling("포도", model) is None
    rows = [(1, "썬샤인 사과", "썬샤인", "과일"), (2, "썬샤인 사과 1kg", "썬샤인", "과일")]
    vocab = vocabulary.from_rows("ko", model, "v", rows)
    assert "과 일" in vocab.phrases and "과일" not in " ".join(vocab.phrases).split()
    # heard as the two known words, it is the category "과일", shown as written
    ranked = matching.rank(vocab, matching.collect(vocab, [matching.Alternative("과 일", 60.0)]))
    assert ranked[0][0] == ("category", "과일")
    assert vocab.entries[ranked[0][0]].label == "과일"
