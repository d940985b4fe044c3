"""Test settings: the real settings, with jobs run inline and plain static files."""

import os

# Playwright's sync API runs an event loop in the test thread; Django's ORM must still work there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from huiyuan.settings import *  # noqa: F403

HUEY = {**HUEY, "immediate": True}  # noqa: F405
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Fast hashing in tests; production uses argon2 (tests/staff/test_auth.py checks the real setting).
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tests don't collectstatic: WhiteNoise finds files through the finders, looked up per request.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
