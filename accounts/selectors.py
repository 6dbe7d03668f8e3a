"""Reads about people, roles and agencies. Permission checks live here and are tested."""

from django.db.models import QuerySet

from accounts.models import Agency, AgencyDomain, User
from accounts.roles import Role


def user_roles(*, user) -> set[str]:
    """The role names a user holds (superusers hold all of them)."""
    if not user.is_authenticated:
        return set()
    if user.is_superuser:
        return {role.value for role in Role}
    cached = getattr(user, "_role_names", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        user._role_names = cached
    return cached


def user_has_role(*, user, role: Role) -> bool:
    """Whether the user holds the role."""
    return role.value in user_roles(user=user)


def user_is_partnership_admin(*, user) -> bool:
    """Partnership admins see every agency's reports and manage agencies and users."""
    return user_has_role(user=user, role=Role.PARTNERSHIP_ADMIN)


def user_is_agency_lead(*, user) -> bool:
    """Agency leads see reports for their own agency only."""
    return user_has_role(user=user, role=Role.AGENCY_LEAD) and user.agency_id is not None


def user_report_agencies(*, user) -> QuerySet[Agency]:
    """The agencies whose learner data the user may see: all, their own, or none."""
    if user_is_partnership_admin(user=user):
        return Agency.objects.all()
    if user_is_agency_lead(user=user):
        return Agency.objects.filter(pk=user.agency_id)
    return Agency.objects.none()


def agency_for_email(*, email: str) -> Agency | None:
    """The active agency that owns the email's domain, if any."""
    domain = email.rsplit("@", 1)[-1].strip().lower() if "@" in email else ""
    if not domain:
        return None
    match = (
        AgencyDomain.objects.select_related("agency")
        .filter(domain__iexact=domain, agency__is_active=True)
        .first()
    )
    return match.agency if match else None


def agency_members_pending(*, agency: Agency) -> QuerySet[User]:
    """Members of an agency waiting for approval, oldest first."""
    from accounts.models import MembershipStatus

    return User.objects.filter(agency=agency, membership_status=MembershipStatus.PENDING).order_by(
        "date_joined"
    )
