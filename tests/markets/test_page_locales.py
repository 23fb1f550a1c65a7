"""Every page type rendered in Simplified Chinese, Korean and Arabic, in every edition: the right
`<html lang dir>` and no English interface text leaking through.

A page "leaks" when a text a shopper sees or hears is exactly an English msgid whose translation into that
language differs from it (after whitespace normalisation; a msgid with placeholders matches any value in
them), or a string the code or templates mark for translation that is missing from the catalogue (it can only
show in English). Checked: every text node, every element's whole text (for msgids with markup, such as
`Your order number is <strong>%(number)s</strong>.`), the page title and its parts, and what screen readers
read: aria-label, title, alt, placeholder, the value of submit buttons, and the messages scripts announce
(`data-msg-*`, `data-label-*`). Product, brand and category names and descriptions are per-language content
that falls back to English; they are not msgids, so they are checked separately (`catalogue_leaks`): no page
may show an English product, category, description, selling point, specification name or value, product
picture description (`alt`, and any aria-label or title naming a product), or the demo catalogue's English words
and phrases (brand names and codes such as sizes are allowed); the pages showing products show their pictures,
so each picture's alt text is read. Exempt: text inside an element whose own
`lang` names another language (the switcher's "English"), and `<kbd>`/`<code>` key caps.

Fast: Django's test client, no browser (the browser counterparts are tests/browser/test_arabic_mirroring.py
and tests/browser/test_cross_border_languages.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.test import Client
from django.utils import timezone
from django.utils.translation import to_locale

from editions import registry

LANGUAGES = ["zh-hans", "ko", "ar"]
RTL = {"ar"}
EDITIONS = [e.slug for e in registry.all_editions()]
LOCALE_DIR = Path(settings.BASE_DIR, "locale")

# --- what counts as leaked English -----------------------------------------------------------------------

PLACEHOLDER = re.compile(r"%\(\w+\)[#0\- +]*\d*(?:\.\d+)?[sdifr]|%[sdif]|\{\{\s*\w+\s*\}\}|\{\w*\}")
LETTER = re.compile(r"[^\W\d_]")


def normalise(text: str) -> str:
    return " ".join(text.split())


def _strip_markup(msgid: str) -> str:
    return re.sub(r"<[^>]+>", "", msgid)


@dataclass(frozen=True)
class Leaks:
    exact: frozenset[str]
    patterns: tuple[tuple[re.Pattern, str], ...]  # (compiled pattern, msgid)
    missing: dict  # msgid -> file: marked for translation in the code, absent from the catalogue

    def match(self, text: str, *, element: bool = False) -> str | None:
        """The msgid `text` is, or None. An element's whole text (several text nodes) is only compared with
        msgids without placeholders, or that hold markup themselves (`Remove <span>%(name)s</span>`)."""
        text = normalise(text)
        if not text or not LETTER.search(text):
            return None
        if text in self.exact:
            return text
        for pattern, msgid in self.patterns:
            if (not element or "<" in msgid) and pattern.fullmatch(text):
                return msgid
        return None


PYTHON_KEYWORDS = {
    "_": None,
    "gettext": None,
    "gettext_lazy": None,
    "gettext_noop": None,
    "ngettext": (1, 2),
    "ngettext_lazy": (1, 2),
    "pgettext": ((1, "c"), 2),
    "pgettext_lazy": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
    "npgettext_lazy": ((1, "c"), 2, 3),
}
TRANSLATE_TAG = re.compile(r"""\{%\s*trans(?:late)?\s+(?:"([^"]*)"|'([^']*)')""")
BLOCK_TAG = re.compile(r"\{%\s*blocktrans(?:late)?\b(.*?)%\}(.*?)\{%\s*endblocktrans(?:late)?\s*%\}", re.S)


def _catalogue(language: str):
    locale = to_locale(language)  # zh-hans -> zh_Hans
    with (LOCALE_DIR / locale / "LC_MESSAGES" / "django.po").open("rb") as handle:
        return read_po(handle, locale=locale)


