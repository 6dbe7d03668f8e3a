"""The directory's text search: one parser and one ORM filter for PostgreSQL and SQLite.

A search is words, "quoted phrases" and -exclusions (the websearch syntax practitioners know).
Each word or phrase also matches its synonyms (SearchSynonym, edited in the admin). PostgreSQL
matches the stored, weighted search document (directory/services/search_document.py) with
SearchQuery objects, so the English stemmer finds "translate" from "translator" and rank orders
the results; SQLite matches the same fields with case-insensitive containment. Both treat a
phrase, an exclusion and an unbalanced quote the same way and never raise on odd input.
"""

import re
from dataclasses import dataclass, field
from functools import reduce
from operator import and_, or_

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import (
    Case,
    Exists,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)

from directory.models import (
    SEARCH_CONFIG,
    Attribute,
    Language,
    SearchSynonym,
    Service,
    ServiceArea,
)

# A token: an optional "-", then a quoted phrase (the closing quote optional) or a word.
TOKEN_RE = re.compile(r'(-?)(?:"([^"]*)"?|(\S+))')
WORD_RE = re.compile(r"[\w'’-]+")
MAX_TERMS = 12


@dataclass(frozen=True)
class TextQuery:
    """A parsed search: each entry in ``required`` is a set of alternatives (synonyms)."""

    required: tuple[tuple[str, ...], ...] = ()
    excluded: tuple[str, ...] = ()
    text: str = ""
    phrases: frozenset[str] = field(default_factory=frozenset)

    def __bool__(self) -> bool:
        return bool(self.required or self.excluded)


def synonym_groups() -> list[list[str]]:
    """The synonym lists editors keep, lower-cased (one query)."""
    return [synonym.term_list for synonym in SearchSynonym.objects.all()]


def text_query_parse(*, text: str, synonyms: list[list[str]] | None = None) -> TextQuery:
    """Words, phrases and -exclusions of ``text``, each word or phrase with its synonyms."""
    groups = synonym_groups() if synonyms is None else synonyms
    required: list[tuple[str, ...]] = []
    excluded: list[str] = []
    for minus, phrase, word in TOKEN_RE.findall(text or ""):
        cleaned = " ".join(WORD_RE.findall((phrase if phrase else word).lower())).strip("-' ")
        if not cleaned or cleaned == "or":
            continue
        if minus:
            excluded.append(cleaned)
            continue
        alternatives = [cleaned]
        for group in groups:
            if cleaned in group:
                alternatives += [term for term in group if term not in alternatives]
        required.append(tuple(alternatives))
    phrases = frozenset(a for alts in required for a in alts if " " in a)
    return TextQuery(
        required=tuple(required[:MAX_TERMS]),
        excluded=tuple(excluded[:MAX_TERMS]),
        text=(text or "").strip(),
        phrases=phrases,
    )


def _pg_query(term: str) -> SearchQuery:
    kind = "phrase" if " " in term else "plain"
    return SearchQuery(term, search_type=kind, config=SEARCH_CONFIG)


def _contains(term: str) -> Q:
    """SQLite: the service's own text, organisation, categories, languages or areas hold it."""
    return (
        Q(name__icontains=term)
        | Q(organization__name__icontains=term)
        | Q(description__icontains=term)
        | Q(how_to_refer__icontains=term)
        | Q(eligibility__icontains=term)
        | Q(
            Exists(
                Attribute.objects.filter(
                    service=OuterRef("pk"), taxonomy_term__name__icontains=term
                )
            )
        )
        | Q(
            Exists(
                Language.objects.filter(service=OuterRef("pk")).filter(
                    Q(name__icontains=term) | Q(code__iexact=term)
                )
            )
        )
        | Q(Exists(ServiceArea.objects.filter(service=OuterRef("pk"), name__icontains=term)))
    )


def service_text_filter(
    services: QuerySet[Service], *, query: TextQuery, rank: bool = True
) -> QuerySet[Service]:
    """The services matching ``query``; with ``rank``, annotated ``text_rank`` (higher first):
    an exact name match above a name containing the first term above the rest."""
    if not query:
        return services
    if connection.vendor == "postgresql":
        wanted = [reduce(or_, (_pg_query(term) for term in alts)) for alts in query.required]
        unwanted = [~_pg_query(term) for term in query.excluded]
        search = reduce(and_, [*wanted, *unwanted])
        services = services.filter(search_document=search)
        score = SearchRank(F("search_document"), search)
    else:
        for alternatives in query.required:
            services = services.filter(reduce(or_, (_contains(term) for term in alternatives)))
        for term in query.excluded:
            services = services.exclude(_contains(term))
        score = Value(0.0, output_field=FloatField())
    if not rank:
        return services
    first = query.required[0][0] if query.required else ""
    return services.annotate(
        name_rank=Case(
            When(name__iexact=query.text.strip('"'), then=Value(2)),
            When(name__icontains=first or "\x00", then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        ),
        text_rank=score,
    )
