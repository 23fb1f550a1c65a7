"""Start-up warm-up: everything a first request would otherwise pay for, done while the process starts.

Imports every app's views (by resolving the URL configuration), compiles the templates of the busiest pages
for every edition, and loads each language's translation catalogue. No database or cache work: with gunicorn's
`preload_app` this runs once in the master, before the workers fork, and a connection opened here would be
shared by every worker. Turn it off with WARMUP=0 (a one-off management command does not need it).
"""

from __future__ import annotations

import logging
import os
import time

logger = logging.getLogger(__name__)

PAGES = [
    "base.html",
    "catalog/home.html",
    "catalog/category.html",
    "catalog/search.html",
    "catalog/product_detail.html",
    "cart/cart.html",
    "accounts/login.html",
    "errors/404.html",
]


def warm_up() -> float:
    """Do the start-up work now; returns the seconds it took."""
    if os.environ.get("WARMUP", "1") == "0":
        return 0.0
    started = time.monotonic()
    from django.conf import settings
    from django.template import TemplateDoesNotExist
    from django.template.loader import get_template
    from django.urls import get_resolver
    from django.utils import translation

    from editions import loader, registry

    resolver = get_resolver()
    resolver.url_patterns  # noqa: B018 - imports every app's urls and views
    resolver._populate()
    for edition in registry.all_editions():
        for page in PAGES:
            try:
                with loader.edition_templates(edition.slug):
                    get_template(page)  # compiled and kept by the cached loader, per edition
            except TemplateDoesNotExist:
                pass
    current = translation.get_language()
    for code, _name in settings.LANGUAGES:
        translation.activate(code)
        translation.gettext("Home")  # loads the catalogue
    translation.activate(current or settings.LANGUAGE_CODE)
    from django.core.cache import caches

    getattr(
        caches["default"], "_cache", None
    )  # imports the cache client library (redis-py: ~0.5 s); no connection yet
    from django.core.cache import close_caches
    from django.db import connections

    connections.close_all()  # nothing opened here may be shared with forked workers
    close_caches()
    took = time.monotonic() - started
    logger.info("warm-up done in %.2f s", took)
    return took


def warm_requests() -> float:
    """In each worker (gunicorn's post_worker_init, before it takes traffic): answer a few real requests (home,
    the first category and product, the cart), so database and cache connections, locale data and the rendering
    paths are ready before the first visitor. Failures are logged, never fatal. Returns the seconds it took."""
    # Opt-in: under dropped database connections, workers that had answered these in-process requests stopped
    # answering (tests/checkout/test_faults_connections_pg.py: 10 of 20 requests timed out); the cause is not
    # found yet, so a worker takes traffic straight after the master's warm-up unless WARMUP_REQUESTS=1.
    if os.environ.get("WARMUP", "1") == "0" or os.environ.get("WARMUP_REQUESTS", "0") != "1":
        return 0.0
    started = time.monotonic()
    from django.conf import settings
    from django.test import Client

    from storefront.catalog.models import Category, Product

    host = next((h for h in settings.ALLOWED_HOSTS if h and not h.startswith(".") and h != "*"), "localhost")
    paths = ["/", "/cart/"]
    try:
        category = Category.objects.order_by("position", "id").first()
        product = Product.objects.active().order_by("id").first()
        paths += [c.get_absolute_url() for c in (category, product) if c is not None]
    except Exception:  # noqa: BLE001 - an empty or unmigrated database must not stop the worker
        logger.warning("warm-up could not read the catalogue", exc_info=True)
    client = Client(raise_request_exception=False, HTTP_HOST=host)
    for path in paths:
        try:
            client.get(path, secure=True)
        except Exception:  # noqa: BLE001
            logger.warning("warm-up request %s failed", path, exc_info=True)
    took = time.monotonic() - started
    logger.info("worker warm-up requests done in %.2f s", took)
    return took