@cache
def marked_strings() -> dict[str, str]:
    """Every string the code and templates mark for translation (what makemessages would find, roughly): those
    missing from the catalogues are shown in English in every language."""
    from babel.messages.extract import extract_from_file

    root = Path(settings.BASE_DIR)
    found: dict[str, str] = {}  # msgid -> the file that marks it
    for folder in ("storefront", "editions"):
        for path in (root / folder).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for _line, message, _comments, _context in extract_from_file(
                "python", str(path), keywords=PYTHON_KEYWORDS
            ):
                for m in message if isinstance(message, tuple) else (message,):
                    if m:
                        found.setdefault(m, str(path.relative_to(root)))
    for path in (root / "templates").rglob("*.html"):
        source = path.read_text(encoding="utf-8")
        where = str(path.relative_to(root))
        for a, b in TRANSLATE_TAG.findall(source):
            found.setdefault(a or b, where)
        for options, body in BLOCK_TAG.findall(source):
            body = re.sub(r"\{\{\s*(\w+)\s*\}\}", r"%(\1)s", body)
            for part in re.split(r"\{%\s*plural\s*%\}", body):
                found.setdefault(normalise(part) if "trimmed" in options else part, where)
    return found


@cache
def leaks_for(language: str) -> Leaks:
    """English texts that should never appear on a page in `language`: the catalogue's msgids (singular and
    plural) whose translation differs from the English, and strings marked for translation it lacks."""
    exact: set[str] = set()
    patterns: dict[str, re.Pattern] = {}
    in_catalogue: set[str] = set()

    missing: dict[str, str] = {}

    def add(msgid: str) -> None:
        text = normalise(_strip_markup(msgid))
        letters = len(LETTER.findall(PLACEHOLDER.sub("", text)))
        if PLACEHOLDER.search(text):
            # "%(card)s of %(name)s" would match "District of Columbia": the words around placeholders must
            # say enough on their own, and a placeholder stands for a value, not for a whole paragraph
            if letters >= 3:
                parts = PLACEHOLDER.split(text)
                patterns[msgid] = re.compile(".{1,60}?".join(re.escape(p) for p in parts), re.S)
        elif letters >= 2:
            exact.add(text)

    for message in _catalogue(language):
        if not message.id:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        in_catalogue.update(normalise(i) for i in ids)
        for msgid in ids:
            if msgid.strip() and msgid not in strings:  # the same in both languages (a brand): not a leak
                add(msgid)
    for msgid, where in marked_strings().items():
        if normalise(msgid) not in in_catalogue:
            missing[msgid] = where
            add(msgid)
    return Leaks(frozenset(exact), tuple((p, m) for m, p in patterns.items()), missing)


# --- reading a page ---------------------------------------------------------------------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
SKIPPED = {"script", "style", "kbd", "code"}  # not read as interface text (key caps are Latin everywhere)
SPOKEN_ATTRIBUTES = {
    "aria-label",
    "aria-description",
    "aria-roledescription",
    "aria-placeholder",
    "aria-valuetext",
    "title",
    "alt",
    "placeholder",
    "label",
}
INLINE = {
    "a",
    "abbr",
    "b",
    "bdi",
    "bdo",
    "cite",
    "data",
    "em",
    "i",
    "mark",
    "q",
    "s",
    "small",
    "span",
    "strong",
    "sub",
    "sup",
    "time",
    "u",
    "var",
}
BUTTON_INPUTS = {"submit", "button", "reset"}
TITLE_SEPARATORS = re.compile(r"\s+[–—|·]\s+")


