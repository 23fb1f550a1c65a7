"""Voice that helps (#17): results as cards with price and buttons, a clear hit opens its product with a way back,
"Did you mean" that never repeats the hit nor offers unrelated things, a one-word query that returns only that
item, the microphone offered in every page language when a model exists, and voice commands, each a route.

Recognition itself is replaced by the result it would give (real audio: test_voice_recognition.py), so these
run without the speech model.
"""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from voicekit import make_wav, tone

from storefront.voice import commands, matching, recogniser, vocabulary
from storefront.voice.recogniser import VoiceResult

URL = "/voice/search/"
pytestmark = pytest.mark.django_db


class FakeModel:
    def vosk_model_find_word(self, word):
        return -1 if word in ("[unk]", "<unk>") else 1


VOCAB = vocabulary.from_rows("ko", FakeModel(), "v", vocabulary.demo_rows())


@pytest.fixture
def heard(monkeypatch, settings):
    """heard(result): the next upload is recognised as `result`."""
    settings.VOICE_IN_PROCESS = True
    settings.VOICE_SERVICE_URL = ""
    box = {}
    monkeypatch.setattr(recogniser, "recognise_search", lambda wav, language: box["result"])

    def set_result(result: VoiceResult) -> None:
        box["result"] = result

    return set_result


def post(client, accept="text/html", url=URL):
    return client.post(url, data=make_wav(tone(0.5)), content_type="audio/wav", HTTP_ACCEPT=accept)


def post_form(client, url=URL):
    return client.post(url, {"audio": SimpleUploadedFile("v.wav", make_wav(tone(0.5)), "audio/wav")})


def test_results_are_cards_with_picture_price_and_add_to_cart(client, heard, product, make_product):
    picture = {"jpeg": {"320": "products/a-320.jpg"}, "webp": {"320": "products/a-320.webp"}}
    product.image_variants = picture
    product.save()
    other = make_product(
        "Red Apples", slug="red-apples", price="2.10", stock=3, name_ko="빨간 사과", image_variants=picture
    )
    heard(VoiceResult(transcript="사과", product_ids=[product.pk, other.pk], focused=True))
    html = post(client).content.decode()
    cards = re.findall(r'<li class="voice-card">.*?</li>', html, flags=re.S)
    assert len(cards) == 2
    for card in cards:
        assert 'class="product-card"' in card and "<picture>" in card  # the shop's own card, with its picture
        assert 'class="price"' in card
        assert 'action="/cart/add/"' in card and 'name="quantity" value="1"' in card
    assert "3.50" in cards[0] and "Add to cart" in cards[0]
    assert "/checkout/buy-now/" not in html  # no one-click set up: no Buy


def test_buy_appears_where_one_click_is_set_up(client, heard, product, user, address, make_saved_card):
    make_saved_card(user, is_default=True)
    client.force_login(user)
    heard(VoiceResult(transcript="사과", product_ids=[product.pk]))
    html = post(client).content.decode()
    card = re.search(r'<li class="voice-card">.*?</li>', html, flags=re.S).group(0)
    assert 'action="/checkout/buy-now/"' in card and 'name="idempotency_key"' in card
    assert 'aria-describedby="voice-buy-hint"' in card and 'id="voice-buy-hint"' in html


def test_a_clear_hit_opens_its_product_page_with_a_confirmation_and_a_way_back(client, heard, product):
    client.get("/?edition=elder")  # voice is an elder edition feature
    heard(VoiceResult(transcript="햇살 사과", product_ids=[product.pk], confident=True, go_to_product=True))
    # the page's script: a fragment that says where to go
    fragment = post(client).content.decode()
    assert f'data-voice-go="{product.get_absolute_url()}"' in fragment
    # the product page then shows and speaks the confirmation, and offers "Not this?"
    page = client.get(product.get_absolute_url()).content.decode()
    assert "data-voice-speak=" in page and "Sunny Apples" in page
    assert 'href="/voice/results/"' in page
    # "Not this?" shows the results again
    back = client.get("/voice/results/").content.decode()
    assert 'class="voice-card"' in back and product.get_absolute_url() in back
    # and the way back is offered once: leaving for another page forgets it
    client.get("/")
    assert 'href="/voice/results/"' not in client.get(product.get_absolute_url()).content.decode()


def test_a_clear_hit_without_javascript_redirects_and_json_says_where(client, heard, product):
    heard(VoiceResult(transcript="햇살 사과", product_ids=[product.pk], confident=True, go_to_product=True))
    response = post_form(client)
    assert response.status_code == 303 and response["Location"] == product.get_absolute_url()
    reply = post(client, accept="application/json").json()
    assert reply["go"] == product.get_absolute_url()


def test_did_you_mean_never_repeats_the_hit_nor_offers_unrelated_readings():
    ev = matching.collect(
        VOCAB,
        [
            matching.Alternative("썬샤인 사과", 10.0),
            matching.Alternative("썬샤인 사탕", 9.0),
            matching.Alternative("니트", 1.0),
        ],
    )
    ranked = matching.diversify(VOCAB, matching.rank(VOCAB, ev), ev)
    suggestions = recogniser._suggestions(VOCAB, ranked, ev)
    hit = VOCAB.entries[ranked[0][0]].label
    assert hit not in [s.text for s in suggestions]
    top = ranked[0][1]
    scores = {VOCAB.entries[key].label: score for key, score in ranked}
    assert all(scores[s.text] >= recogniser.SUGGESTION_FLOOR * top for s in suggestions)
    assert not any("니트" in s.text for s in suggestions)


