"""Test settings: fast hashing, in-memory email, eager Celery unless a broker is given."""

import os

os.environ.setdefault("DEBUG", "false")

from config.settings.base import *  # noqa: E402,F403

SECRET_KEY = "test-only-key"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
