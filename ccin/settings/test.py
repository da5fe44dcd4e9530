"""Test settings: fast hashing, plain static storage, in-memory media and email.

DATABASE_URL and REDIS_URL still apply, so CI runs the same suite on PostgreSQL and Redis.
"""

import os
import tempfile

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-insecure-key"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": STORAGES["default"],  # noqa: F405  (production's: files whole or not at all)
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# The browser tests' server and its set-up commands share one folder through the environment.
MEDIA_ROOT = os.environ.get("MEDIA_ROOT") or tempfile.mkdtemp(prefix="ccin-test-media-")
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Inline, so tests inside a transaction see the mail; tests/security/test_background.py
# turns it on to show the production path.
CCIN_BACKGROUND_TASKS = False
# Background jobs run inline, so tests inside a transaction see what they do; the browser
# tests' server sets CCIN_TASKS_WORKER=1 and runs the real queue and worker.
if os.environ.get("CCIN_TASKS_WORKER") != "1":
    TASKS = {
        **TASKS,  # noqa: F405
        "background": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    }
WAGTAILADMIN_BASE_URL = "http://testserver"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
LOGGING = {"version": 1, "disable_existing_loggers": False}
if REDIS_URL:  # noqa: F405
    CACHES["default"]["KEY_PREFIX"] = "ccin-test"  # noqa: F405
# Tests see freshly rendered pages; tests/performance turns the page cache on to test it.
CCIN_PAGE_CACHE_SECONDS = 0
# Serve static files from the finders; no collectstatic needed outside production.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Two-step verification is not demanded of the suite's force_login users; tests/security turns
# it on to test it.
CCIN_REQUIRE_2FA_FOR = []
CCIN_REQUIRE_2FA_FOR_SUPERUSERS = False
