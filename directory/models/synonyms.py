"""Search synonyms that editors maintain in the admin, expanded when a search runs."""

from django.db import models
from wagtail.admin.panels import FieldPanel


class SearchSynonym(models.Model):
    """Words and phrases a practitioner may type for the same thing ("translator, interpreter")."""

    terms = models.TextField(
        help_text="Comma-separated words or phrases that mean the same in a search, e.g. "
        "“translator, interpreter, translation”. Searching for any of them finds all."
    )

    panels = [FieldPanel("terms")]

    class Meta:
        ordering = ["terms"]

    def __str__(self) -> str:
        return self.terms

    @property
    def term_list(self) -> list[str]:
        return [t.strip().lower() for t in self.terms.split(",") if t.strip()]
