"""Shared fixtures for the domain tests: settings for fast, isolated runs and small factories.

Factories are plain functions behind fixtures (`make_product(...)`), so a test says only what matters to it.
Browser and voice tests keep their own fixtures in their own folders.
"""

from __future__ import annotations

import itertools
import os
from datetime import timedelta
from decimal import Decimal
from unittest import mock

import pytest
from django.db import connection
from django.utils import timezone

_seq = itertools.count(1)


def pytest_configure(config):
    # WhiteNoise warns when `collectstatic` has not run; tests serve static files through the finders.
    config.addinivalue_line("filterwarnings", "ignore:No directory at:UserWarning")


# Fixtures that need the Korean speech model or the speech synthesiser (tests/voice/conftest.py,
# tests/browser/test_voice_browser.py): a test using one is a `voice` test wherever it lives, so
# `-m "not voice"` never runs it by accident and CI's voice run never misses it.
VOICE_FIXTURES = {"ko_model", "synth", "speech_tools", "spoken_wav"}


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects
def pytest_collection_modifyitems(config, items):
    for item in items:
        if (
            VOICE_FIXTURES & set(getattr(item, "fixturenames", ()))
            and item.get_closest_marker("voice") is None
        ):
            item.add_marker(pytest.mark.voice)


def on_postgres() -> bool:
    return connection.vendor == "postgresql"


def postgres_required() -> bool:
    """CI runs that ask for PostgreSQL must fail, not skip, when they did not get it."""
    return os.environ.get("CI", "").lower() == "true" and os.environ.get("REQUIRE_POSTGRES") == "1"


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(autouse=True)
def _english_by_default():
    """A request leaves its language active in the thread; each test starts in the default language."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fresh_caches():
    """Rendered fragments are cached per process: no test sees another's catalogue."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()
    yield


@pytest.fixture(autouse=True)
def _postgres_only(request):
    if request.node.get_closest_marker("postgres") is None:
        return
    if not os.environ.get("DATABASE_URL", "").startswith("postgres") or not on_postgres():
        message = "needs PostgreSQL: set DATABASE_URL=postgres://..."
        if postgres_required():
            pytest.fail(
                f"CI=true and REQUIRE_POSTGRES=1, but the suite is not on PostgreSQL ({message})",
                pytrace=False,
            )
        pytest.skip(message)


# --- users -----------------------------------------------------------------------------------------------

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture
def password() -> str:
    """Every factory-made user's password."""
    return PASSWORD


@pytest.fixture
def make_user(db, django_user_model):
    def make(username: str | None = None, **fields):
        n = next(_seq)
        username = username or f"shopper{n}"
        fields.setdefault("email", f"{username}@example.com")
        return django_user_model.objects.create_user(username=username, password=PASSWORD, **fields)

    return make


@pytest.fixture
def user(make_user):
    return make_user("alice", first_name="Alice", last_name="Archer")


@pytest.fixture
def other_user(make_user):
    return make_user("bob")


@pytest.fixture
def user_client(client, user):
    client.force_login(user)
    return client


def html_of(response) -> str:
    return response.content.decode()


@pytest.fixture
def assert_edition_page():
    """Checks a response is a whole page in the given edition: its <html> class and its stylesheet."""
    from editions import registry

    def check(response, slug: str = "standard") -> str:
        html = html_of(response)
        edition = registry.EDITIONS[slug]
        assert f'class="{edition.html_class}"' in html, f"not an {slug} page"
        assert edition.stylesheet in html
        for other in registry.all_editions():
            if other.slug != slug:
                assert other.stylesheet not in html
        return html

    return check


# --- catalogue -------------------------------------------------------------------------------------------


@pytest.fixture
def make_category(db):
    from storefront.catalog.models import Category

    def make(name: str = "", *, slug: str = "", **fields):
        n = next(_seq)
        name = name or f"Category {n}"
        slug = slug or f"{name.lower().replace(' ', '-')}-{n}"
        return Category.objects.create(name=name, slug=slug, **fields)

    return make


@pytest.fixture
def make_brand(db):
    from storefront.catalog.models import Brand

    def make(name: str = "", *, slug: str = "", **fields):
        n = next(_seq)
        name = name or f"Brand {n}"
        return Brand.objects.create(name=name, slug=slug or f"{name.lower().replace(' ', '-')}-{n}", **fields)

    return make


@pytest.fixture
def category(make_category):
    return make_category("Fruit", slug="fruit", name_zh_hans="水果", name_ko="과일")


@pytest.fixture
def brand(make_brand):
    return make_brand("Sunny", slug="sunny", name_zh_hans="阳光", name_ko="햇살")


