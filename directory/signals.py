"""Keep the stored PostgreSQL search document and Wagtail's search index current.

Registered in DirectoryConfig.ready(). The directory's indexed models set
``search_auto_update = False`` so that these handlers, not Wagtail's, index them: each calls one
idempotent refresh, so every write path (admin, import, factories, shell) stays searchable
without remembering to reindex. Inside ``search_index_deferred()`` (the importer) the rows are
collected instead: the stored search document is refreshed once at the end, Wagtail's search
and reference indexes by tasks queued on commit (``import_indexes_refresh_on_commit``).
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from wagtail.search import index

from directory.models import (
    Attribute,
    Language,
    Location,
    Organization,
    Service,
    ServiceArea,
    Taxonomy,
    TaxonomyTerm,
)
from directory.selectors.filter_panel import filter_options_changed
from directory.services.search_document import search_document_touched, search_index_touched


def _services_touched(ids) -> None:
    ids = list(ids)
    search_document_touched(service_ids=ids)
    search_index_touched(model=Service, pks=ids)


def _service_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        _services_touched([instance.pk])


def _child_changed(sender, instance, raw=False, **kwargs):
    if not raw and instance.service_id:
        _services_touched([instance.service_id])


def _organization_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        search_index_touched(model=Organization, pks=[instance.pk])
        _services_touched(instance.services.values_list("pk", flat=True))


def _term_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        search_index_touched(model=TaxonomyTerm, pks=[instance.pk])
        _services_touched(instance.service_attributes.values_list("service_id", flat=True))


def _indexed_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        search_index_touched(model=sender, pks=[instance.pk])


def _indexed_deleted(sender, instance, **kwargs):
    index.remove_object(instance)


def _filter_options_stale(sender, instance, raw=False, **kwargs):
    # After commit, so no process rebuilds its lists from the data before this write.
    transaction.on_commit(filter_options_changed)


def connect() -> None:
    post_save.connect(_service_saved, sender=Service, dispatch_uid="directory.search.service")
    for model in (Attribute, Language, ServiceArea):
        post_save.connect(_child_changed, sender=model, dispatch_uid=f"directory.search.{model}")
        post_delete.connect(
            _child_changed, sender=model, dispatch_uid=f"directory.search.del.{model}"
        )
    post_save.connect(_organization_saved, sender=Organization, dispatch_uid="directory.search.org")
    post_save.connect(_term_saved, sender=TaxonomyTerm, dispatch_uid="directory.search.term")
    for model in (Location, Taxonomy):
        post_save.connect(_indexed_saved, sender=model, dispatch_uid=f"directory.index.{model}")
    for model in (Service, Location, Organization, Taxonomy, TaxonomyTerm):
        post_delete.connect(
            _indexed_deleted, sender=model, dispatch_uid=f"directory.index.del.{model}"
        )
    for model in (Service, Language, ServiceArea, TaxonomyTerm):
        for signal in (post_save, post_delete):
            signal.connect(
                _filter_options_stale,
                sender=model,
                dispatch_uid=f"directory.filter_options.{signal is post_save}.{model.__name__}",
            )