def test_a_clear_hit_lists_no_did_you_mean(client, heard, product, make_product):
    other = make_product("Knit", slug="knit", price="9.00", stock=3, name_ko="니트")
    heard(
        VoiceResult(
            transcript="햇살 사과", product_ids=[product.pk, other.pk], confident=True, suggestions=[]
        )
    )
    html = post(client).content.decode()
    assert "voice-suggestions" not in html


def test_a_one_word_query_returns_only_that_item(monkeypatch):
    """ "사과" heard clearly: apples only, not 사탕 (sounds alike) nor what the typed search adds (니트)."""
    alternatives = [
        matching.Alternative("사과", 10.0),
        matching.Alternative("사과", 9.8),
        matching.Alternative("사탕", 6.0),
    ]
    evidence = matching.collect(VOCAB, alternatives)
    ranked = matching.diversify(VOCAB, matching.rank(VOCAB, evidence), evidence)
    monkeypatch.setattr(
        recogniser,
        "_rank_with_evidence",
        lambda model, pcm, vocab: (
            ranked,
            "사과",
            False,
            recogniser.is_confident(vocab, evidence, ranked),
            evidence,
        ),
    )
    knit = next(pid for pid, item in VOCAB.product_item.items() if item == "니트")
    monkeypatch.setattr(recogniser, "_typed_search", lambda transcript, language: [knit])
    result = recogniser.recognise_pcm(b"", "ko", None, VOCAB)
    apples = set(VOCAB.entries[("item", "사과")].product_ids)
    assert result.product_ids and set(result.product_ids) <= apples
    assert result.focused and not result.suggestions
    assert result.transcript == "사과"


@pytest.mark.parametrize("language", ["en", "zh-hans", "ar"])
def test_the_microphone_is_offered_in_every_page_language_and_says_to_speak_korean(
    client, settings, language
):
    settings.VOICE_IN_PROCESS = True
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get("/?edition=elder").content.decode()
    button = re.search(r"<button[^>]*data-voice-button[^>]*>", page, flags=re.S)
    assert button, f"no microphone on the {language} page"
    assert 'data-voice-url="/voice/search/?lang=ko' in button.group(0)
    assert 'class="voice-note voice-language"' in page  # "please speak Korean", in the page's language


def test_a_korean_page_needs_no_language_note(client, settings):
    settings.VOICE_IN_PROCESS = True
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ko"
    page = client.get("/?edition=elder").content.decode()
    assert "data-voice-button" in page and "voice-language" not in page


def test_the_upload_recognises_in_the_language_the_microphone_offered(client, settings, monkeypatch):
    settings.VOICE_IN_PROCESS = True
    seen = []
    monkeypatch.setattr(
        recogniser, "recognise_search", lambda wav, language: seen.append(language) or VoiceResult("사과", [])
    )
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    post(client, url=URL + "?lang=ko")
    post(client, url=URL + "?lang=xx")  # not a shop language: the page's own
    assert seen == ["ko", "en"]


# Voice commands ----------------------------------------------------------------------------------------------


def test_command_phrases_are_in_the_grammar_and_are_heard():
    grammar = VOCAB.grammar()
    for phrase in ("장바구니", "주문 내역", "도움말", "가족 결제", "이 페이지 읽어 줘"):
        assert f'"{phrase}"' in grammar
    heard = recogniser.command_heard(
        VOCAB, [[matching.Alternative("장바구니", 5.0), matching.Alternative("장바구니 보기", 4.0)]]
    )
    assert heard == "cart"
    # a product that only sounds near a command is a search, not a command
    assert (
        recogniser.command_heard(
            VOCAB, [[matching.Alternative("썬샤인 사과", 5.0), matching.Alternative("장바구니", 1.0)]]
        )
        == ""
    )


@pytest.mark.parametrize(
    "command, url",
    [
        ("cart", "/cart/"),
        ("orders", "/orders/"),
        ("help", "/help/"),
        ("family", "/family/"),
    ],
)
def test_each_command_is_a_route(client, heard, command, url):
    heard(VoiceResult(transcript=commands.label(command), product_ids=[], confident=True, command=command))
    assert f'data-voice-go="{url}"' in post(client).content.decode()
    assert post(client, accept="application/json").json()["go"] == url
    no_js = post_form(client)
    assert no_js.status_code == 303 and no_js["Location"] == url


def test_ask_my_family_on_a_product_page_goes_to_its_ask_button(client, heard, product):
    heard(VoiceResult(transcript="", product_ids=[], confident=True, command="family"))
    reply = post(client, accept="application/json", url=f"{URL}?lang=ko&product={product.pk}").json()
    assert reply["go"] == f"{product.get_absolute_url()}#oneclick-title"


def test_read_this_page_asks_the_page_to_read_itself(client, heard):
    heard(VoiceResult(transcript="", product_ids=[], confident=True, command="read"))
    fragment = post(client).content.decode()
    assert "data-voice-read" in fragment and "data-voice-go" not in fragment
    no_js = post_form(client)
    assert no_js.status_code == 200 and "JavaScript" in no_js.content.decode()
