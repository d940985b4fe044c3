"""One settings module, driven by environment variables (see README)."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url

from huiyuan import local_secrets


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


BASE_DIR = Path(__file__).resolve().parent.parent
# Everything the running system writes: SQLite files, secrets, collected static files, uploads.
VAR_DIR = Path(os.environ.get("HUIYUAN_VAR_DIR", BASE_DIR / "var"))

_secrets = local_secrets.load(VAR_DIR / "secrets.json")
SECRET_KEY = _secrets["SECRET_KEY"]
FIELD_ENCRYPTION_KEY = _secrets["FIELD_ENCRYPTION_KEY"]
LOOKUP_HMAC_KEY = _secrets["LOOKUP_HMAC_KEY"]

DEBUG = env_bool("HUIYUAN_DEBUG")
ALLOWED_HOSTS = os.environ.get("HUIYUAN_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
CSRF_TRUSTED_ORIGINS = [
    origin for origin in os.environ.get("HUIYUAN_CSRF_TRUSTED_ORIGINS", "").split(",") if origin
]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "ninja",
    "django_htmx",
    "crispy_forms",
    "crispy_bootstrap5",
    "huey.contrib.djhuey",
    "huiyuan",
    "huiyuan.core",
    "huiyuan.staff",
    "huiyuan.api",
    "huiyuan.members",
    "huiyuan.cards",
    "huiyuan.points",
    "huiyuan.wallet",
    "huiyuan.tiers",
    "huiyuan.catalog",
    "huiyuan.inventory",
    "huiyuan.promotions",
    "huiyuan.coupons",
    "huiyuan.gifts",
    "huiyuan.sales",
    "huiyuan.notifications",
    "huiyuan.portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "huiyuan.core.middleware.RefuseNulMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "huiyuan.core.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "huiyuan.staff.middleware.CurrentStoreMiddleware",
    "huiyuan.api.conventions.JsonMethodNotAllowedMiddleware",
    # Last, as django-axes asks.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "huiyuan.urls"
WSGI_APPLICATION = "huiyuan.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "huiyuan.core.context_processors.shell",
            ],
            "builtins": ["huiyuan.core.templatetags.huiyuan"],
        },
    },
]

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Database: SQLite (WAL, busy timeout) unless DATABASE_URL names another server.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'huiyuan.sqlite3'}",
        conn_max_age=int(
            os.environ.get("HUIYUAN_CONN_MAX_AGE", "60")
        ),  # SQLite too: one per worker
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "staff.Operator"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "staff:login"
LOGIN_REDIRECT_URL = "core:dashboard"
LOGOUT_REDIRECT_URL = "staff:login"

# django-axes: 5 failed logins lock that username from that address for 15 minutes. The pair,
# not the IP alone: a store's tills share one address and one cashier's typos must not lock the
# whole store; not the username alone: nobody elsewhere can keep the administrator locked out.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "huiyuan.staff.views.locked_out"
AXES_VERBOSE = False

# Internationalisation: Chinese first. Source strings are Chinese; locale/en holds English.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# Third-party front-end files, copied from node_modules by `manage.py build_assets`.
VENDOR_STATIC_DIR = BASE_DIR / "build" / "static"
STATICFILES_DIRS = [VENDOR_STATIC_DIR]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": os.environ.get(
            "HUIYUAN_STATICFILES_STORAGE",
            "whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
# Member photos are personal data: kept outside MEDIA_ROOT (which a web server may publish) and
# streamed only by the permission-checked members:photo view.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("HUIYUAN_PRIVATE_MEDIA_ROOT", VAR_DIR / "private_media"))

# Request limits: bodies over 1 MiB are refused (413 PAYLOAD_TOO_LARGE in the API).
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("HUIYUAN_MAX_BODY_BYTES", 1024 * 1024))

# Security headers; secure cookies and HSTS when served over HTTPS.
HTTPS = env_bool("HUIYUAN_HTTPS")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_SAMESITE = "Lax"
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("HUIYUAN_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SESSION_COOKIE_AGE = 60 * 60 * 12  # one shift and a half

# Background and periodic jobs (declared in huiyuan/tasks.py).
HUEY_REDIS_URL = os.environ.get("HUEY_REDIS_URL")
HUEY = {
    "name": "huiyuan",
    "immediate": env_bool("HUEY_IMMEDIATE"),
    "utc": False,  # crontabs in TIME_ZONE (Asia/Shanghai)
    "consumer": {"workers": 2, "worker_type": "thread"},
}
if HUEY_REDIS_URL:
    HUEY |= {"huey_class": "huey.RedisHuey", "url": HUEY_REDIS_URL}
else:
    HUEY |= {"huey_class": "huey.SqliteHuey", "filename": str(VAR_DIR / "huey.sqlite3")}

# Notifications: SMS goes through this adapter (the default only logs; a gateway plugs in here).
HUIYUAN_SMS_BACKEND = os.environ.get(
    "HUIYUAN_SMS_BACKEND", "huiyuan.notifications.channels.LogSmsBackend"
)
# A page listing what the log backend "sent" (verification codes included): development only.
HUIYUAN_DEV_OUTBOX = env_bool("HUIYUAN_DEV_OUTBOX", DEBUG)

# How long an Idempotency-Key is remembered.
IDEMPOTENCY_KEY_TTL_DAYS = int(os.environ.get("HUIYUAN_IDEMPOTENCY_KEY_TTL_DAYS", "7"))

# E-card: how long the QR code's token is valid, and how often the page fetches a fresh one.
HUIYUAN_ECARD_TOKEN_SECONDS = int(os.environ.get("HUIYUAN_ECARD_TOKEN_SECONDS", "60"))
HUIYUAN_ECARD_REFRESH_SECONDS = int(os.environ.get("HUIYUAN_ECARD_REFRESH_SECONDS", "50"))

# Inactivity rule (seeds): fewer than MIN_USES card uses in the last MONTHS months → the member
# is listed for review; cancelling stays a person's decision.
HUIYUAN_INACTIVITY_MONTHS = int(os.environ.get("HUIYUAN_INACTIVITY_MONTHS", "12"))
HUIYUAN_INACTIVITY_MIN_USES = int(os.environ.get("HUIYUAN_INACTIVITY_MIN_USES", "1"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {"stdout": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["stdout"], "level": os.environ.get("HUIYUAN_LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        # Given a handler here, run_huey doesn't add its own (which would print every line twice).
        "huey": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
    },
}
