"""WSGI entry point (gunicorn storefront.wsgi:application; settings in gunicorn.conf.py).

The application is warmed up on import (storefront/warmup.py), so a fresh worker answers its first request as
fast as its hundredth; with `preload_app` (gunicorn.conf.py) that happens once, before the workers fork.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "storefront.settings")
application = get_wsgi_application()

from storefront.warmup import warm_up  # noqa: E402 - needs the apps loaded above

warm_up()
