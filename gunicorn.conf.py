"""gunicorn settings for the web process: `gunicorn -c gunicorn.conf.py storefront.wsgi:application`.

Every setting can be changed with an environment variable (PORT, WEB_CONCURRENCY, ...) or on the command line.
"""

import os

bind = os.environ.get("GUNICORN_BIND", f"0.0.0.0:{os.environ.get('PORT', '8000')}")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# Django, the URL configuration, templates and translations are loaded once in the master (storefront.wsgi
# warms them up) and shared copy-on-write by the workers: a fresh worker answers its first request at once.
preload_app = os.environ.get("GUNICORN_PRELOAD", "1") != "0"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
# A worker is replaced after this many requests (with jitter, so not all at once): bounds slow memory growth.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))
max_requests_jitter = max_requests // 10
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")


def post_worker_init(worker) -> None:
    """Each worker answers a few real requests itself before it takes traffic (storefront/warmup.py)."""
    from storefront.warmup import warm_requests

    warm_requests()
