"""Settings of the voice service process: the shop's own settings, recognising in process, serving only /voice/.

The service renders with the same templates, database, cache and sessions as the web app (a shopper's answer does
not depend on which process made it); it just refuses every other path, so a front proxy mistake cannot turn
it into a second web app holding the model.
"""

from storefront.settings import *  # noqa: F403 - the whole point: the same settings
from storefront.settings import MIDDLEWARE

VOICE_IS_SERVICE = True
VOICE_IN_PROCESS = True
VOICE_SERVICE_URL = ""
MIDDLEWARE = ["storefront.voice.service.OnlyVoiceMiddleware", *MIDDLEWARE]
