"""Reads about people, roles and agencies. Permission checks live here and are tested."""

from allauth.mfa.models import Authenticator
from django.core.cache import cache
from django.db.models import Q, QuerySet

from accounts.models import Agency, AgencyDomain, MembershipStatus, Notification, Team, User
from accounts.roles import PRIVILEGED_GROUPS, Role


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


def user_is_privileged(*, user) -> bool:
    """Whether the user must use a second factor: staff, superusers and privileged groups."""
    if not user.is_authenticated:
        return False
    if user.is_superuser or user.is_staff:
        return True
    return bool(user_roles(user=user) & PRIVILEGED_GROUPS)


def user_has_second_factor(*, user) -> bool:
    """Whether the user has enrolled an authenticator app (allauth MFA's TOTP)."""
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def user_is_partnership_admin(*, user) -> bool:
    """Partnership admins see every agency's reports and manage agencies and users."""
    return user_has_role(user=user, role=Role.PARTNERSHIP_ADMIN)


def user_is_agency_lead(*, user) -> bool:
    """Agency leads see reports for their own agency only."""
    return (
        user_has_role(user=user, role=Role.AGENCY_LEAD)
        and user.agency_id is not None
        and user.membership_status == MembershipStatus.APPROVED
    )


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
    return User.objects.filter(
        agency=agency, membership_status=MembershipStatus.PENDING, is_active=True
    ).order_by("date_joined")


def agency_members(*, agency: Agency) -> QuerySet[User]:
    """An agency's approved, active members by name, with team and job role."""
    return (
        User.objects.filter(
            agency=agency, membership_status=MembershipStatus.APPROVED, is_active=True
        )
        .select_related("team", "job_role")
        .order_by("last_name", "first_name", "email")
    )


def agency_leads(*, agency: Agency) -> QuerySet[User]:
    """Active, approved agency leads of the agency (who decide on its new members)."""
    return User.objects.filter(
        agency=agency,
        groups__name=Role.AGENCY_LEAD.value,
        is_active=True,
        membership_status=MembershipStatus.APPROVED,
    ).distinct()


def partnership_admins() -> QuerySet[User]:
    """Active partnership admins (who hear about members when an agency has no lead)."""
    return User.objects.filter(groups__name=Role.PARTNERSHIP_ADMIN.value, is_active=True).distinct()


def user_can_decide_membership(*, user, member: User) -> bool:
    """Whether the user is an agency lead of the member's agency."""
    return user_is_agency_lead(user=user) and member.agency_id == user.agency_id


def user_is_approved_member(*, user) -> bool:
    """Whether a signed-in user may use learner pages (not waiting for or refused approval)."""
    return user.membership_status == MembershipStatus.APPROVED


def team_choices_by_agency() -> list[tuple[str, list[tuple[int, str]]]]:
    """Teams of active agencies grouped by agency name, for an ``<optgroup>`` select."""
    grouped: dict[str, list[tuple[int, str]]] = {}
    for team in Team.objects.filter(agency__is_active=True).select_related("agency"):
        grouped.setdefault(team.agency.name, []).append((team.pk, team.name))
    return list(grouped.items())


def not_left_q(*, prefix: str = "", on=None) -> Q:
    """People who have not left by ``on`` (today): no leaving date, or a later one. Coverage
    denominators and reminders use it, so leavers drop out from their leaving date."""
    from django.utils import timezone

    on = on or timezone.localdate()
    return Q(**{f"{prefix}left_on__isnull": True}) | Q(**{f"{prefix}left_on__gt": on})


def notifications_for_user(*, user, limit: int = 50) -> list[Notification]:
    """The user's newest notifications, unread and read, newest first."""
    return list(Notification.objects.filter(user=user)[:limit])


def notification_unread_key(user_id: int) -> str:
    return f"accounts:notifications-unread:{user_id}"


def notification_unread_count(*, user) -> int:
    """How many of the user's notifications are unread (0 for anonymous visitors).

    Every signed-in page shows it, so it is kept in the cache (a cache read, not a query, per
    page); accounts.services deletes the entry after each commit that changes the count.
    """
    if not user.is_authenticated:
        return 0
    key = notification_unread_key(user.pk)
    count = cache.get(key)
    if count is None:
        count = Notification.objects.filter(user=user, read_at__isnull=True).count()
        cache.set(key, count, 24 * 3600)
    return count


def notification_newest_unread(*, user) -> Notification | None:
    """The user's newest unread notification, for the banner on My learning, or None."""
    return Notification.objects.filter(user=user, read_at__isnull=True).first()


def personal_data_for_user(*, user) -> dict:
    """The user's notifications for "Download your data" (settings.PERSONAL_DATA_EXPORTERS)."""
    return {
        "notifications": [
            {
                "kind": n.kind,
                "text": n.text,
                "link": n.url,
                "created_at": n.created_at.isoformat(),
                "read_at": n.read_at.isoformat() if n.read_at else None,
            }
            for n in Notification.objects.filter(user=user).order_by("created_at", "pk")
        ]
    }