@pytest.fixture
def make_product(db, category, brand):
    from storefront.catalog.models import Product

    def make(name: str = "", *, price="9.99", stock: int = 10, **fields):
        n = next(_seq)
        name = name or f"Product {n}"
        fields.setdefault("category", category)
        fields.setdefault("brand", brand)
        fields.setdefault("slug", f"{name.lower().replace(' ', '-')}-{n}")
        fields.setdefault("description", f"{name}, for tests.")
        return Product.objects.create(name=name, price=Decimal(str(price)), stock=stock, **fields)

    return make


@pytest.fixture
def product(make_product):
    return make_product(
        "Sunny Apples",
        slug="sunny-apples",
        price="3.50",
        stock=5,
        name_zh_hans="阳光苹果",
        name_ko="햇살 사과",
    )


@pytest.fixture
def make_review(db):
    from storefront.catalog.models import Review

    def make(product, user, rating: int = 5, **fields):
        fields.setdefault("title", "Good")
        fields.setdefault("body", "Does the job.")
        return Review.objects.create(product=product, user=user, rating=rating, **fields)

    return make


# --- carts, addresses, cards -----------------------------------------------------------------------------


@pytest.fixture
def make_cart(db):
    from storefront.cart.models import Cart, CartLine

    def make(user=None, lines=()):
        cart = Cart.objects.create(user=user)
        for product, quantity in lines:
            CartLine.objects.create(cart=cart, product=product, quantity=quantity)
        return cart

    return make


@pytest.fixture
def make_address(db):
    from storefront.accounts.models import Address

    def make(user, **fields):
        values = {
            "full_name": user.get_full_name() or user.username,
            "street_address": "1600 Amphitheatre Pkwy",
            "city": "MOUNTAIN VIEW",
            "country_area": "CA",
            "postal_code": "94043",
            "country": "US",
            "is_default": not user.addresses.exists(),
        }
        values.update(fields)
        return Address.objects.create(user=user, **values)

    return make


@pytest.fixture
def address(make_address, user):
    return make_address(user)


VISA_OK = "4242424242424242"


@pytest.fixture
def tokenize(db):
    """Tokenise a test card number with the test gateway; returns the token string."""
    from datetime import date

    from storefront.checkout.gateways.base import CardDetails
    from storefront.sandbox.card import SandboxCardGateway

    def make(number: str = VISA_OK) -> str:
        return SandboxCardGateway().tokenize(CardDetails(number, 12, date.today().year + 2, "123")).token

    return make


@pytest.fixture
def make_saved_card(db, tokenize):
    from storefront.accounts.models import SavedPaymentMethod
    from storefront.sandbox.models import SandboxCard

    def make(user, number: str = VISA_OK, **fields):
        token = tokenize(number)
        card = SandboxCard.objects.get(token=token)
        return SavedPaymentMethod.objects.create(
            user=user,
            token=token,
            brand=card.brand,
            last4=card.last4,
            exp_month=card.exp_month,
            exp_year=card.exp_year,
            **fields,
        )

    return make


@pytest.fixture
def place(db, user, address):
    """Place an order for (product, quantity) pairs with a fresh or given idempotency key."""
    from storefront.checkout import placement

    def make(*pairs, key: str | None = None, who=None):
        lines = [placement.WantedLine(p.pk, q) for p, q in pairs]
        return placement.place_order(
            user=who or user,
            lines=lines,
            address=address.as_snapshot(),
            idempotency_key=key or f"key-{next(_seq)}",
        )

    return make


@pytest.fixture(autouse=True)
def _demo_rates(request):
    """The demo rates and destinations come from data migrations; a transactional test elsewhere in the run (the
    PostgreSQL concurrency and browser tests) flushes every table, so put them back for every database test."""
    if "db" not in request.fixturenames and request.node.get_closest_marker("django_db") is None:
        return
    request.getfixturevalue("db")
    from storefront.markets.models import load_demo_destinations, load_demo_rates

    load_demo_rates()
    load_demo_destinations()


@pytest.fixture
def clock():
    """A controllable `timezone.now`."""

    class Clock:
        now = timezone.now()

        def advance(self, **delta) -> None:
            self.now += timedelta(**delta)

    c = Clock()
    with mock.patch("django.utils.timezone.now", side_effect=lambda: c.now):
        yield c


@pytest.fixture
def delivered(place, tokenize):
    """Place (product, quantity) pairs, pay with a sandbox card (or `card`), ship in one parcel and deliver."""
    from storefront.checkout import fulfilment, payments

    def make(*pairs, card: str = VISA_OK, who=None, key: str | None = None):
        order, _new = place(*pairs, who=who, key=key)
        order = payments.collect(order, tokenize(card))
        parcel = fulfilment.ship(order, carrier="Post", tracking_number=f"TRK{order.pk}")
        fulfilment.deliver(parcel)
        order.refresh_from_db()
        return order

    return make
