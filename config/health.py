"""/health/: a JSON report of the database, cache and broker for monitoring."""

import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return "error"
    return "ok"


def _cache() -> str:
    key = f"health:{uuid.uuid4().hex}"
    try:
        cache.set(key, "1", 5)
        ok = cache.get(key) == "1"
        cache.delete(key)
    except Exception:  # noqa: BLE001  any cache backend error means "error", never a 500
        return "error"
    return "ok" if ok else "error"


def _broker() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "eager"
    from config.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception:  # noqa: BLE001  kombu raises many types; all mean unreachable
        return "error"
    return "ok"


@never_cache
def health(request):
    """Report each dependency; 503 when the database is down, since nothing works without it."""
    checks = {"database": _database(), "cache": _cache(), "broker": _broker()}
    status = 503 if checks["database"] != "ok" else 200
    return JsonResponse({"status": "ok" if status == 200 else "error", **checks}, status=status)
