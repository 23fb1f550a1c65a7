"""The catalogue's sentence graph: the OpenFst file written by `sentences`, the model overlay holding it, and
recognition through it (one whole catalogue sentence per utterance, never a string of short phrases)."""

from __future__ import annotations

import os
import struct
from pathlib import Path

import pytest

from storefront.voice import decoder, recogniser, registry, sentences, vocabulary

WORDS = {"썬샤인": 10, "사과": 11, "바나나": 12, "우유": 13, "장바구니": 14}


def accepted(graph: bytes, names: dict[int, str]) -> dict[str, float]:
    """Every sentence the binary acceptor accepts with its total cost, read back from the file's bytes (OpenFst's
    vector layout)."""
    (magic,) = struct.unpack_from("<i", graph, 0)
    assert magic == sentences.FST_MAGIC
    offset = 4
    kinds = []
    for _ in range(2):  # fst type, arc type
        (size,) = struct.unpack_from("<i", graph, offset)
        kinds.append(graph[offset + 4 : offset + 4 + size].decode())
        offset += 4 + size
    assert kinds == ["vector", "standard"]
    _version, flags, _props, start, states, arcs_total = struct.unpack_from("<iiQqqq", graph, offset)
    offset += 40
    assert flags == 0 and start == 0
    final, arcs = {}, {}
    for state in range(states):
        weight, count = struct.unpack_from("<fq", graph, offset)
        offset += 12
        final[state] = weight
        arcs[state] = [struct.unpack_from("<iifi", graph, offset + 16 * i) for i in range(count)]
        offset += 16 * count
        labels = [arc[0] for arc in arcs[state]]
        assert labels == sorted(labels), "arcs must be sorted by label (the header says so)"
    assert offset == len(graph) and sum(len(a) for a in arcs.values()) == arcs_total
    out: dict[str, float] = {}

    def walk(state: int, words: list[str], cost: float) -> None:
        if final[state] != float("inf"):
            out[" ".join(words)] = cost + final[state]
        for ilabel, olabel, weight, nxt in arcs[state]:
            assert (
                ilabel == olabel and weight >= 0.0 and nxt > state
            )  # acceptor, costs pushed forward, parents first
            walk(nxt, [*words, names[ilabel]], cost + weight)

    walk(0, [], 0.0)
    return out


def test_the_graph_accepts_exactly_the_sentences_given_at_their_costs():
    spoken = {"썬샤인 사과": 0.0, "사과": 0.0, "썬샤인": 0.0, "바나나 우유": 8.0, "장바구니": 0.0}
    graph = sentences.acceptor(spoken, lambda word: WORDS.get(word, -1))
    assert accepted(graph, {v: k for k, v in WORDS.items()}) == spoken
    # "썬샤인" and "썬샤인 사과" share their first state: a trie, not one path per sentence
    (_v, _f, _p, _s, states, _a) = struct.unpack_from("<iiQqqq", graph, 4 + 4 + 6 + 4 + 8)
    assert states == 1 + len({"썬샤인", "썬샤인 사과", "사과", "바나나", "바나나 우유", "장바구니"})


def test_costs_are_paid_as_early_as_the_sentences_below_allow():
    spoken = {"바나나": 2.0, "바나나 우유": 5.0, "썬샤인 사과": 3.0, "썬샤인 우유": 3.0}
    graph = sentences.acceptor(spoken, lambda word: WORDS.get(word, -1))
    assert accepted(graph, {v: k for k, v in WORDS.items()}) == spoken
    first_arcs = graph[4 + 10 + 12 + 8 + 32 + 12 :][: 16 * 2]  # the start state's two arcs, by label
    (_i, _o, sunny, _n), (_i2, _o2, banana, _n2) = (  # 썬샤인 (10) before 바나나 (12)
        struct.unpack_from("<iifi", first_arcs, 0),
        struct.unpack_from("<iifi", first_arcs, 16),
    )
    assert (sunny, banana) == (
        3.0,
        2.0,
    )  # the whole cost on the first word where every sentence below pays it


def test_a_sentence_with_a_word_the_model_lacks_is_left_out():
    graph = sentences.acceptor({"썬샤인 사과": 0.0, "썬샤인 키위": 0.0}, lambda word: WORDS.get(word, -1))
    assert accepted(graph, {v: k for k, v in WORDS.items()}) == {"썬샤인 사과": 0.0}


def test_words_text_gives_each_id_once():
    text = sentences.words_text([("<eps>", 0), ("사과", 5), ("<s>", 9), ("</s>", 9)])
    assert text == "<eps> 0\n사과 5\n<s> 9\n"


def test_the_digest_names_the_sentences_and_costs_not_their_order():
    assert sentences.digest({"a b": 0.0, "c": 8.0}) == sentences.digest({"c": 8.0, "a b": 0.0})
    assert sentences.digest({"a b": 0.0, "c": 8.0}) != sentences.digest({"a b": 0.0, "c": 0.0})
    assert sentences.digest({"a b": 0.0, "c": 8.0}) != sentences.digest({"a b": 0.0})


@pytest.fixture
def shaped_model(fake_model) -> Path:
    """A directory shaped like a Vosk model with a lookahead graph (HCLr.fst + Gr.fst), not HCLG.fst."""
    (fake_model / "graph" / "HCLG.fst").unlink()
    (fake_model / "graph" / "HCLr.fst").write_bytes(b"HCLr")
    (fake_model / "graph" / "Gr.fst").write_bytes(b"the model's own language model")
    assert decoder.has_sentence_graph(str(fake_model))
    return fake_model


