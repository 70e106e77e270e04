"""Test settings: fast hashing, eager tasks, no throttling, plain static storage."""

import os

os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "test-only-not-secret-" + "x" * 40)

from devicebank.settings import *  # noqa: F403
from devicebank.settings import REST_FRAMEWORK, STORAGES

DEBUG = False
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = None
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
AXES_ENABLED = os.environ.get("AXES_ENABLED_IN_TESTS") == "1"
# Rates are off; the throttling tests turn them on with override_settings.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": {"anon": None, "user": None, "sign-in": None, "verify": None},
}
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # as in production, so the tests see what the log would say
    "filters": {
        "permission_denied_without_traceback": {
            "()": "devicebank.core.logging.PermissionDeniedWithoutTraceback"
        }
    },
    "root": {"level": "WARNING"},
    "loggers": {"django.request": {"filters": ["permission_denied_without_traceback"]}},
}
# The demo's published two-factor key is for `make run` only, whatever DEBUG the shell had.
DEVICEBANK_DEMO_SECOND_FACTOR = False

# Every event the suite's services write is checked for personal data and free text (core.privacy).
DEVICEBANK_CHECK_EVENT_DATA = True
