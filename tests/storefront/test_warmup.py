"""Start-up warm-up: the master loads URLs, templates and translations without leaving a database connection
for forked workers to share; each worker answers real requests before its first visitor does."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from storefront import warmup

pytestmark = pytest.mark.django_db


def test_master_warm_up_leaves_no_connection_for_workers_to_share(monkeypatch):
    from django.db import connections

    closed = []
    monkeypatch.setattr(connections, "close_all", lambda: closed.append(True))
    with CaptureQueriesContext(connection) as queries:
        assert warmup.warm_up() > 0
    assert closed and len(queries) == 0  # no database work in the master, and nothing left open


def test_worker_warm_up_renders_the_busiest_pages_before_the_first_visitor(
    client, product, settings, monkeypatch
):
    monkeypatch.setenv("WARMUP_REQUESTS", "1")  # opt-in (see warmup.warm_requests)
    settings.ALLOWED_HOSTS = ["shop.example.com"]
    settings.SECURE_SSL_REDIRECT = True  # as in production: the warm-up requests must not just be redirects
    warmup.warm_requests()
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/", secure=True, HTTP_HOST="shop.example.com")
    assert response.status_code == 200
    assert len(queries) <= 1  # served from the page cache the warm-up filled: no rendering left to do


def test_warm_up_can_be_turned_off(monkeypatch):
    monkeypatch.setenv("WARMUP", "0")
    monkeypatch.setenv("WARMUP_REQUESTS", "1")
    assert warmup.warm_up() == 0.0 and warmup.warm_requests() == 0.0


def test_worker_warm_up_requests_are_off_unless_asked_for(monkeypatch):
    monkeypatch.delenv("WARMUP_REQUESTS", raising=False)
    assert warmup.warm_requests() == 0.0
