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

# Pages come first on a machine the voice service shares with the web app: a shopper notices a product page that
# takes 100 ms more, not a recognition that does. The service lowers its own CPU priority (VOICE_NICE, default
# 10; 0 keeps it), inherited by the workers gunicorn forks from it.
VOICE_NICE = int(os.environ.get("VOICE_NICE", "10"))
if VOICE_NICE > 0:
    os.nice(VOICE_NICE)

application = get_wsgi_application()

from storefront.voice.service import warm_up  # noqa: E402 - Django must be set up first

warm_up()