class PageText(HTMLParser):
    """Collects (where, text) pairs a shopper sees or hears, and the `<html>` tag's attributes."""

    def __init__(self, language: str):
        super().__init__(convert_charrefs=True)
        self.language = language.split("-")[0].lower()
        self.html_attrs: dict[str, str] = {}
        self.stack: list[dict] = []  # open elements: tag, skip flag, collected text
        self.found: list[tuple[str, str]] = []

    def _skipping(self) -> bool:
        return bool(self.stack) and self.stack[-1]["skip"]

    def _foreign(self, attrs: dict[str, str]) -> bool:
        lang = (attrs.get("lang") or "").split("-")[0].lower()
        return bool(lang) and lang != self.language

    def handle_starttag(self, tag, attr_list):
        attrs = {k: (v or "") for k, v in attr_list}
        if tag == "html":
            self.html_attrs = attrs
        # <html lang> is checked on its own; below it, an element in another language is exempt
        skip = self._skipping() or tag in SKIPPED or (tag != "html" and self._foreign(attrs))
        if not skip:
            for name, value in attrs.items():
                button = tag == "input" and attrs.get("type", "").lower() in BUTTON_INPUTS
                if (
                    name in SPOKEN_ATTRIBUTES
                    or name.startswith(("data-msg-", "data-label-"))
                    or (button and name == "value")
                ):
                    self.found.append((f'<{tag} {name}="…">', value))
        if tag not in VOID:
            self.stack.append({"tag": tag, "skip": skip, "text": []})

    def handle_startendtag(self, tag, attr_list):
        self.handle_starttag(tag, attr_list)
        if tag not in VOID and self.stack and self.stack[-1]["tag"] == tag:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if not any(e["tag"] == tag for e in self.stack):
            return  # a stray end tag
        while self.stack:
            element = self.stack.pop()
            text = normalise("".join(element["text"]))
            if self.stack and not element["skip"]:
                glue = "" if element["tag"] in INLINE else " "
                self.stack[-1]["text"].append(glue + text + glue)
            if not element["skip"] and text:
                self.found.append((f"<{element['tag']}> (whole)", text))
                if element["tag"] == "title":
                    self.found.extend(("<title>", part) for part in TITLE_SEPARATORS.split(text))
            if element["tag"] == tag:
                break

    def handle_data(self, data):
        if self._skipping() or not self.stack:
            return
        self.stack[-1]["text"].append(data)
        text = normalise(data)
        if text:
            self.found.append((f"<{self.stack[-1]['tag']}>", text))


def read_page(html: str, language: str) -> PageText:
    parser = PageText(language)
    parser.feed(html)
    parser.close()
    return parser


def leaked_english(html: str, language: str) -> list[str]:
    """One line per English text on the page: the text, where, and the msgid it is (when not the same)."""
    leaks = leaks_for(language)
    out: dict[str, str] = {}
    for where, text in read_page(html, language).found:
        text = normalise(text)
        if text in out:
            continue
        msgid = leaks.match(text, element=where.endswith(" (whole)"))
        if msgid is not None:
            note = f" = msgid {msgid!r}" if normalise(_strip_markup(msgid)) != text else ""
            if msgid in leaks.missing:
                note += f" (marked in {leaks.missing[msgid]} but missing from locale/*/django.po)"
            out[text] = f"{text!r} in {where}{note}"
    return list(out.values())


def catalogue_english() -> tuple[set[str], tuple[re.Pattern, ...]]:
    """English catalogue content no translated page may show: what the database holds (names, descriptions,
    selling points, specifications, picture descriptions) and the demo vocabulary (items, categories, specification words, selling
    points, descriptions and seeded reviews). Brand names are allowed (a brand may keep its name)."""
    from storefront.catalog import demo_data
    from storefront.catalog.models import Brand, Category, Product

    brands = set(Brand.objects.values_list("name", flat=True)) | {b.en for b in demo_data.BRANDS}
    texts = {c.name.en for c in demo_data.CATEGORIES} | {i.en for c in demo_data.CATEGORIES for i in c.items}
    texts |= set(demo_data.TERMS) | {t for pair in demo_data.REVIEWS["en"] for t in pair}
    texts |= set(Category.objects.values_list("name", flat=True))
    for product in Product.objects.all():
        texts |= {product.name, normalise(product.description), *product.selling_points.splitlines()}
        texts.add(product.image_alt)
        texts |= {str(part) for row in product.specifications for part in row}
    patterns = tuple(
        re.compile(re.sub(r"\\\{\w+\\\}", ".+", re.escape(texts_[0])))
        for texts_ in demo_data.PHRASES.values()
    )
    measure = re.compile(r"[\d.,\- ]+\s?(?:g|kg|ml|l|W|°C)")  # "500 g", "1.5 l": codes, the same everywhere
    return {
        normalise(t) for t in texts if LETTER.search(t or "") and not measure.fullmatch(t)
    } - brands, patterns


