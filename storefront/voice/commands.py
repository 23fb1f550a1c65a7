"""Voice commands: short phrases that go somewhere instead of searching ("장바구니" -> the cart).

They are phrases of the same grammar as the catalogue (see `vocabulary.from_rows`), so one decode hears either a
product or a command; a command wins only when most of the n-best evidence says exactly one of its phrases.
Each command names where it goes (`route`); "read this page" goes nowhere: the page's script reads it aloud.
Phrases are Korean, the language of the one model shipped; other languages add theirs to PHRASES.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

# command -> spoken phrases, per model language. Only phrases whose every word the model knows are used.
PHRASES: dict[str, dict[str, tuple[str, ...]]] = {
    "ko": {
        # "go to my cart", "show my cart"
        "cart": ("장바구니", "장바구니 보기", "장바구니 보여 줘", "장바구니 보여줘", "내 장바구니"),
        # "my orders", "order history"
        "orders": ("주문 내역", "내 주문", "주문 목록", "내 주문 보기"),
        # "help", "help me"
        "help": ("도움말", "도와줘", "도움 주세요"),
        # "ask my family to pay", "family payment"
        "family": ("가족 결제", "가족 부탁", "가족한테 결제 부탁", "가족 결제 부탁", "가족 부탁해"),
        # "read this page", "read it to me"
        "read": ("읽어 줘", "읽어줘", "읽어 주세요", "이 페이지 읽어 줘", "화면 읽어 줘", "페이지 읽기"),
    },
}

LABELS = {
    "cart": _("Go to my cart"),
    "orders": _("My orders"),
    "help": _("Help"),
    "family": _("Ask my family to pay"),
    "read": _("Read this page"),
}
COMMAND_SHARE = 0.5  # share of the n-best evidence (over all speed copies) that must be one command's phrases


@dataclass(frozen=True)
class Command:
    name: str
    url: str  # where to go; "" for "read"


def phrases_for(language: str) -> dict[str, str]:
    """{normalised phrase: command} for a model language ('ko-kr' uses 'ko')."""
    table = PHRASES.get(language) or PHRASES.get(language.split("-")[0]) or {}
    return {" ".join(phrase.split()): name for name, phrases in table.items() for phrase in phrases}


def route(name: str, *, product_url: str = "") -> Command:
    """Where a command goes. "Ask my family to pay" on a product page goes to that product's ask button;
    elsewhere to the family page (which explains how, and where to sign in first)."""
    if name == "read":
        return Command(name, "")
    if name == "family" and product_url:
        return Command(name, f"{product_url}#oneclick-title")
    names = {"cart": "cart:cart", "orders": "checkout:orders", "help": "help", "family": "family:home"}
    try:
        return Command(name, reverse(names[name]))
    except NoReverseMatch:  # an app switched off: help is always there
        return Command(name, reverse("help"))


def label(name: str) -> str:
    return str(LABELS.get(name, name))
