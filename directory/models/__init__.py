"""Directory models, aligned to Open Referral UK 3.0 (HSDS-UK-3.0)."""

from directory.models.locations import Location, LocationType
from directory.models.organizations import Organization, OrganizationIdentifier
from directory.models.reviews import ProblemReport, ProblemReportStatus
from directory.models.services import (
    DEMO_DATA_TERM,
    SEARCH_CONFIG,
    Attribute,
    Contact,
    CostOption,
    Funding,
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
from directory.models.synonyms import SearchSynonym
from directory.models.taxonomy import Taxonomy, TaxonomyTerm

__all__ = [
    "DEMO_DATA_TERM",
    "SEARCH_CONFIG",
    "Attribute",
    "Contact",
    "CostOption",
    "Funding",
    "Language",
    "Location",
    "LocationType",
    "Organization",
    "OrganizationIdentifier",
    "Phone",
    "ProblemReport",
    "ProblemReportStatus",
    "ReviewStatus",
    "SearchSynonym",
    "Schedule",
    "ScheduleFrequency",
    "Service",
    "ServiceArea",
    "ServiceAtLocation",
    "ServiceStatus",
    "Taxonomy",
    "TaxonomyTerm",
]
