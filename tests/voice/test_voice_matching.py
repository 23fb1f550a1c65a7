"""Matching recogniser alternatives to the catalogue: phrase prior, cross-kind near misses, "Did you mean" spread.

Built from the demo vocabulary with a stand-in model (no database, no audio): these are the ranking rules.
"""

from __future__ import annotations

from storefront.voice import matching, vocabulary
from storefront.voice.matching import Alternative


class FakeModel:
    def vosk_model_find_word(self, word):
        return -1 if word in ("<unk>", "<UNK>") else 1


VOCAB = vocabulary.from_rows("ko", FakeModel(), "test", vocabulary.demo_rows())


def ranked_texts(alternatives: list[Alternative]) -> list[str]:
    ev = matching.collect(VOCAB, alternatives)
    return [text for (_kind, text), _score in matching.diversify(VOCAB, matching.rank(VOCAB, ev), ev)]


def item_of(text: str) -> str:
    return VOCAB.product_item[VOCAB.entries[("product", text)].product_ids[0]]


def test_phrase_count_is_the_fewest_grammar_phrases():
    assert matching.phrase_count(VOCAB, "오션 사과") == 1  # a product name is one phrase
    assert matching.phrase_count(VOCAB, "사과") == 1
    assert matching.phrase_count(VOCAB, "히말라야 오션 사과") == 2
    assert matching.phrase_count(VOCAB, "사과 사과 사과") == 3
    assert matching.phrase_count(VOCAB, "") == 0


def test_one_catalogue_phrase_beats_a_slightly_better_scored_concatenation():
    # The grammar lets Vosk string phrases together for free; a shopper says one thing.
    texts = ranked_texts([Alternative("히말라야 오션 마스크", 48.2), Alternative("히말라야 마스크", 46.0)])
    assert texts[0] == "히말라야 마스크"


def test_acoustics_still_win_when_they_clearly_prefer_more_phrases():
    texts = ranked_texts([Alternative("히말라야 오션 마스크", 60.0), Alternative("히말라야 마스크", 40.0)])
    assert texts[0] == "오션 마스크"


def test_a_word_heard_exactly_as_a_brand_is_weak_evidence_for_a_similar_item():
    ev = matching.collect(VOCAB, [Alternative("오션 수박", 50.0)])
    assert ev.items["수박"] > 2 * ev.items.get("로션", 0.0)  # 오션 (brand) ~ 로션 (item): one letter apart


def test_first_three_spread_over_items_when_no_brand_was_said():
    texts = ranked_texts([Alternative("사과", 50.0), Alternative("사탕", 49.0), Alternative("수박", 48.5)])
    first_three = [t for t in texts[:3]]
    assert len({item_of(t) for t in first_three}) == 3


def test_first_three_keep_a_second_brand_that_was_heard():
    texts = ranked_texts([Alternative("오션 사과", 50.0), Alternative("스카이 사과", 49.9)])
    assert {"오션 사과", "스카이 사과"} <= set(texts[:3])


def test_diversify_never_changes_the_winner_and_keeps_every_entry():
    ev = matching.collect(VOCAB, [Alternative("엄마손 고구마", 50.0), Alternative("엄마손 감자", 49.0)])
    ranked = matching.rank(VOCAB, ev)
    spread = matching.diversify(VOCAB, ranked, ev)
    assert spread[0] == ranked[0]
    assert sorted(spread) == sorted(ranked)


def test_a_whole_product_name_is_not_also_evidence_for_a_shorter_one_inside_it():
    ev = matching.collect(VOCAB, [Alternative("오션 바나나 우유", 50.0)])
    assert set(ev.products) == {"오션 바나나 우유"}


def test_first_three_results_stand_for_the_first_three_entries_even_after_a_category():
    from storefront.voice import recogniser

    first, second = VOCAB.entries[("category", "의류")], VOCAB.entries[("category", "음료")]
    product = VOCAB.entries[("product", "오션 우유")]
    ranked = [(("category", "의류"), 2.4), (("category", "음료"), 2.2), (("product", "오션 우유"), 1.0)]
    ids = recogniser._expand(VOCAB, ranked)
    assert ids[0] in first.product_ids and ids[1] in second.product_ids and ids[2] == product.product_ids[0]
    # Every product of both categories still follows, without repeats.
    assert set(first.product_ids) | set(second.product_ids) <= set(ids) and len(ids) == len(set(ids))
