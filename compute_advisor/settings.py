"""The one settings module. Everything that differs between machines comes from the environment.

Nothing configured means: SQLite in the project folder, Celery tasks run eagerly (no broker),
an in-memory cache. See README.md for each variable.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from kombu import Queue

from compute_advisor.lib.env import database_config, env_bool, env_int, env_list, env_str, redis_url, secret_key

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)

# Without SECRET_KEY in the environment, the development key `make install` made on this machine (git-ignored,
# mode 600), so that manage.py and celery work from a plain shell. Production brings its own: scripts/serve.py
# refuses to start without one or with this one, and `manage.py check --deploy` warns of it (security.W009).
DEVELOPMENT_KEY_FILE = BASE_DIR / "var" / "development-secret-key"
SECRET_KEY = secret_key(development_key_file=DEVELOPMENT_KEY_FILE)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# HTTPS=1 when the site is served over TLS (production): redirects, secure cookies, HSTS.
HTTPS = env_bool("HTTPS", False)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000, minimum=0) if HTTPS else 0
# Full HSTS by default so `check --deploy` is clean; a domain with plain-HTTP subdomains sets these to 0.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", HTTPS)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", HTTPS)
# Load balancers probe over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^health$"]
# Behind a TLS-terminating proxy that sets X-Forwarded-Proto (and strips it from clients).
if env_bool("TRUST_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
# How many proxies in front of the app append to X-Forwarded-For (0: clients connect directly, the header is
# ignored). Sign-in limits, API throttles and logs take the client's address from it.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, minimum=0)
# Scripts, styles, fonts and images come from the app itself; nothing inline, nothing from elsewhere.
CONTENT_SECURITY_POLICY = env_str(
    "CONTENT_SECURITY_POLICY",
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
)
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "compute_advisor.accounts",
    "compute_advisor.catalog",
    "compute_advisor.charts",
    "compute_advisor.estimates",
    "compute_advisor.wizard",
    "compute_advisor.reports",
    "compute_advisor.api",
    "pricing",
]

MIDDLEWARE = [
    "compute_advisor.lib.request_log.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "compute_advisor.lib.security_headers.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "compute_advisor.lib.middleware.RejectNulMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "compute_advisor.lib.middleware.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "compute_advisor.urls"
WSGI_APPLICATION = "compute_advisor.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "pricing.context_processors.active_snapshot",
            ],
        },
    },
]

DATABASE_URL = env_str("DATABASE_URL")
# Typed as Django declares it (django-stubs' global_settings): each alias is a dict of mixed values.
DATABASES: dict[str, dict[str, Any]] = {"default": database_config(DATABASE_URL, base_dir=BASE_DIR)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = redis_url(env_str("REDIS_URL"))
CACHES: dict[str, dict[str, Any]]
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            # A Redis that has gone away must cost a request half a second at most, not hang it.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# How long a priced result stays cached (0 turns the result cache off).
RESULT_CACHE_SECONDS = env_int("RESULT_CACHE_SECONDS", 86_400, minimum=0)
# How long a rendered comparison page (about 20 KB) stays cached; shorter than results, as pages are bigger.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 3_600, minimum=0)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# None in the tests, which serve static files from the finders.
STATIC_ROOT: Path | None = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Celery: a broker only when REDIS_URL is set; otherwise tasks run in the calling process.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_EXPIRES = 24 * 3600
# Price refreshes have a queue of their own, so that a pile of report batches on the default queue never
# delays them (two batches of 50 once held a refresh back 118 s); scripts/serve.py runs a worker for each
# queue, and a worker started without -Q consumes both (CELERY_TASK_QUEUES names them).
CELERY_TASK_DEFAULT_QUEUE = "celery"
PRICE_REFRESH_QUEUE = "refresh"
CELERY_TASK_QUEUES = [Queue(CELERY_TASK_DEFAULT_QUEUE), Queue(PRICE_REFRESH_QUEUE)]
# The refresh itself and its parts; the reaper (pricing.tasks.reap_refreshes) stays on the default queue, so
# that it still runs when the refresh worker is the one that died.
CELERY_TASK_ROUTES = {
    name: {"queue": PRICE_REFRESH_QUEUE} for name in ("pricing.tasks.refresh_prices", "pricing.tasks.refresh_part")
}
# A refresh part holds a lease it renews every PRICE_REFRESH_HEARTBEAT_SECONDS from a thread of its own (so a
# long download renews it too). A part whose heartbeat is older than the lease lost its worker: the reaper
# (every minute, at worker start and when staff start a refresh) hands it to another worker, up to
# PRICE_REFRESH_PART_ATTEMPTS attempts, and a refresh no worker has worked on for a lease stops counting as
# "already running". 180 s: nine missed heartbeats in a row, which only a database down for three minutes
# causes (and then the part could not write its prices anyway), yet short enough that a dead worker holds a
# refresh up for three minutes, not the hour of the broker's visibility timeout it used to.
PRICE_REFRESH_LEASE_SECONDS = 180
PRICE_REFRESH_HEARTBEAT_SECONDS = 20
PRICE_REFRESH_PART_ATTEMPTS = 3
PRICE_REFRESH_REAP_EVERY_SECONDS = 60
# With acks_late, a task whose worker died is handed to another worker after this many seconds.
# Redis looks for such tasks every interval x throttle seconds (kombu's defaults: 10 x 10).
# 900 s: longer than the longest task (a region's EC2 offer file, a few hundred MB streamed, takes about five
# minutes; a batch of 50 reports about four), so Redis never hands a running task to a second worker. Refresh
# parts do not wait for it: their lease finds a dead worker in three minutes.
# Queuing a task from a request must fail fast when the broker is down: the page then says so at once.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.5, "interval_max": 0.5}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 2
CELERY_REDIS_SOCKET_TIMEOUT = 5
# The result backend retries 20 times a second apart by default: a chord queued with Redis down would hold the
# request for 20 s before its error.
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {
    "retry_policy": {"max_retries": 1, "interval_start": 0, "interval_step": 0.5}
}
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 900, minimum=1),
    "unacked_restore_interval": env_int("CELERY_UNACKED_RESTORE_INTERVAL", 10, minimum=1),
    "unacked_restore_throttle": env_int("CELERY_UNACKED_RESTORE_THROTTLE", 10, minimum=1),
}

LOGIN_URL = "login"
# Failed sign-ins allowed per client address and per user name within the window, before a pause.
SIGN_IN_MAX_FAILURES = env_int("SIGN_IN_MAX_FAILURES", 10, minimum=1)
# Expensive work (compute_advisor.lib.limits): PDF renders per client a minute and at once per process, how
# long a render waits for a slot; saved scenarios per account, signups per address a day.
PDF_RENDERS_PER_MINUTE = env_int("PDF_RENDERS_PER_MINUTE", 6, minimum=1)
PDF_CONCURRENT_RENDERS = env_int("PDF_CONCURRENT_RENDERS", 1, minimum=1)
PDF_RENDERS_AT_ONCE = env_int("PDF_RENDERS_AT_ONCE", max((os.cpu_count() or 2) // 2, 1), minimum=1)
PDF_QUEUE_SECONDS = env_int("PDF_QUEUE_SECONDS", 0, minimum=0)
SAVED_SCENARIOS_PER_ACCOUNT = env_int("SAVED_SCENARIOS_PER_ACCOUNT", 500, minimum=1)
SIGNUPS_PER_ADDRESS_PER_DAY = env_int("SIGNUPS_PER_ADDRESS_PER_DAY", 5, minimum=1)
ANONYMOUS_SAVES_PER_HOUR = env_int("ANONYMOUS_SAVES_PER_HOUR", 30, minimum=1)
PAGE_CACHE_WRITES_PER_MINUTE = env_int("PAGE_CACHE_WRITES_PER_MINUTE", 30, minimum=1)
BATCH_ARCHIVE_MAX_BYTES = env_int("BATCH_ARCHIVE_MAX_BYTES", 50 * 2**20, minimum=2**20)
BATCH_ARCHIVE_DAYS = env_int("BATCH_ARCHIVE_DAYS", 7, minimum=1)
SIGN_IN_WINDOW_SECONDS = env_int("SIGN_IN_WINDOW_SECONDS", 900, minimum=60)
LOGIN_REDIRECT_URL = "estimates:mine"
LOGOUT_REDIRECT_URL = "home"
DATA_UPLOAD_MAX_MEMORY_SIZE = 512 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 512 * 1024

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_PARSER_CLASSES": ["compute_advisor.api.parsing.BoundedJSONParser"],
    "DEFAULT_THROTTLE_CLASSES": [
        "compute_advisor.api.throttles.AnonThrottle",
        "compute_advisor.api.throttles.UserThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_str("API_ANON_RATE", "120/minute"),
        "user": env_str("API_USER_RATE", "600/minute"),
    },
    "NUM_PROXIES": TRUSTED_PROXY_COUNT or None,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "compute_advisor.api.errors.handle",
    "COERCE_DECIMAL_TO_STRING": True,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "compute-advisor API",
    "DESCRIPTION": (
        "Price a containerised workload on every way AWS offers to run it. Scenarios and results follow the "
        "scenario contract, docs/CONTRACT.md in the repository."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # The documentation page's assets come from the app itself, not a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Request bodies are described by the engine's declaration as JSON Schema 2020-12 (exclusiveMinimum as a
    # number, examples as a list), which OpenAPI 3.1 speaks.
    "OAS_VERSION": "3.1.0",
}

# Pricing
SEED_PRICES_FILE = Path(env_str("SEED_PRICES_FILE") or BASE_DIR / "pricing" / "data" / "seed-snapshot.json")
# Regions the app offers and a refresh pulls; the seed snapshot covers these.
PRICING_REGIONS = env_list("PRICING_REGIONS", ["us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-1"])
# How long each process may go on using the active snapshot it last read (another process's activation
# reaches it within this time; the activating process sees it at once).
ACTIVE_SNAPSHOT_MEMO_SECONDS = env_int("ACTIVE_SNAPSHOT_MEMO_SECONDS", 2, minimum=0)
PRICE_SNAPSHOT_MAX_AGE_DAYS = env_int("PRICE_SNAPSHOT_MAX_AGE_DAYS", 45, minimum=1)
# Refreshing prices from the AWS Price List: "bulk" (offer files, no credentials needed) or "query"
# (the GetProducts API, AWS credentials needed).
PRICE_REFRESH_SOURCE = env_str("PRICE_REFRESH_SOURCE", "bulk")
if PRICE_REFRESH_SOURCE not in {"bulk", "query"}:
    raise ImproperlyConfigured(f"PRICE_REFRESH_SOURCE must be bulk or query; got {PRICE_REFRESH_SOURCE!r}")
PRICING_BULK_BASE_URL = env_str("PRICING_BULK_BASE_URL", "https://pricing.us-east-1.amazonaws.com")
PRICING_QUERY_ENDPOINT_REGION = env_str("PRICING_QUERY_ENDPOINT_REGION", "us-east-1")
# The EC2 Spot Instance Advisor's public feed, which a refresh's EC2-SpotAdvisor parts read (a mirror, or a
# file:// copy on an air-gapped install, works the same).
PRICING_SPOT_ADVISOR_URL = env_str(
    "PRICING_SPOT_ADVISOR_URL", "https://spot-bid-advisor.s3.amazonaws.com/spot-advisor-data.json"
)
# The daily refresh runs when AWS credentials are configured (or PRICE_REFRESH_SCHEDULE=1 says so).
PRICE_REFRESH_HOUR_UTC = env_int("PRICE_REFRESH_HOUR_UTC", 4, minimum=0)
PRICE_REFRESH_SCHEDULE = env_bool(
    "PRICE_REFRESH_SCHEDULE", bool(env_str("AWS_ACCESS_KEY_ID") or env_str("AWS_PROFILE"))
)

# Celery workers log through this configuration too, not Celery's own.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# "json": one object per line for a log pipeline (the default in production); "plain" for reading by eye.
LOG_FORMAT = env_str("LOG_FORMAT", "plain" if DEBUG else "json")
if LOG_FORMAT not in {"json", "plain"}:
    raise ImproperlyConfigured(f"LOG_FORMAT must be json or plain; got {LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "compute_advisor.lib.log_format.JsonFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO").upper()},
    # Libraries that narrate every step at INFO.
    "loggers": {
        # Each request is logged once, with its fields, by compute_advisor.lib.request_log.
        "django.request": {"level": "ERROR"},
        "django.server": {"level": "WARNING"},
        **{name: {"level": "WARNING"} for name in ("weasyprint", "fontTools", "matplotlib")},
    },
}
