"""Who may see which agencies' figures, and the filters every report takes."""

from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from accounts.selectors import user_is_partnership_admin, user_report_agencies

GROUPINGS = {
    "sector": "agency__sector",
    "agency": "agency_id",
    "team": "team_id",
    "job_role": "job_role_id",
}


@dataclass(frozen=True)
class ReportFilters:
    """What a report covers: a date range, a course, an agency and how to break figures down."""

    date_from: date | None = None
    date_to: date | None = None
    course_id: int | None = None
    agency_id: int | None = None
    group_by: str = "agency"
    extra: dict = field(default_factory=dict)

    @property
    def at(self) -> datetime:
        """The moment statuses are judged at: the end of ``date_to``, or now."""
        now = timezone.now()
        if self.date_to is None:
            return now
        end = timezone.make_aware(datetime.combine(self.date_to, time.max))
        return min(end, now)

    @property
    def start(self) -> datetime | None:
        if self.date_from is None:
            return None
        return timezone.make_aware(datetime.combine(self.date_from, time.min))


def report_agency_ids(*, viewer, agency_id: int | None = None) -> list[int]:
    """The agency ids a report may show the viewer.

    Raises PermissionDenied for people with no report access (learners, trainers) and Http404
    when ``agency_id`` names an agency outside the viewer's scope, so that editing a URL or an
    export parameter never reveals, or even confirms, another agency's figures.
    """
    allowed = list(user_report_agencies(user=viewer).values_list("pk", flat=True))
    if not allowed and not user_is_partnership_admin(user=viewer):
        raise PermissionDenied("Reports are for agency leads and partnership admins.")
    if agency_id is None:
        return allowed
    if agency_id not in allowed:
        raise Http404("No such agency in your reports.")
    return [agency_id]


def viewer_sees_all(*, viewer) -> bool:
    """Whether the viewer gets the partnership-wide dashboard."""
    return user_is_partnership_admin(user=viewer)
