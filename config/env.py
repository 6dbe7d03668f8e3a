"""Read settings from the environment, failing loudly with the variable's name.

Every malformed value raises ImproperlyConfigured naming the variable, so a typo in a
deployment stops start-up instead of silently falling back to a default.
"""

import os
from urllib.parse import urlparse

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str | None:
    """Return the variable's value, or the default when it is unset."""
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    """Parse a boolean such as 1/0, true/false, yes/no, on/off."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}: expected true or false, got {raw!r}")


def env_int(name: str, default: int) -> int:
    """Parse a whole number."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}: expected a whole number, got {raw!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    """Parse a comma-separated list, ignoring blanks."""
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_url(name: str, default: str | None = None, schemes: tuple[str, ...] = ()) -> str | None:
    """Parse an absolute URL, optionally restricted to some schemes."""
    raw = os.environ.get(name, default)
    if raw is None or raw == "":
        return default
    parsed = urlparse(raw)
    if not parsed.scheme or (schemes and parsed.scheme not in schemes):
        allowed = ", ".join(schemes) or "any scheme"
        raise ImproperlyConfigured(f"{name}: expected a URL ({allowed}), got {raw!r}")
    if parsed.scheme in {"http", "https", "redis", "rediss", "amqp"} and not parsed.hostname:
        raise ImproperlyConfigured(f"{name}: the URL {raw!r} has no host")
    return raw.rstrip("/") if parsed.scheme in {"http", "https"} else raw


def env_database(name: str, default: str) -> dict:
    """Parse DATABASE_URL into Django's DATABASES entry (sqlite:/// or postgres://)."""
    raw = os.environ.get(name) or default
    try:
        config = dj_database_url.parse(raw, conn_max_age=60, conn_health_checks=True)
    except (ValueError, KeyError) as exc:
        raise ImproperlyConfigured(f"{name}: cannot parse {raw!r} ({exc})") from None
    engine = config.get("ENGINE", "")
    if engine not in {"django.db.backends.sqlite3", "django.db.backends.postgresql"}:
        raise ImproperlyConfigured(
            f"{name}: only sqlite:/// and postgres:// URLs are supported, got {raw!r}"
        )
    if engine == "django.db.backends.postgresql" and not config.get("NAME"):
        raise ImproperlyConfigured(f"{name}: the URL {raw!r} names no database")
    if engine == "django.db.backends.sqlite3":
        config["CONN_MAX_AGE"] = 0
        config["OPTIONS"] = {**SQLITE_OPTIONS, **config.get("OPTIONS", {})}
    return config


# SQLite for concurrent use, as Django 5.1+ documents it ("Setting pragma options",
# "Transactions behavior"). WAL lets readers carry on while one connection writes.
# IMMEDIATE takes the write lock when a transaction begins, so a transaction that reads and
# then writes waits for the lock (up to ``timeout`` seconds) instead of failing with
# "database is locked" when it tries to upgrade a read lock held beside another writer.
SQLITE_OPTIONS = {
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
}
