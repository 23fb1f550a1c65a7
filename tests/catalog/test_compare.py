"""The compare list kept in the session: order, the limit of four, removal and tampered session data."""

from __future__ import annotations

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory

from storefront.catalog import compare


@pytest.fixture
def request_with_session(rf: RequestFactory):
    request = rf.get("/")
    request.session = SessionStore()
    return request


def test_add_keeps_order_and_ignores_duplicates(request_with_session, make_product):
    first, second = make_product(), make_product()
    assert compare.add(request_with_session, second)
    assert compare.add(request_with_session, first)
    assert compare.add(request_with_session, second)
    assert compare.products(request_with_session) == [second, first]


def test_limit_of_four(request_with_session, make_product):
    products = [make_product() for _ in range(5)]
    assert all(compare.add(request_with_session, p) for p in products[:4])
    assert compare.add(request_with_session, products[4]) is False
    assert compare.ids(request_with_session) == [p.pk for p in products[:4]]


def test_remove(request_with_session, make_product):
    first, second = make_product(), make_product()
    compare.add(request_with_session, first)
    compare.add(request_with_session, second)
    compare.remove(request_with_session, first)
    assert compare.products(request_with_session) == [second]


def test_tampered_session_values_are_ignored(request_with_session, make_product):
    kept = make_product()
    request_with_session.session[compare.SESSION_KEY] = ["1; DROP", None, kept.pk, 3.5, 999_999]
    assert compare.ids(request_with_session) == [kept.pk, 999_999]
    assert compare.products(request_with_session) == [kept]  # unknown ids simply vanish


def test_withdrawn_products_leave_the_comparison(request_with_session, make_product):
    product = make_product()
    compare.add(request_with_session, product)
    product.is_active = False
    product.save()
    assert compare.products(request_with_session) == []
