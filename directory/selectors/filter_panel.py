"""The search page's filter option lists (categories, languages, areas), built once per process.

They do not depend on the query, so each process keeps one copy and rebuilds it when a shared
token in the cache changes: directory/signals.py replaces the token after any commit that
adds, edits or deletes a taxonomy term, service, language or area, so every process sees the
change on its next request. A copy is also rebuilt after CHOICES_TTL seconds, for writes that
send no signals (bulk_create, QuerySet.update). Each request costs one cache read.
"""

import time
import uuid
from dataclasses import dataclass

from django.core.cache import cache

from directory.models import DEMO_DATA_TERM, Language, ReviewStatus, ServiceArea, TaxonomyTerm

GENERATION_KEY = "directory:filter-options-generation"
CHOICES_TTL = 60  # seconds: the longest a list may lag a write that sends no signal


@dataclass(frozen=True)
class CategoryOption:
    term: str
    name: str


@dataclass(frozen=True)
class FilterOptions:
    """The option lists of the filter panel; ``token`` and ``built_at`` say how fresh."""

    categories: tuple[tuple[CategoryOption, tuple[CategoryOption, ...]], ...]
    languages: tuple[tuple[str, str], ...]  # (ISO 639-3 code, name), by name
    areas: tuple[str, ...]
    token: str
    built_at: float


_current: FilterOptions | None = None


def _categories() -> tuple[tuple[CategoryOption, tuple[CategoryOption, ...]], ...]:
    terms = list(
        TaxonomyTerm.objects.exclude(term=DEMO_DATA_TERM)
        .order_by("name")
        .values_list("pk", "parent_id", "term", "name")
    )
    children: dict = {}
    for _pk, parent_id, term, name in terms:
        if parent_id:
            children.setdefault(parent_id, []).append(CategoryOption(term=term, name=name))
    return tuple(
        (CategoryOption(term=term, name=name), tuple(children.get(pk, ())))
        for pk, parent_id, term, name in terms
        if parent_id is None
    )


def _languages() -> tuple[tuple[str, str], ...]:
    rows = (
        Language.objects.filter(service__review_status=ReviewStatus.PUBLISHED)
        .values_list("code", "name")
        .distinct()
    )
    by_code: dict[str, str] = {}
    for code, name in rows:
        by_code.setdefault(code, name or code)
    return tuple(sorted(by_code.items(), key=lambda item: item[1]))


# A place name ("Oldham", "Greater Manchester", "Stoke-on-Trent") is short and no sentence; feeds
# often put an eligibility sentence in service_area.name, which the Area filter leaves out.
PLACE_MAX_WORDS = 5
PLACE_MAX_LENGTH = 80


def is_place_name(name: str) -> bool:
    """Whether an area name reads as a place rather than a sentence about who is eligible."""
    text = (name or "").strip()
    return (
        bool(text)
        and len(text) <= PLACE_MAX_LENGTH
        and len(text.split()) <= PLACE_MAX_WORDS
        and not any(mark in text for mark in ".:;!?")
        and text[0].isupper()
    )


def _areas() -> tuple[str, ...]:
    names = (
        ServiceArea.objects.filter(service__review_status=ReviewStatus.PUBLISHED)
        .values_list("name", flat=True)
        .distinct()
    )
    return tuple(sorted({n.strip() for n in names if is_place_name(n)}, key=str.lower))


def _token() -> str:
    token = cache.get(GENERATION_KEY)
    if token is None:
        # First use, or the cache was cleared or evicted the key: start a new generation.
        cache.add(GENERATION_KEY, uuid.uuid4().hex, None)
        token = cache.get(GENERATION_KEY)
    return token


def filter_options() -> FilterOptions:
    """The filter panel's option lists: this process's copy, rebuilt (three queries) when the
    shared token changed or the copy is older than CHOICES_TTL. Demo data is not a category."""
    global _current  # one copy per process, replaced whole, never mutated
    token = _token()
    current = _current
    now = time.monotonic()
    if current is None or current.token != token or now - current.built_at > CHOICES_TTL:
        current = FilterOptions(
            categories=_categories(),
            languages=_languages(),
            areas=_areas(),
            token=token,
            built_at=now,
        )
        _current = current
    return current


def filter_options_changed() -> None:
    """Make every process rebuild its filter option lists on its next request (idempotent)."""
    cache.set(GENERATION_KEY, uuid.uuid4().hex, None)
