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
from functools import partial

from django.db import connection, transaction
from django.db.models import Prefetch
from modelcluster.models import get_all_child_relations
from wagtail.models import ReferenceIndex
from wagtail.search.backends import get_search_backends
from wagtail.signal_handlers import disable_reference_index_auto_update

from directory.models import (
    SEARCH_CONFIG,
    Attribute,
    Location,
    Organization,
    Service,
    Taxonomy,
    TaxonomyTerm,
)

INDEX_CHUNK = 500

# SEARCH_CONFIG is a constant and ids are bound parameters, so no injection (S608).
_REFRESH_SQL = f"""
UPDATE directory_service AS s SET search_document =
    setweight(to_tsvector('{SEARCH_CONFIG}', s.name), 'A')
    || setweight(to_tsvector('{SEARCH_CONFIG}', coalesce((SELECT o.name
        FROM directory_organization AS o WHERE o.id = s.organization_id), '')), 'B')
    || setweight(to_tsvector('{SEARCH_CONFIG}', concat_ws(' ',
        s.description, s.how_to_refer, s.eligibility,
        (SELECT string_agg(t.name, ' ') FROM directory_attribute a
            JOIN directory_taxonomyterm t ON t.id = a.taxonomy_term_id WHERE a.service_id = s.id),
        (SELECT string_agg(l.name || ' ' || l.code, ' ') FROM directory_language l
            WHERE l.service_id = s.id),
        (SELECT string_agg(r.name, ' ') FROM directory_servicearea r WHERE r.service_id = s.id)
    )), 'C')
WHERE TRUE
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
    if pending:
        search_document_refresh(service_ids=pending)


def search_document_touched(*, service_ids: Iterable) -> None:
    """A save touched these services: refresh them now, or at the end of a deferred block."""
    pending = _deferred.get()
    if pending is None:
        search_document_refresh(service_ids=service_ids)
    else:
        pending.update(str(pk) for pk in service_ids)


# Rows an import touched, by model, indexed in bulk after it commits (None outside such a block).
_index_pending: ContextVar[dict | None] = ContextVar("directory_search_index", default=None)


@contextmanager
def search_index_deferred() -> Iterator[dict]:
    """Around a whole import: refresh the stored search document once, at the end, and collect
    the rows whose Wagtail search index and reference index entries the block made stale.

    Yields those rows ({model: ids}); the import hands them to
    ``import_indexes_refresh_on_commit``, so the two Wagtail indexes are rebuilt by a task
    after the import commits, not while the editor waits. Wagtail updates its reference index
    on every save of a tracked model; ``disable_reference_index_auto_update`` is Wagtail's own
    switch for bulk writes.
    """
    pending: dict = {}
    token = _index_pending.set(pending)
    try:
        with disable_reference_index_auto_update(), search_document_refresh_deferred():
            yield pending
    finally:
        _index_pending.reset(token)


# The models an import re-indexes after commit, by the name its task carries.
INDEXED = {
    "service": Service,
    "organization": Organization,
    "location": Location,
    "taxonomy": Taxonomy,
    "term": TaxonomyTerm,
}
# Wagtail's reference index records what these point at (terms, organisations, locations).
_REFERENCING = (Service, TaxonomyTerm)


def import_indexes_refresh_on_commit(*, pending: dict) -> int:
    """When the current transaction commits, queue ``directory.import_indexes_refresh`` for
    these rows ({model: ids}): one task per INDEX_CHUNK ids of a model, so 5,000 services are
    ten short tasks. Nothing is queued if the transaction rolls back. Returns the tasks queued.

    With Celery eager (the embedded default) the tasks run at commit, in the importing process.
    """
    from directory.tasks import import_indexes_refresh_task

    queued = 0
    for kind, model in INDEXED.items():
        ids = sorted({str(pk) for pk in pending.get(model, ())})
        for start in range(0, len(ids), INDEX_CHUNK):
            chunk = ids[start : start + INDEX_CHUNK]
            # Robust: the import is committed whatever happens here; a failed refresh is
            # logged and a rerun of the task (or the import) repairs it.
            transaction.on_commit(
                partial(import_indexes_refresh_task.delay, kind, chunk), robust=True
            )
            queued += 1
    return queued


def import_indexes_refresh(*, kind: str, ids: Iterable) -> int:
    """Re-add these rows to Wagtail's search index and, for services and terms, rebuild their
    reference index entries. Re-reads the rows (deleted ones are skipped); idempotent, in
    chunks. Returns the number of ids given."""
    model = INDEXED[kind]
    ids = list(ids)
    search_index_refresh(model=model, pks=ids)
    if model in _REFERENCING:
        reference_index_refresh(model=model, pks=ids)
    return len(ids)


def reference_index_refresh(*, model, pks: Iterable) -> None:
    """Rebuild Wagtail's reference index (the "usage" of terms, organisations, locations) for
    these rows, in chunks. Idempotent.

    Wagtail reads every child relation of each row (a query each, nine for a service); the
    chunk prefetches them, so a row costs the index's own read and write, and one
    transaction per chunk saves a commit per row.
    """
    ids = sorted({str(pk) for pk in pks})
    relations = [r.get_accessor_name() for r in get_all_child_relations(model)]
    for start in range(0, len(ids), INDEX_CHUNK):
        chunk = model.objects.filter(pk__in=ids[start : start + INDEX_CHUNK])
        with transaction.atomic():
            for obj in chunk.prefetch_related(*relations):
                ReferenceIndex.create_or_update_for_object(obj)


def search_index_touched(*, model, pks: Iterable) -> None:
    """Saves changed these rows' searchable text: index them now or at the block's end."""
    pending = _index_pending.get()
    if pending is None:
        search_index_refresh(model=model, pks=pks)
    else:
        pending.setdefault(model, set()).update(str(pk) for pk in pks)


def _indexable(model):
    if model is Service:
        return Service.objects.select_related("organization").prefetch_related(
            Prefetch("attributes", Attribute.objects.select_related("taxonomy_term")),
            "languages",
            "service_areas",
        )
    return model.objects.all()


def search_index_refresh(*, model, pks: Iterable) -> None:
    """Re-add the rows to every auto-updated Wagtail search backend, in bulk. Idempotent."""
    ids = sorted({str(pk) for pk in pks})
    for start in range(0, len(ids), INDEX_CHUNK):
        chunk = list(_indexable(model).filter(pk__in=ids[start : start + INDEX_CHUNK]))
        if chunk:
            for backend in get_search_backends(with_auto_update=True):
                backend.add_bulk(model, chunk)
