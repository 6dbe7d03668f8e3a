"""Reads for the directory. Other apps use ``service_list_by_ids`` and ``service_link_warnings``."""

import datetime
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from directory.models import (
    Attribute,
    ProblemReport,
    ProblemReportStatus,
    ReviewStatus,
    Service,
    ServiceAtLocation,
)
from directory.models.services import STALE_AFTER
from directory.selectors.filter_panel import (
    FilterOptions,
    filter_options,
    filter_options_changed,
)
from directory.selectors.postcodes import Point, PostcodeError, postcode_point
from directory.selectors.search import (
    ServiceQuery,
    Sort,
    service_filtered,
    service_search,
    service_search_page,
)

__all__ = [
    "Point",
    "PostcodeError",
    "ServiceLinkWarning",
    "ServiceQuery",
    "Sort",
    "FilterOptions",
    "filter_options",
    "filter_options_changed",
    "postcode_point",
    "problem_reports_open",
    "service_filtered",
    "service_get_published",
    "service_ids_in",
    "service_link_warnings",
    "service_list_by_ids",
    "service_search",
    "service_search_page",
    "services_due_for_review",
]

UUID_RE = re.compile(
    r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b", re.IGNORECASE
)


def _detail_prefetch(services: QuerySet[Service]) -> QuerySet[Service]:
    return services.select_related("organization").prefetch_related(
        Prefetch("attributes", Attribute.objects.select_related("taxonomy_term__parent")),
        "languages",
        "phones",
        "contacts",
        "schedules",
        "service_areas",
        "cost_options",
        Prefetch("service_at_locations", ServiceAtLocation.objects.select_related("location")),
    )


def service_get_published(*, service_id: uuid.UUID) -> Service | None:
    """A published service with everything its page needs, or None."""
    return (
        _detail_prefetch(Service.objects.filter(review_status=ReviewStatus.PUBLISHED))
        .filter(pk=service_id)
        .first()
    )


def service_list_by_ids(*, ids: Iterable[uuid.UUID | str]) -> list[Service]:
    """Published services in the order of ``ids``; unknown, malformed or unpublished ids skipped."""
    wanted: list[uuid.UUID] = []
    for value in ids:
        try:
            wanted.append(value if isinstance(value, uuid.UUID) else uuid.UUID(str(value)))
        except ValueError:
            continue
    found = {
        service.pk: service
        for service in _detail_prefetch(
            Service.objects.filter(pk__in=wanted, review_status=ReviewStatus.PUBLISHED)
        )
    }
    return [found[pk] for pk in dict.fromkeys(wanted) if pk in found]


@dataclass(frozen=True)
class ServiceLinkWarning:
    service_id: uuid.UUID
    name: str
    reason: str  # "missing", "archived", "unpublished" or "stale"

    @property
    def message(self) -> str:
        return {
            "missing": f"The linked directory service {self.service_id} no longer exists.",
            "archived": f"The linked directory service “{self.name}” is archived.",
            "unpublished": f"The linked directory service “{self.name}” is not published.",
            "stale": f"The linked directory service “{self.name}” has not been checked "
            "for over 12 months.",
        }[self.reason]


def service_ids_in(*, value) -> list[uuid.UUID]:
    """Every UUID found anywhere in a nested structure (StreamField JSON, YAML, dicts, lists)."""
    found: list[uuid.UUID] = []
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list | tuple):
            stack.extend(item)
        elif isinstance(item, uuid.UUID):
            found.append(item)
        elif isinstance(item, str):
            found.extend(uuid.UUID(match) for match in UUID_RE.findall(item))
    return list(dict.fromkeys(found))


def service_link_warnings(*, ids: Iterable[uuid.UUID | str]) -> list[ServiceLinkWarning]:
    """Warnings for linked services that are missing, archived, unpublished or stale.

    Ids that are not services at all are only reported as missing when they look like service
    links; callers pass the ids their blocks or scenario endings hold.
    """
    wanted = []
    for value in ids:
        try:
            wanted.append(value if isinstance(value, uuid.UUID) else uuid.UUID(str(value)))
        except ValueError:
            continue
    services = {s.pk: s for s in Service.objects.filter(pk__in=wanted)}
    warnings = []
    for pk in dict.fromkeys(wanted):
        service = services.get(pk)
        if service is None:
            warnings.append(ServiceLinkWarning(service_id=pk, name="", reason="missing"))
        elif service.review_status == ReviewStatus.ARCHIVED:
            warnings.append(ServiceLinkWarning(service_id=pk, name=service.name, reason="archived"))
        elif service.review_status != ReviewStatus.PUBLISHED:
            warnings.append(
                ServiceLinkWarning(service_id=pk, name=service.name, reason="unpublished")
            )
        elif service.is_stale:
            warnings.append(ServiceLinkWarning(service_id=pk, name=service.name, reason="stale"))
    return warnings


REVIEW_NOTICE = datetime.timedelta(days=30)


def services_due_for_review() -> dict[str, list[Service]]:
    """Services stale (or stale within 30 days) or with open problem reports, by assurer."""
    cutoff = timezone.localdate() - STALE_AFTER + REVIEW_NOTICE
    due = (
        Service.objects.exclude(review_status=ReviewStatus.ARCHIVED)
        .exclude(assurer_email="")
        .select_related("organization")
        .annotate(
            open_reports=Count(
                "problem_reports", filter=Q(problem_reports__status=ProblemReportStatus.OPEN)
            )
        )
        .filter(Q(assured_date__isnull=True) | Q(assured_date__lt=cutoff) | Q(open_reports__gt=0))
        .order_by("assurer_email", "assured_date", "name")
    )
    grouped: dict[str, list[Service]] = {}
    for service in due:
        grouped.setdefault(service.assurer_email.lower(), []).append(service)
    return grouped


def problem_reports_open() -> QuerySet[ProblemReport]:
    """Open "report a problem" tasks, oldest first."""
    return (
        ProblemReport.objects.filter(status=ProblemReportStatus.OPEN)
        .select_related("service")
        .order_by("created_at")
    )
