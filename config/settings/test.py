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

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file rather than memory, so live-server tests (browser journeys, the concurrency test)
    # give each server thread its own connection under WAL, as the embedded default runs.
    # One file per pytest process; Django deletes it when the run ends.
    import tempfile

    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(tempfile.gettempdir(), f"safeguarding-test-{os.getpid()}.sqlite3")
    }

# The tests' partner LRS (tests/tracking/partner_lrs.py) and unreachable destinations are on
# this machine; every other loopback, private or link-local host stays refused.
LRS_DESTINATION_ALLOWED_HOSTS = ["127.0.0.1"]