def catalogue_leaks(html: str, language: str) -> list[str]:
    english, patterns = catalogue_english()
    out = []
    for where, text in read_page(html, language).found:
        text = normalise(text)
        if text in english or any(p.fullmatch(text) for p in patterns):
            out.append(f"{text!r} in {where} (English catalogue content)")
    return sorted(set(out))


# --- the checker checks ----------------------------------------------------------------------------------


def test_the_checker_finds_english_text_attributes_and_placeholders():
    html = """<html lang="ko" dir="ltr"><head><title>Your cart – 오픈 바스켓</title></head><body>
      <p>Add to cart</p><p>장바구니</p><a aria-label="Your account" href="/">x</a>
      <input type="submit" value="Sign in"><input type="hidden" value="Sign in">
      <select><option lang="en">English</option></select><kbd>Tab</kbd>
      <p>Only 3 of Apples left in stock. Choose 3 or fewer.</p>
      <p>Your order number is <strong>AB12</strong>.</p>
      <p>Road <b>of</b> Sunny</p>
      <script>var s = "Add to cart";</script></body></html>"""
    found = leaked_english(html, "ko")
    joined = "\n".join(found)
    assert "'Add to cart'" in joined and "'Your account'" in joined and "value=" in joined
    assert "'Your cart' in <title>" in joined  # the page title's own part
    assert "Only 3 of Apples left in stock." in joined and "'Your order number is AB12.' in <p>" in joined
    assert "Road" not in joined  # placeholders match values, not whole paragraphs around a short word
    assert "English" not in joined and "'Tab'" not in joined
    assert len([f for f in found if "Sign in" in f]) == 1  # the hidden input's value is never read
    assert (
        leaked_english('<html lang="ko"><body><p>장바구니</p><p>Sunny Apples</p></body></html>', "ko") == []
    )


def test_the_checker_finds_english_picture_descriptions(make_product):
    make_product("Crisp Pears", image_alt="Crisp pears in a paper bag")
    html = """<html lang="ar"><body><img src="a.jpg" alt="Crisp pears in a paper bag">
      <img src="b.jpg" alt="Kiwis in Star packaging"><a href="/" title="Crisp pears in a paper bag">x</a>
      <button aria-label="Crisp Pears">x</button><img src="c.jpg" alt="كمثرى مقرمشة"><img src="d.jpg" alt="">
      </body></html>"""
    found = "\n".join(catalogue_leaks(html, "ar"))
    assert "'Crisp pears in a paper bag' in <img alt=\"…\">" in found  # what the database holds
    assert "'Kiwis in Star packaging' in <img alt=\"…\">" in found  # the seed's English wording, any product
    assert '<a title="…">' in found and '<button aria-label="…">' in found
    assert "كمثرى" not in found and len(found.splitlines()) == 4


def test_every_language_has_leak_candidates():
    for language in LANGUAGES:
        leaks = leaks_for(language)
        assert "Add to cart" in leaks.exact and len(leaks.exact) > 300 and leaks.patterns


# --- the shop the pages show -------------------------------------------------------------------------------