def test_the_overlay_keeps_the_model_and_replaces_only_its_grammar_and_options(shaped_model, tmp_path):
    asked = []

    def symbols() -> str:
        asked.append(1)
        return "<eps> 0\n사과 5\n"

    first = Path(decoder.grammar_model_dir(str(shaped_model), {"beam": 16.0}, "aaa", b"graph one", symbols))
    assert (first / "graph" / "Gr.fst").read_bytes() == b"graph one"
    assert (first / "graph" / "HCLr.fst").resolve() == (shaped_model / "graph" / "HCLr.fst").resolve()
    assert (first / "am" / "final.mdl").read_bytes() == b"acoustic model"
    assert "--beam=16.0" in (first / "conf" / "model.conf").read_text().splitlines()
    assert (first / "graph" / "words.txt").read_text() == "<eps> 0\n사과 5\n"
    assert (shaped_model / "graph" / "Gr.fst").read_bytes() == b"the model's own language model"
    # the same sentences again: the same overlay, nothing rebuilt; another catalogue shares the words file
    assert decoder.grammar_model_dir(str(shaped_model), {"beam": 16.0}, "aaa", b"x", symbols) == str(first)
    second = Path(decoder.grammar_model_dir(str(shaped_model), {"beam": 16.0}, "bbb", b"graph two", symbols))
    assert (second / "graph" / "Gr.fst").read_bytes() == b"graph two" and asked == [1]


def test_old_catalogue_grammars_are_removed(shaped_model):
    made = []
    for i in range(decoder.GRAMMAR_OVERLAYS_KEPT + 3):
        made.append(
            Path(decoder.grammar_model_dir(str(shaped_model), {}, f"n{i}", b"g", lambda: "<eps> 0\n"))
        )
        os.utime(made[-1], (1_000_000 + i, 1_000_000 + i))  # made in this order
    left = [path for path in made if path.exists()]
    assert left == made[-decoder.GRAMMAR_OVERLAYS_KEPT :]


# --- with the shipped Korean model ---------------------------------------------------------------------


@pytest.fixture
def demo_vocab(ko_model):
    return vocabulary.from_rows("ko", ko_model, "sentences-test", vocabulary.demo_rows())


@pytest.mark.voice
def test_the_model_reads_the_graph_and_every_reading_is_one_whole_sentence(
    db, ko_model, demo_vocab, synth, settings, tmp_path
):
    settings.VOICE_MODEL_OVERLAY_DIR = str(tmp_path / "overlays")
    symbols = sentences.read_symbols(Path(registry.model_path("ko")) / "graph" / "Gr.fst")
    assert symbols is not None
    ids = dict(symbols)
    assert ids["사과"] == ko_model.vosk_model_find_word("사과")
    model = registry.sentence_model("ko", demo_vocab.sentences, demo_vocab.sentences_digest, ko_model)
    assert model is not None and recogniser.decodes_sentences(model, demo_vocab)
    # "아침이슬 밀크초콜릿": the phrase loop heard it as "오션 김 슬리퍼 밀감 그릇 초코 게"
    pcm = recogniser.dither(_pcm(synth("아침이슬 밀크초콜릿", voice="ko+f2")), recogniser.DITHER)
    alternatives = recogniser.decode(model, pcm, None)
    assert alternatives
    assert all(alt.text in demo_vocab.sentences or not alt.text for alt in alternatives)
    phrase_loop = recogniser.decode(ko_model, pcm, demo_vocab.grammar())
    assert any(alt.text not in demo_vocab.sentences for alt in phrase_loop), (
        "the phrase grammar should allow strings of phrases (else this test shows nothing)"
    )


@pytest.mark.voice
def test_a_new_catalogue_loads_a_new_graph_and_a_model_that_cannot_take_one_keeps_the_phrase_grammar(
    db, ko_model, demo_vocab, synth, settings, tmp_path, monkeypatch
):
    settings.VOICE_MODEL_OVERLAY_DIR = str(tmp_path / "overlays")
    first = registry.sentence_model("ko", demo_vocab.sentences, demo_vocab.sentences_digest, ko_model)
    smaller = {sentence: 0.0 for sentence in sorted(demo_vocab.sentences)[:50]}
    second = registry.sentence_model("ko", smaller, sentences.digest(smaller), ko_model)
    assert first is not None and second is not None and second is not first
    assert registry.get_model("ko") is second  # one model per language in memory: the newest replaced it
    assert registry.sentence_model("ko", smaller, sentences.digest(smaller), ko_model) is second

    monkeypatch.setattr(registry, "_sentence_models", {})
    monkeypatch.setattr(registry, "_no_sentence_graph", set())

    def read_only(*args, **kwargs):
        raise OSError(30, "Read-only file system")

    monkeypatch.setattr(decoder, "grammar_model_dir", read_only)
    assert registry.sentence_model("ko", demo_vocab.sentences, demo_vocab.sentences_digest, ko_model) is None
    assert not recogniser.decodes_sentences(ko_model, demo_vocab)
    result = recogniser.recognise_pcm(
        _pcm(synth("썬샤인 사과")), "ko", ko_model, demo_vocab, typed_search=False
    )
    assert result.product_ids, "the phrase grammar still recognises"


def _pcm(wav: bytes) -> bytes:
    from storefront.voice import audio

    return audio.decode_wav(wav)
