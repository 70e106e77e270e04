"""Django settings, driven by the environment (see README "Configuration").

Defaults are the embedded set-up: SQLite under var/, tasks run eagerly, no external services. Production is
DEBUG unset or false, with SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL given; `devicebank check --deploy` is
clean then.
"""

import secrets
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from devicebank.env import env_bool, env_int, env_list, env_str

PROJECT_DIR = Path(__file__).resolve().parent
BASE_DIR = PROJECT_DIR.parent
VAR_DIR = Path(env_str("DEVICEBANK_VAR_DIR") or BASE_DIR / "var")

DEBUG = env_bool("DEBUG", default=False)


def _secret_key() -> str:
    key = env_str("SECRET_KEY")
    if key:
        return key
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off (or set SECRET_KEY_FILE).")
    # Development only: keep one random key under var/ so sessions survive restarts.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key_file = VAR_DIR / "dev-secret-key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        key_file.chmod(0o600)
    return key_file.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = (env_str("SITE_URL") or "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    # devicebank domains: one app each (docs/architecture.md)
    "devicebank.core",
    "devicebank.people",
    "devicebank.programmes",
    "devicebank.places",
    "devicebank.devices",
    "devicebank.sanitisation",
    "devicebank.donations",
    "devicebank.hardware",
    "devicebank.refurbishment",
    "devicebank.recipients",
    "devicebank.allocation",
    "devicebank.distribution",
    "devicebank.impact",
    # the top layer: home pages, navigation, demo seed (imports the domains; none imports it)
    "devicebank.portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "devicebank.core.middleware.RejectNulMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "devicebank.people.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "devicebank.urls"
WSGI_APPLICATION = "devicebank.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "devicebank.portal.context_processors.service",
            ],
        },
    },
]
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# Database: SQLite under var/ unless DATABASE_URL names another (postgres://...).
_default_sqlite = f"sqlite:///{VAR_DIR / 'devicebank.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or _default_sqlite,
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets the web server read while a background import writes; IMMEDIATE avoids
        # "database is locked" upgrades from read to write inside a transaction.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "people.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "sign-in"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "sign-in"

# Behind BEHIND_PROXY, how many of our own proxies append to X-Forwarded-For (people.throttling.client_ip):
# the sign-in lockout and the request throttles count by the address the outermost one saw.
DEVICEBANK_TRUSTED_PROXY_COUNT = env_int("PROXY_COUNT", 1) if env_bool("BEHIND_PROXY") else 0

# Sign-in lockout (django-axes, people.lockout): an email address from one client address is locked after
# AXES_FAILURE_LIMIT failures, and one client address across all email addresses after
# SIGN_IN_IP_FAILURE_LIMIT failures (password spraying), each for 15 minutes.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
DEVICEBANK_SIGN_IN_IP_FAILURE_LIMIT = env_int("SIGN_IN_IP_FAILURE_LIMIT", 20)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_HANDLER = "devicebank.people.lockout.SignInLockoutHandler"
AXES_USERNAME_CALLABLE = "devicebank.people.lockout.username_of"
AXES_CLIENT_IP_CALLABLE = "devicebank.people.lockout.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "people/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"

# Two-factor sign-in (people.two_factor): TOTP apps and recovery codes, required for admins, programme
# managers and technicians. The names shown in authenticator apps:
OTP_TOTP_ISSUER = "devicebank"
# Never show TOTP keys in the Django admin (people.admin also leaves django-otp's device admins out).
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# The demo's staff users get an authenticator with a published key (README). Development only: without DEBUG
# this is off whatever the environment says, and that key is refused at sign-in.
DEVICEBANK_DEMO_SECOND_FACTOR = DEBUG and env_bool("DEMO_SECOND_FACTOR", default=True)

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [PROJECT_DIR / "static"]
MEDIA_ROOT = Path(env_str("MEDIA_ROOT") or VAR_DIR / "media")
MEDIA_URL = "/media/"
# Evidence files (core/evidence.py): on disk under MEDIA_ROOT/evidence, or in S3-compatible object storage when
# EVIDENCE_S3_BUCKET is set (docs/operations.md, "Evidence files"). Never served from MEDIA_URL: every download
# goes through a view that checks who asks and the file's SHA-256.
EVIDENCE_S3_BUCKET = env_str("EVIDENCE_S3_BUCKET")
if EVIDENCE_S3_BUCKET:
    EVIDENCE_STORAGE: dict[str, Any] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": EVIDENCE_S3_BUCKET,
            "endpoint_url": env_str("EVIDENCE_S3_ENDPOINT_URL"),
            "region_name": env_str("EVIDENCE_S3_REGION"),
            "access_key": env_str("EVIDENCE_S3_ACCESS_KEY_ID"),
            "secret_key": env_str("EVIDENCE_S3_SECRET_ACCESS_KEY"),
            "location": env_str("EVIDENCE_S3_PREFIX") or "evidence",
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
            "object_parameters": {"ServerSideEncryption": env_str("EVIDENCE_S3_SSE") or "AES256"},
        },
    }