@pytest.fixture
def world(
    db, user, product, make_product, make_cart, address, make_saved_card, place, make_review, make_user
):
    """Alice (signed in where a page needs it): two apples in her cart, a saved address chosen for delivery, a
    saved default card, a delivered order, reviews on the apples, and Pat, her payer for family payments, with
    a pending request from her to pay for pears. Nina, new, has an invitation from Sam to open."""
    from storefront.catalog.models import Brand, Category, Product
    from storefront.checkout import payments, placement
    from storefront.checkout.models import Order
    from storefront.family import services as family

    Category.objects.filter(pk=product.category_id).update(name_ar="الفواكه")
    Brand.objects.filter(pk=product.brand_id).update(name_ar="مشمس")
    content = {  # the whole product page in every language, as seed_demo writes it
        "description": "Apples from Sunny.",
        "description_zh_hans": "阳光出品的苹果。",
        "description_ko": "햇살의 사과.",
        "description_ar": "تفاح من مشمس.",
        "selling_points": "Free returns within 30 days",
        "selling_points_zh_hans": "30天内免费退货",
        "selling_points_ko": "30일 무료 반품",
        "selling_points_ar": "إرجاع مجاني خلال 30 يومًا",
        "specifications": [
            ["Origin", "New Zealand"],
            ["Weight", "500 g"],
            ["Storage", "Refrigerate"],
            ["Pack", "6 bottles"],
        ],
    }
    picture = {  # the pictures are shown wherever the products are, so their alt text is read
        "webp": {"160": "products/a-160.webp", "320": "products/a-320.webp", "640": "products/a-640.webp"},
        "jpeg": {"160": "products/a-160.jpg", "320": "products/a-320.jpg", "640": "products/a-640.jpg"},
    }
    Product.objects.filter(pk=product.pk).update(
        name_ar="تفاح مشمس",
        image_variants=picture,
        image_alt="Apples in Sunny packaging",  # described in every language, as seed_demo writes it
        image_alt_zh_hans="阳光包装的苹果",
        image_alt_ko="햇살 포장의 사과",
        image_alt_ar="تفاح في عبوة مشمس",
        **content,
    )
    pears = make_product(
        "Crisp Pears",
        slug="crisp-pears",
        price="4.20",
        stock=8,
        name_zh_hans="脆梨",
        name_ko="아삭한 배",
        name_ar="كمثرى مقرمشة",
        image_variants=picture,
        image_alt="Crisp pears in a paper bag",  # not translated: read as the pears' name in each language
        **{**content, "description": "Crisp pears."},
    )
    reviewer = make_user("reviewer", first_name="Rita")
    make_review(product, reviewer, 5, title="Sunny Apples review", body="Sweet and crisp.")
    card = make_saved_card(user, is_default=True)
    order, _ = place((pears, 1))
    order = payments.collect(order, card.token)
    now = timezone.now()
    Order.objects.filter(pk=order.pk).update(status=Order.Status.DELIVERED, shipped_at=now, delivered_at=now)
    make_cart(user=user, lines=[(product, 2)])
    payer = make_user("pat", first_name="Pat")
    invite = family.create_invite(payer=payer)
    family.accept_invite(code=invite.invite_code, beneficiary=user)
    make_saved_card(payer, is_default=True)
    pay_request, _ = family.ask_to_pay(
        beneficiary=user,
        lines=[placement.WantedLine(pears.pk, 1)],
        address=address.as_snapshot(),
        note="Thank you!",
    )
    newcomer = make_user("nina", first_name="Nina")
    other_invite = family.create_invite(payer=make_user("sam", first_name="Sam"))
    return SimpleNamespace(
        user=user,
        product=product,
        other=pears,
        address=address,
        order=order,
        payer=payer,
        newcomer=newcomer,
        invite=other_invite.invite_code,
        pay_request=pay_request.public_id,
    )


def _signed_in(client: Client, world, who: str = "user") -> Client:
    from storefront.checkout.state import ADDRESS_KEY

    client.force_login(getattr(world, who))
    session = client.session
    session[ADDRESS_KEY] = world.address.pk
    session.save()
    return client


def _compare_two(client: Client, world) -> None:
    for item in (world.product, world.other):
        client.post("/compare/change/", {"product": item.pk, "next": "/compare/"})


def _password_reset_confirm(client: Client, world):
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    uid = urlsafe_base64_encode(force_bytes(world.user.pk))
    token = default_token_generator.make_token(world.user)
    return client.get(f"/account/password-reset/{uid}/{token}/", follow=True)


def _deliver_to_korea(client: Client, world) -> None:
    from storefront.accounts.models import Address
    from storefront.checkout.state import ADDRESS_KEY

    seoul = Address.objects.create(
        user=world.user,
        full_name="김민지",
        street_address="세종대로 175",
        city="종로구",
        country_area="서울특별시",
        postal_code="03172",
        country="KR",
    )
    session = client.session
    session[ADDRESS_KEY] = seoul.pk
    session.save()


def _pay_with_kakao(client: Client, world, follow: bool = True):
    from storefront.catalog.models import Product

    Product.objects.filter(pk=world.product.pk).update(stock=50)  # each edition's visit holds two
    _deliver_to_korea(client, world)
    return client.post(
        "/checkout/pay/", {"method": "kakaopay", "idempotency_key": f"kakao-{id(client)}"}, follow=follow
    )


