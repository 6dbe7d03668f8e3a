"""ORUK 3.0 taxonomy and taxonomy_term: the two-level category list services are linked to."""

import uuid

from django.core.exceptions import ValidationError
from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.search import index

from directory.models.fields import DashedUUIDField


class Taxonomy(index.Indexed, models.Model):
    # directory/signals.py keeps the search index instead, so that an import can batch it.
    search_auto_update = False
    id = DashedUUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=255)
    description = models.TextField()
    uri = models.URLField(blank=True)
    version = models.CharField(max_length=50, blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("description"),
        FieldPanel("uri"),
        FieldPanel("version"),
    ]
    search_fields = [index.SearchField("name"), index.SearchField("description")]

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "taxonomies"

    def __str__(self) -> str:
        return self.name


class TaxonomyTerm(index.Indexed, models.Model):
    """A category. Two levels only: a term's parent must itself be top-level."""

    # directory/signals.py keeps the search index instead, so that an import can batch it.
    search_auto_update = False

    id = DashedUUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    taxonomy = models.ForeignKey(Taxonomy, on_delete=models.PROTECT, related_name="terms")
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    name = models.CharField(max_length=255)
    description = models.TextField()
    term = models.SlugField(max_length=100, unique=True, help_text="Short code, e.g. helplines.")
    term_uri = models.URLField(blank=True)

    panels = [
        FieldPanel("taxonomy"),
        FieldPanel("parent"),
        FieldPanel("name"),
        FieldPanel("term"),
        FieldPanel("description"),
        FieldPanel("term_uri"),
    ]
    search_fields = [
        index.SearchField("name"),
        index.SearchField("description"),
        index.FilterField("taxonomy_id"),
        index.FilterField("parent_id"),
    ]

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.parent.name} › {self.name}" if self.parent_id else self.name

    def clean(self) -> None:
        if self.parent_id is None:
            return
        if self.parent_id == self.id:
            raise ValidationError({"parent": "A category cannot be its own parent."})
        if self.parent.parent_id is not None:
            raise ValidationError({"parent": "Choose a top-level category: there are two levels."})
        if self.children.exists():
            raise ValidationError(
                {"parent": "This category has sub-categories, so it stays top-level."}
            )
