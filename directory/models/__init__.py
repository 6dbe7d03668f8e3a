"""Directory models, aligned to Open Referral UK 3.0 (HSDS-UK-3.0)."""

from directory.models.locations import Location, LocationType
from directory.models.organizations import Organization
from directory.models.reviews import ProblemReport, ProblemReportStatus
from directory.models.services import (
    DEMO_DATA_TERM,
    SEARCH_CONFIG,
    Attribute,
    Contact,
    CostOption,
    Language,
    Phone,
    ReviewStatus,
    Schedule,
    ScheduleFrequency,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceStatus,
)
from directory.models.taxonomy import Taxonomy, TaxonomyTerm

__all__ = [
    "DEMO_DATA_TERM",
    "SEARCH_CONFIG",
    "Attribute",
    "Contact",
    "CostOption",
    "Language",
    "Location",
    "LocationType",
    "Organization",
    "Phone",
    "ProblemReport",
    "ProblemReportStatus",
    "ReviewStatus",
    "Schedule",
    "ScheduleFrequency",
    "Service",
    "ServiceArea",
    "ServiceAtLocation",
    "ServiceStatus",
    "Taxonomy",
    "TaxonomyTerm",
]