def _wallet_pending(client: Client, world):
    from storefront.checkout.models import Order

    _pay_with_kakao(client, world, follow=False)
    order = Order.objects.filter(user=world.user, payments__method="kakaopay").latest("pk")
    return client.get(f"/checkout/pay/return/{order.number}/")


def _return_review(client: Client, world):
    line = world.order.lines.get()
    return client.post(
        f"/orders/{world.order.number}/return/",
        {f"qty_{line.pk}": "1", "reason": "damaged", "kind": "refund"},
    )


def _a_return(world):
    from storefront.checkout import returns
    from storefront.checkout.models import ReturnRequest

    return ReturnRequest.objects.filter(order__number=world.order.number).first() or returns.request(
        world.order, quantities={world.order.lines.get().pk: 1}, reason="size", kind="refund"
    )


def _return_detail(client: Client, world):
    return client.get(_a_return(world).get_absolute_url())


def _return_label(client: Client, world):
    return client.get(_a_return(world).get_absolute_url() + "label/")


@dataclass(frozen=True)
class Page:
    name: str
    path: str | Callable  # a path (may use {product}, {category}, {order}) or fn(client, world) -> response
    signed_in: bool = False
    who: str = "user"  # who is signed in: user (Alice), payer (Pat) or newcomer (Nina)
    status: int = 200
    post: dict | None = None
    before: Callable | None = None  # fn(client, world), run first
    shows: tuple[str, ...] = ()  # HTML showing the page is in the state named (placeholders as in path)


PAGES = [
    Page("home", "/"),
    Page("category", "/category/{category}/", shows=("<picture>",)),
    Page("category (filtered)", "/category/{category}/?in_stock=on&sort=price&min_price=abc"),
    Page("search (results)", "/search/?q=apples", shows=('href="/product/{product}/"', "<picture>")),
    Page("search (no results)", "/search/?q=zzzzqqqq"),
    Page("search (no query)", "/search/"),
    Page("product", "/product/{product}/", shows=("<picture>",)),
    Page("product (signed in)", "/product/{product}/", signed_in=True, shows=("<picture>",)),
    Page("compare (empty)", "/compare/"),
    Page(
        "compare",
        "/compare/",
        before=_compare_two,
        shows=('href="/product/{product}/"', 'href="/product/{other}/"'),
    ),
    Page("cart (empty)", "/cart/"),
    Page("cart (a line)", "/cart/", signed_in=True, shows=('href="/product/{product}/"', "<picture>")),
    Page("sign in", "/account/signin/"),
    Page("sign in (errors)", "/account/signin/", post={"username": "", "password": ""}),
    Page("sign up", "/account/signup/"),
    Page("sign up (errors)", "/account/signup/", status=400, post={"username": ""}),
    Page("password reset", "/account/password-reset/"),
    Page("password reset (sent)", "/account/password-reset/sent/"),
    Page("password reset (new password)", _password_reset_confirm, shows=('name="new_password2"',)),
    Page("password reset (complete)", "/account/password-reset/complete/"),
    Page("account", "/account/", signed_in=True),
    Page("address book", "/account/addresses/", signed_in=True),
    Page("checkout address", "/checkout/address/", signed_in=True),
    Page(
        "checkout address (errors)",
        "/checkout/address/",
        signed_in=True,
        status=400,
        post={
            "new-full_name": "",
            "new-street_address": "",
            "new-city": "",
            "new-postal_code": "ABC",
            "new-country": "US",
        },
    ),
    Page("checkout review", "/checkout/review/", signed_in=True, shows=("1600 Amphitheatre Pkwy",)),
    Page("checkout pay", "/checkout/pay/", signed_in=True, shows=('class="stack pay-form"',)),
    Page(
        "checkout pay (errors)",
        "/checkout/pay/",
        signed_in=True,
        status=400,
        post={"method": "new", "idempotency_key": "locale-test", "card-number": "1234"},
    ),
    Page(
        "checkout pay (Korea: Kakao Pay)",
        "/checkout/pay/",
        signed_in=True,
        before=_deliver_to_korea,
        shows=('value="kakaopay"',),
    ),
    Page("wallet provider page", _pay_with_kakao, signed_in=True, shows=('name="outcome"',)),
    Page("wallet payment pending", _wallet_pending, signed_in=True, shows=("/test-provider/",)),
    Page("confirmation", "/checkout/confirmation/{order}/", signed_in=True, shows=("{order}",)),
    Page("order list", "/orders/", signed_in=True, shows=("{order}",)),
    Page(
        "order detail",
        "/orders/{order}/",
        signed_in=True,
        shows=("{order}", 'href="/orders/{order}/return/"'),
    ),
    Page("return start", "/orders/{order}/return/", signed_in=True, shows=('name="reason"',)),
    Page(
        "return start (errors)",
        "/orders/{order}/return/",
        signed_in=True,
        status=400,
        post={"reason": "other", "kind": "refund"},
    ),
    Page("return review", _return_review, signed_in=True, shows=('name="confirm"',)),
    Page("return detail", _return_detail, signed_in=True, shows=('name="tracking_code"',)),
    Page("return label", _return_label, signed_in=True, shows=('class="return-code"',)),
    Page("family home", "/family/", signed_in=True, shows=("Pat",)),
    Page("one-click setup", "/checkout/one-click/setup/", signed_in=True),
    Page("one-click done", "/checkout/one-click/{order}/", signed_in=True, shows=("{order}",)),
    Page(
        "family request (payer)",
        "/family/requests/{pay_request}/",
        signed_in=True,
        who="payer",
        shows=("Thank you!",),
    ),
    Page("family request (asker)", "/family/requests/{pay_request}/", signed_in=True, shows=("Thank you!",)),
    Page("family invitation", "/family/join/{invite}/", signed_in=True, who="newcomer", shows=("Sam",)),
    Page("help", "/help/"),
    Page("editions", "/editions/"),
    Page("404", "/no-such-page/", status=404),
    Page("404 (signed in)", "/product/no-such-product/", signed_in=True, status=404),
]


