"""Whole-page cache for shoppers with a session (catalog/pagecache.py): one cached page per URL and presentation,
the parts about the visitor (cart, account links, messages, CSRF tokens, the product page's buying, comparison
and review parts, the family hints) rendered per request. Two shoppers never see each other's parts, a message
shows once, a catalogue change shows at once, the page is the same as without the cache, forms work with JS
off, and htmx partial requests still get their partial."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.template import Context, Template
from django.test import Client
from django.test.utils import CaptureQueriesContext

from storefront.catalog import pagecache
from storefront.catalog.pagecache import MARKER_START, PLACEHOLDER, PersonalInSharedPage

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
EDITIONS = ("standard", "elder", "screen-reader", "cross-border")


def _pages(product) -> list[str]:
    return [
        "/",
        f"/category/{product.category.slug}/",
        f"/category/{product.category.slug}/?in_stock=on&sort=price",
        "/search/?q=apples",
        product.get_absolute_url(),
    ]


def _html(client: Client, url: str, **headers) -> str:
    response = client.get(url, **headers)
    assert response.status_code == 200, (url, response.status_code)
    html = response.content.decode()
    assert PLACEHOLDER not in html and "<!--personal:" not in html, url
    return html


def _session_pages() -> list[bytes]:
    """Every page stored by the session page cache (local memory in tests), as stored."""
    import pickle

    return [pickle.loads(raw)[2] for key, raw in cache._cache.items() if ":spage:" in key]


def _shopper(product, quantity: int = 1, user=None) -> Client:
    shopper = Client()
    if user is not None:
        shopper.force_login(user)
    shopper.post("/cart/add/", {"product": product.pk, "quantity": quantity})
    shopper.get("/cart/")  # shows (and so uses up) the "added" message
    return shopper


def test_pages_for_shoppers_with_a_session_are_cached_whole_with_markers(product):
    shopper = _shopper(product)
    for url in _pages(product):
        _html(shopper, url)
    stored = _session_pages()
    assert len(stored) == len(_pages(product))
    for body in stored:
        assert MARKER_START in body and PLACEHOLDER.encode() in body
        # nothing about the visitor in what every visitor shares
        assert b"1 item" not in body and b'csrfmiddlewaretoken" value="' + PLACEHOLDER.encode() in body
        assert not TOKEN.search(body.decode().replace(PLACEHOLDER, ""))


def test_a_repeat_view_runs_no_view_and_reads_no_catalogue(product):
    shopper = _shopper(product)
    for url in _pages(product):
        _html(shopper, url)
        with CaptureQueriesContext(connection) as queries:
            html = _html(shopper, url)
        assert "1 item" in html
        sql = [q["sql"] for q in queries.captured_queries]
        catalogue = [q for q in sql if '"catalog_' in q and "catalogueversion" not in q]
        assert catalogue == [], (url, catalogue)  # the product page's parts get the product kept with it


def test_two_shoppers_never_see_each_others_parts(product, make_user):
    alice = _shopper(product, 2, make_user("alice", first_name="Alicia", email="alicia@example.com"))
    bob = _shopper(product, 1, make_user("bob", first_name="Bobby", email="bobby@example.com"))
    carol = _shopper(product, 3)  # not signed in
    for url in _pages(product):
        a = _html(alice, url)  # a miss: cached now
        b = _html(bob, url)  # a hit
        c = _html(carol, url)
        assert "2 items" in a and "1 item" in b and "3 items" in c, url
        assert "2 items" not in b + c and "3 items" not in a + b, url
        assert "Sign out" in a and "Sign out" in b and "Sign out" not in c and "Sign in" in c, url
        tokens = [set(TOKEN.findall(page)) for page in (a, b, c)]
        assert all(tokens) and not (tokens[0] & tokens[1] or tokens[0] & tokens[2] or tokens[1] & tokens[2])
    for body in _session_pages():
        for private in (
            b"Alicia",
            b"alicia",
            b"Bobby",
            b"bobby",
            b"1 item",
            b"2 items",
            b"3 items",
            b"Sign out",
            b"Sign in",
        ):
            assert private not in body


def test_a_token_from_a_cached_page_works_with_javascript_off(product):
    url = product.get_absolute_url()
    _html(_shopper(product), url)  # cached by another shopper
    second = Client(enforce_csrf_checks=True)
    token = TOKEN.search(_html(second, url)).group(1)  # no session yet: the anonymous page
    assert (
        second.post(
            "/cart/add/", {"product": product.pk, "quantity": 1, "csrfmiddlewaretoken": token}
        ).status_code
        == 302
    )
    html = _html(second, url)  # a session now: the shared page, from the cache
    assert "1 item" in html and "Added" in html
    token = TOKEN.search(html).group(1)
    response = second.post("/cart/add/", {"product": product.pk, "quantity": 1, "csrfmiddlewaretoken": token})
    assert response.status_code == 302  # the plain form post (no htmx) is accepted
    assert "2 items" in _html(second, url)
    assert len(_session_pages()) == 1


def test_a_message_shows_once_on_a_cached_page(product):
    shopper = _shopper(product)
    _html(shopper, product.get_absolute_url())  # cached without any message
    shopper.post("/cart/add/", {"product": product.pk, "quantity": 1})
    first = _html(shopper, product.get_absolute_url())
    assert "Added Sunny Apples to your cart" in first and 'class="messages"' in first
    again = _html(shopper, product.get_absolute_url())
    assert 'class="messages"' not in again and "2 items" in again


def test_a_message_for_one_shopper_never_shows_to_another(product):
    alice, bob = _shopper(product), _shopper(product)
    _html(alice, "/")
    alice.post("/cart/add/", {"product": product.pk, "quantity": 1})
    assert 'class="messages"' in _html(alice, "/")
    alice.post("/cart/add/", {"product": product.pk, "quantity": 1})
    assert 'class="messages"' not in _html(bob, "/")


def test_a_price_and_stock_change_shows_at_once(product, user):
    from storefront.checkout import placement

    shopper = _shopper(product)
    for url in _pages(product)[1:]:
        assert "3.50" in _html(shopper, url)
    product.price = Decimal("4.75")
    product.save()
    for url in _pages(product)[1:]:
        html = _html(shopper, url)
        assert "4.75" in html and "3.50" not in html, url
    placement.place_order(
        user=user, lines=[placement.WantedLine(product.pk, 4)], address={}, idempotency_key="s1"
    )
    assert "In stock: 1 left" in _html(shopper, product.get_absolute_url())


def test_one_click_buy_is_each_shoppers_own(product, user, address, make_saved_card, make_user):
    make_saved_card(user, is_default=True)  # Alice is ready for one-click
    alice = _shopper(product, user=user)
    bob = _shopper(product, user=make_user("bob"))  # signed in, no address nor card
    carol = _shopper(product)
    url = product.get_absolute_url()
    b = _html(bob, url)  # the miss
    a, a2 = _html(alice, url), _html(alice, url)  # hits
    c = _html(carol, url)
    assert "Buy now" in a and "1600 Amphitheatre Pkwy" in a and "Set up one-click buying" not in a
    keys = re.compile(r'name="idempotency_key" value="([^"]+)"')
    assert keys.findall(a) and keys.findall(a) != keys.findall(a2)  # a fresh key per view, as uncached
    assert "Set up one-click buying" in b and "Buy now" not in b and "Amphitheatre" not in b
    assert "Buy now" not in c and "Set up one-click buying" not in c


def test_review_eligibility_is_each_shoppers_own(product, user, make_user, delivered, make_review):
    delivered((product, 1))  # Alice bought it
    alice = _shopper(product, user=user)
    reviewer = make_user("rita")
    make_review(product, reviewer)
    rita = _shopper(product, user=reviewer)
    bob = _shopper(product, user=make_user("bob"))
    carol = _shopper(product)
    url = product.get_absolute_url()
    html = {
        who: _html(client, url)
        for who, client in (("bob", bob), ("alice", alice), ("rita", rita), ("carol", carol))
    }
    assert "Publish review" in html["alice"]
    assert "after you have bought it" in html["bob"] and "Publish review" not in html["bob"]
    assert "already reviewed" in html["rita"] and "Publish review" not in html["rita"]
    assert "Sign in to write a review" in html["carol"]


def test_comparison_is_each_shoppers_own(product):
    alice, bob = _shopper(product), _shopper(product)
    url = product.get_absolute_url()
    _html(bob, url)
    alice.post("/compare/change/", {"product": product.pk})
    assert "Remove from comparison" in _html(alice, url)
    assert "Add to comparison" in _html(bob, url) and "Remove from comparison" not in _html(bob, url)


def test_back_in_stock_form_is_each_shoppers_own(make_product, make_user):
    sold_out = make_product("Rare Tea", stock=0)
    alice = _shopper(sold_out, user=make_user("alice", email="alice@example.com"))
    bob = _shopper(sold_out, user=make_user("bob", email="bob@example.com"))
    url = sold_out.get_absolute_url()
    a, b = _html(alice, url), _html(bob, url)
    assert "alice@example.com" in a and "bob@example.com" not in a
    assert "bob@example.com" in b and "alice@example.com" not in b


def test_family_allowance_hint_is_the_beneficiarys_own(product, user, address, make_user, make_saved_card):
    from storefront.family import services

    payer = make_user("pat", first_name="Pat")
    make_saved_card(payer, is_default=True)
    invite = services.create_invite(payer=payer)
    link = services.accept_invite(code=invite.invite_code, beneficiary=user)
    services.set_allowance(link=link, payer=payer, monthly_limit=Decimal("100"))
    alice, bob = _shopper(product, user=user), _shopper(product, user=make_user("bob"))
    url = product.get_absolute_url()
    b, a = _html(bob, url), _html(alice, url)
    assert "Ask my family to pay" in a and "Paid at once from the allowance Pat" in a
    assert "Ask my family to pay" not in b and "allowance" not in b and "Pat" not in b


def _normalised(html: str) -> str:
    """Without what differs between two views by design: CSRF tokens and one-click/family keys."""
    html = TOKEN.sub('name="csrfmiddlewaretoken" value="T"', html)
    html = re.sub(r"\"X-CSRFToken\": \"[^\"]+\"", '"X-CSRFToken": "T"', html)
    html = re.sub(r'data-csrf="[^"]+"', 'data-csrf="T"', html)
    return re.sub(r"(oneclick|family)-[0-9a-f]{32}", r"\1-K", html)


@pytest.mark.parametrize("edition", EDITIONS)
def test_the_cached_page_is_the_page_without_the_cache(
    edition, product, user, address, make_saved_card, settings
):
    make_saved_card(user, is_default=True)
    shopper = _shopper(product, 2, user)
    shopper.cookies["edition"] = edition
    for url in _pages(product):
        _html(shopper, url)
        cached = _html(shopper, url)
        settings.PAGE_CACHE_SESSIONS = False
        uncached = _html(shopper, url)
        settings.PAGE_CACHE_SESSIONS = True
        assert _normalised(cached) == _normalised(uncached), (edition, url)
    assert len(_session_pages()) == len(_pages(product)), "a page was not cached (see the log)"


def test_htmx_partial_requests_get_their_partial(product):
    shopper = _shopper(product)
    url = f"/category/{product.category.slug}/?in_stock=on"
    full = _html(shopper, url)
    part = _html(shopper, url, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results")
    assert "<html" in full and "<html" not in part and 'id="results"' in part and "live-region" in part
    boosted = _html(shopper, url, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results", HTTP_HX_BOOSTED="true")
    assert "<html" in boosted and "1 item" in boosted
    assert "<html" in _html(shopper, url)


def test_the_kill_switch_turns_the_session_cache_off(product, settings):
    settings.PAGE_CACHE_SESSIONS = False
    shopper = _shopper(product)
    for url in _pages(product):
        assert "1 item" in _html(shopper, url)
    assert _session_pages() == []


def test_reading_the_visitor_outside_a_personal_part_is_refused(rf):
    request = rf.get("/")
    request._page_cache_render = pagecache.SHARED
    context = Context(pagecache.csrf_placeholder(request))
    for source in ("{{ user.is_authenticated }}", "{% if messages %}x{% endif %}", "{{ cart_count }}"):
        with pytest.raises(PersonalInSharedPage):
            Template(source).render(context)


def test_a_page_that_reads_the_visitor_is_served_uncached(product, monkeypatch, caplog):
    """The guard's way out: logged, and the shopper gets a correct page that is not stored."""
    real = pagecache.PersonalNode.render

    def leaky(self, context):
        if getattr(context.get("request"), "_page_cache_render", None) == pagecache.SHARED:
            context.get("user").is_authenticated  # noqa: B018 - reads the visitor in the shared page
        return real(self, context)

    monkeypatch.setattr(pagecache.PersonalNode, "render", leaky)
    shopper = _shopper(product)
    assert "1 item" in _html(shopper, "/")
    assert _session_pages() == []
    assert "reads the visitor" in caplog.text
