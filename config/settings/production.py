"""Production settings: refuse to start without a secret key; HTTPS everywhere."""

from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_str
from config.settings.base import *  # noqa: F403
from config.settings.base import SITE_URL

if not SECRET_KEY:  # noqa: F405
    raise ImproperlyConfigured("SECRET_KEY: must be set in production")
if DEBUG:  # noqa: F405
    raise ImproperlyConfigured("DEBUG: must be off in production")
if not SITE_URL.startswith("https://"):
    raise ImproperlyConfigured(f"SITE_URL: production needs an https:// address, got {SITE_URL!r}")
if not env_str("CACHE_URL"):
    # Sessions are cached (cached_db): with a cache per gunicorn worker, a sign-out in one
    # worker would leave the session alive in the others' copies. locmem:// must be asked for.
    raise ImproperlyConfigured(
        "CACHE_URL: production needs a shared cache, e.g. redis://host:6379/0 "
        "(locmem:// only for a single process)"
    )

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# "preload" only takes effect once the domain is submitted to the browsers' list.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
# load_demo's accounts have a published password: never in production.
DEMO_DATA_ALLOWED = False