def fetch(page: Page, world, language: str, edition: str):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.cookies["edition"] = edition
    if page.signed_in:
        _signed_in(client, world, page.who)
    if page.before:
        page.before(client, world)
    if callable(page.path):
        return page.path(client, world)
    path = page.path.format(**_names(world))
    if page.post is not None:
        return client.post(path, page.post)
    return client.get(path)


def _names(world) -> dict[str, str]:
    return {
        "product": world.product.slug,
        "other": world.other.slug,
        "category": world.product.category.slug,
        "order": world.order.number,
        "pay_request": str(world.pay_request),
        "invite": world.invite,
    }


HTML_TAG = re.compile(r"<html\b[^>]*>", re.I)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("page_type", PAGES, ids=lambda p: p.name)
def test_page_is_in_the_language_with_no_english_left(world, page_type, language):
    page = page_type
    problems: list[str] = []
    for edition in EDITIONS:
        response = fetch(page, world, language, edition)
        where = f"{page.name} [{edition}] in {language}"
        if response.status_code != page.status:
            problems.append(f"{where}: status {response.status_code}, expected {page.status}")
            continue
        html = response.content.decode()
        missing = [want for want in (w.format(**_names(world)) for w in page.shows) if want not in html]
        if missing:
            problems.append(f"{where}: not in the state the test wants, missing {missing}")
        attrs = read_page(html, language).html_attrs
        direction = "rtl" if language in RTL else "ltr"
        if attrs.get("lang") != language or attrs.get("dir") != direction:
            tag = HTML_TAG.search(html)
            problems.append(
                f"{where}: {tag.group(0) if tag else 'no <html>'}, expected lang={language!r} "
                f"dir={direction!r}"
            )
        if f"edition-{edition}" not in attrs.get("class", ""):
            problems.append(f"{where}: not rendered in the {edition} edition ({attrs.get('class')!r})")
        leaked = leaked_english(html, language) + catalogue_leaks(html, language)
        if leaked:
            problems.append(
                f"{where} ({response.wsgi_request.path}): {len(leaked)} English text(s):\n    "
                + "\n    ".join(leaked)
            )
    assert not problems, "\n".join(problems)