else:
    EVIDENCE_STORAGE = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(MEDIA_ROOT / "evidence")},
    }
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "evidence": EVIDENCE_STORAGE,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Uploaded evidence and registers are capped so a 1 GB file is refused before it is read.
DEVICEBANK_MAX_UPLOAD_BYTES = env_int("DEVICEBANK_MAX_UPLOAD_BYTES", 50 * 1024 * 1024)
# An asset register larger than this is checked by a background job, not in the request (docs/benchmarks.md has
# the time and memory a 50 MB one takes).
DEVICEBANK_REGISTER_CHECK_IN_REQUEST_BYTES = env_int(
    "DEVICEBANK_REGISTER_CHECK_IN_REQUEST_BYTES", 2 * 1024 * 1024
)

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env_str("CACHE_URL")}
        if env_str("CACHE_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Celery: eager in-process unless a broker is configured.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND")
CELERY_TIMEZONE = TIME_ZONE
# Celery beat (`celery -A devicebank beat`): the schedule lives here, in code, not in django-celery-beat's tables:
# one fixed periodic job needs no admin screen, and the same list is what installs without a broker run by cron
# (`devicebank sweep-jobs`). docs/adr/0002-background-jobs.md.
CELERY_BEAT_SCHEDULE = {
    "sweep-jobs": {"task": "devicebank.core.sweep_jobs", "schedule": 5 * 60.0},
}
# A background job nobody has touched for this long (waiting, or running) is ended as failed by the sweeper.
DEVICEBANK_JOB_TIMEOUT_MINUTES = env_int("DEVICEBANK_JOB_TIMEOUT_MINUTES", 60)
# Refuse to write an event whose data looks like personal data or free text (core.privacy). On in the tests and
# in development, so a service that breaks the rule fails there; off in production, where a refused state change
# would cost more than it protects.
DEVICEBANK_CHECK_EVENT_DATA = env_bool("DEVICEBANK_CHECK_EVENT_DATA", default=DEBUG)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "devicebank.people.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "devicebank.core.api.Pagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "devicebank.core.api.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.MultiPartParser",
        "rest_framework.parsers.FormParser",
    ],
    # people.throttling: every API request, by client address (anon) or by user (session or bearer token).
    "DEFAULT_THROTTLE_CLASSES": [
        "devicebank.people.throttling.AnonThrottle",
        "devicebank.people.throttling.UserThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_str("API_RATE_ANON") or "60/min",
        "user": env_str("API_RATE_USER") or "1200/min",
        # POSTs to the password and code steps of signing in, per client address (besides the lockout).
        "sign-in": env_str("SIGN_IN_RATE") or "20/min",
        # The public certificate verification page, per client address.
        "verify": env_str("VERIFY_RATE") or "30/min",
    },
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # `?format=` belongs to our own endpoints (labels: pdf or zpl); the API speaks JSON only.
    "URL_FORMAT_OVERRIDE": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "devicebank API",
    "DESCRIPTION": "Device-reuse schemes for digital inclusion. Every list is scoped to what the caller may see.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "DeviceStateEnum": "devicebank.devices.states.DeviceState",
        "DeviceTypeEnum": "devicebank.devices.models.DeviceType",
        "StorageKindEnum": "devicebank.devices.models.StorageKind",
        "HandoverKindEnum": "devicebank.devices.services.HandoverKind",
        "InitialDeviceStateEnum": [("pledged", "Pledged"), ("received", "Received")],
    },
}

# Content Security Policy (django-csp 4): scripts and styles from our own origin only.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 60 * 60
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)
    if not SECURE_HSTS_PRELOAD:
        # Joining the browsers' HSTS preload list binds the whole domain for years: the domain owner's choice,
        # not ours. Set SECURE_HSTS_PRELOAD=1 to opt in.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_PROXY") else None

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {
        "permission_denied_without_traceback": {
            "()": "devicebank.core.logging.PermissionDeniedWithoutTraceback"
        }
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL") or "INFO"},
    "loggers": {
        # a 403 is logged once, as one line: the refusal is the answer, not a fault
        "django.request": {"filters": ["permission_denied_without_traceback"]},
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

DEVICEBANK_SERVICE_NAME = "devicebank"
# Fernet keys (comma-separated, newest first) for secrets kept encrypted at rest (licence keys, BIOS
# passwords). Empty in development: a key is derived from SECRET_KEY. Rotate by prepending a new key.
DEVICEBANK_ENCRYPTION_KEYS = env_list("ENCRYPTION_KEYS")
