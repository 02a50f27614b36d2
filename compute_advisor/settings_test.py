"""Test overrides on top of the one settings module: fast hashing, eager tasks that raise."""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-not-a-secret")
# Generated API tests send thousands of requests; throttling is tested with its own rate.
os.environ.setdefault("API_ANON_RATE", "1000000/minute")

from compute_advisor.settings import *  # noqa: F403

# Tests never reach AWS: a refresh that reads every part gets a closed port for the Spot Advisor's feed (the
# tests that read it serve a fixture locally and set their own URL).
PRICING_SPOT_ADVISOR_URL = "http://127.0.0.1:9/spot-advisor-data.json"
# Tests roll back the database between them: a remembered snapshot could be one that no longer exists.
ACTIVE_SNAPSHOT_MEMO_SECONDS = 0
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Static files come from the finders in tests; nothing is collected.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# A file, not memory, for SQLite's test database: a real Celery worker in the tests opens it too.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "test-artifacts" / "test-db.sqlite3")}  # noqa: F405
    (BASE_DIR / "test-artifacts").mkdir(exist_ok=True)  # noqa: F405
