"""Keep the stored PostgreSQL search document current, as Wagtail's own index handlers do.

Registered in DirectoryConfig.ready(). Each handler only calls the one idempotent refresh
(a single UPDATE by primary key; nothing at all on SQLite), so every write path (admin, import,
factories, shell) stays searchable without remembering to reindex. Inside
``search_document_refresh_deferred()`` (the importer) the services are collected and refreshed
once at the end instead.
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from directory.models import Attribute, Language, Organization, Service, ServiceArea, TaxonomyTerm
from directory.selectors.filter_panel import filter_options_changed
from directory.services.search_document import search_document_touched


def _service_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        search_document_touched(service_ids=[instance.pk])


def _child_changed(sender, instance, raw=False, **kwargs):
    if not raw and instance.service_id:
        search_document_touched(service_ids=[instance.service_id])


def _organization_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        search_document_touched(service_ids=instance.services.values_list("pk", flat=True))


def _term_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        ids = instance.service_attributes.values_list("service_id", flat=True)
        search_document_touched(service_ids=ids)


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
    for model in (Service, Language, ServiceArea, TaxonomyTerm):
        for signal in (post_save, post_delete):
            signal.connect(
                _filter_options_stale,
                sender=model,
                dispatch_uid=f"directory.filter_options.{signal is post_save}.{model.__name__}",
            )
