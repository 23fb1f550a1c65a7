"""WSGI entry point of the voice service: `gunicorn storefront.voice.wsgi:application` (see the Procfile).

One process holds the speech model; threads serve requests and `VOICE_POOL_SIZE` of them recognise at once, the
others answering 503 + Retry-After at once (so run it with more threads than the pool, e.g. -k gthread
--threads 6). With --preload the model is loaded and warmed in the master before workers fork.
"""

import os

from django.core.wsgi import get_wsgi_application

# This entry point is the voice service whatever the environment names: the web app's settings module would
# serve every page and never recognise.
os.environ["DJANGO_SETTINGS_MODULE"] = "storefront.voice.service_settings"

application = get_wsgi_application()

from storefront.voice.service import warm_up  # noqa: E402 - Django must be set up first

warm_up()
