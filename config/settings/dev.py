"""Development settings: the embedded default (SQLite, Celery eager, console email)."""

import os

os.environ.setdefault("DEBUG", "true")

from config.env import env_str  # noqa: E402
from config.settings.base import *  # noqa: E402,F403

SECRET_KEY = env_str("SECRET_KEY") or "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
