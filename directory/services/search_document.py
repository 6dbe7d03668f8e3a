"""The stored PostgreSQL search document for services (directory/models/services.py).

Wagtail's PostgreSQL backend filters with ``(title || body) @@ query``, which no index can
serve, so a 10,000-service directory took 60-80 ms per query (bench/directory.py). On PostgreSQL
the search page therefore matches a stored, weighted tsvector with a GIN index: name (A),
organisation (B), then description, referral route, eligibility, categories, languages and
areas (C). SQLite keeps Wagtail's FTS5 backend, which this module leaves alone.
"""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import connection

from directory.models import SEARCH_CONFIG

# SEARCH_CONFIG is a constant and ids are bound parameters, so no injection (S608).
_REFRESH_SQL = f"""
UPDATE directory_service AS s SET search_document =
    setweight(to_tsvector('{SEARCH_CONFIG}', s.name), 'A')
    || setweight(to_tsvector('{SEARCH_CONFIG}', o.name), 'B')
    || setweight(to_tsvector('{SEARCH_CONFIG}', concat_ws(' ',
        s.description, s.how_to_refer, s.eligibility,
        (SELECT string_agg(t.name, ' ') FROM directory_attribute a
            JOIN directory_taxonomyterm t ON t.id = a.taxonomy_term_id WHERE a.service_id = s.id),
        (SELECT string_agg(l.name || ' ' || l.code, ' ') FROM directory_language l
            WHERE l.service_id = s.id),
        (SELECT string_agg(r.name, ' ') FROM directory_servicearea r WHERE r.service_id = s.id)
    )), 'C')
FROM directory_organization AS o
WHERE o.id = s.organization_id
"""  # noqa: S608


def search_document_refresh(*, service_ids: Iterable | None = None) -> None:
    """Rebuild the stored search document for the given services (all when None).

    Idempotent; a no-op on databases other than PostgreSQL.
    """
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        if service_ids is None:
            cursor.execute(_REFRESH_SQL)
            return
        ids = [str(pk) for pk in service_ids]
        if ids:
            cursor.execute(_REFRESH_SQL + " AND s.id = ANY(%s::uuid[])", [ids])


# The services whose documents a deferred block will refresh (None outside such a block).
_deferred: ContextVar[set | None] = ContextVar("directory_search_document_deferred", default=None)


@contextmanager
def search_document_refresh_deferred() -> Iterator[set]:
    """Collect the services that saves inside the block touch; refresh them once at its end.

    The signal handlers (directory/signals.py) refresh a service on every save of it or of its
    categories, languages and areas: one UPDATE each. An import writes a service and all of
    those in one go, so it defers them to a single UPDATE. Nothing is refreshed when the block
    raises (its writes are rolled back).
    """
    pending: set = set()
    token = _deferred.set(pending)
    try:
        yield pending
    finally:
        _deferred.reset(token)
    search_document_refresh(service_ids=pending)


def search_document_touched(*, service_ids: Iterable) -> None:
    """A save touched these services: refresh them now, or at the end of a deferred block."""
    pending = _deferred.get()
    if pending is None:
        search_document_refresh(service_ids=service_ids)
    else:
        pending.update(str(pk) for pk in service_ids)
