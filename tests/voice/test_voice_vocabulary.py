"""Catalogue grammar: built from product, brand and category names, known words only, cached per catalogue."""

from __future__ import annotations

import json

import pytest

from storefront.voice import hangul, matching, vocabulary


class FakeModel:
    """Stands in for vosk.Model: knows every word except the listed ones."""

    def __init__(self, unknown=("블루베리",)):
        self.unknown = set(unknown)

    def vosk_model_find_word(self, word):
        return -1 if word in self.unknown or word in ("[unk]", "<unk>") else 1


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
    ranked = matching.rank(vocab, matching.collect(vocab, [
        matching.Alternative("오션 바나나 우유", 60.0),
        matching.Alternative("오션 바나나", 59.5),
    ]))
    assert ranked[0][0] == ("product", vocabulary.normalise(product.name_ko))
    # a letter-level near miss ("바나나 우육") still finds the item
    ranked = matching.rank(vocab, matching.collect(vocab, [matching.Alternative("오션 바나나 우육", 60.0)]))
    assert ranked[0][0] == ("product", "오션 바나나 우유")
