"""Writes about people and their agency membership, and the personal-data export."""

import logging
from datetime import date, timedelta
from functools import partial

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialApp
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.text import slugify

from accounts.models import (
    Agency,
    AgencyIdentityProvider,
    Erasure,
    JobRole,
    MembershipStatus,
    Notification,
    NotificationKind,
    Team,
    User,
)
from accounts.roles import Role
from accounts.selectors import (
    agency_for_email,
    agency_leads,
    notification_unread_key,
    partnership_admins,
    user_can_decide_membership,
    user_is_partnership_admin,
)

logger = logging.getLogger(__name__)


def _status_for(agency: Agency, *, email: str) -> MembershipStatus:
    """Approved at once only when the agency does not ask to approve and the address is one of
    its own domains: anyone can type an agency's name, only its staff have its email."""
    if agency.requires_approval:
        return MembershipStatus.PENDING
    owner = agency_for_email(email=email)
    return MembershipStatus.APPROVED if owner == agency else MembershipStatus.PENDING


def _enqueue_pending_notice(user: User) -> None:
    from accounts.tasks import membership_pending_notify_task

    transaction.on_commit(partial(membership_pending_notify_task.delay, user.pk), robust=True)


@transaction.atomic
def user_membership_join(
    *, user: User, agency: Agency, team: Team | None, job_role: JobRole
) -> User:
    """Put a new member in an agency; pending (leads emailed on commit) if it needs approval."""
    if team is not None and team.agency_id != agency.pk:
        raise ValidationError({"team": "The team is not in the agency."})
    user.agency, user.team, user.job_role = agency, team, job_role
    user.membership_status = _status_for(agency, email=user.email)
    user.full_clean(exclude=["password"])
    user.save(update_fields=["agency", "team", "job_role", "membership_status"])
    membership_pending_announce(user=user)
    return user


@transaction.atomic
def user_sso_join(*, user: User, agency: Agency) -> User:
    """Put someone created by their agency's sign-in provider in that agency, under its
    approval rule; team and job role are left for them to give in their profile."""
    user.agency = agency
    user.membership_status = _status_for(agency, email=user.email)
    user.save(update_fields=["agency", "membership_status"])
    membership_pending_announce(user=user)
    return user


def membership_pending_announce(*, user: User) -> bool:
    """If the user waits for approval and has a confirmed email, email their agency's leads on
    commit; leads hear of no one whose address is unconfirmed (called again on confirmation)."""
    if user.membership_status != MembershipStatus.PENDING:
        return False
    if not EmailAddress.objects.filter(user=user, verified=True).exists():
        return False
    _enqueue_pending_notice(user)
    return True


@transaction.atomic
def user_profile_update(
    *,
    user: User,
    first_name: str,
    last_name: str,
    agency: Agency,
    team: Team | None,
    job_role: JobRole,
) -> User:
    """Correct a member's details; moving agency re-applies that agency's approval rule.

    Moving agency also drops the Agency lead role: a lead's reach is their agency's learner data,
    so leading a different agency is granted by a partnership admin, never self-selected.
    """
    if team is not None and team.agency_id != agency.pk:
        raise ValidationError({"team": "The team is not in the agency."})
    moved = user.agency_id != agency.pk
    user.first_name, user.last_name = first_name.strip(), last_name.strip()
    user.agency, user.team, user.job_role = agency, team, job_role
    if moved:
        user.membership_status = _status_for(agency, email=user.email)
        user.groups.remove(*Group.objects.filter(name=Role.AGENCY_LEAD.value))
        user.__dict__.pop("_role_names", None)
    user.full_clean(exclude=["password"])
    user.save(
        update_fields=["first_name", "last_name", "agency", "team", "job_role", "membership_status"]
    )
    if moved:
        membership_pending_announce(user=user)
    return user


@transaction.atomic
def membership_decide(*, decided_by: User, member_id: int, approve: bool) -> User:
    """Approve or reject a pending member; raises PermissionDenied for anyone but their agency's
    lead and ValidationError if they are not waiting; emails the member on commit."""
    member = User.objects.select_for_update().filter(pk=member_id).first()
    if member is None or not user_can_decide_membership(user=decided_by, member=member):
        raise PermissionDenied("Only a lead of the member's agency can decide.")
    if member.membership_status != MembershipStatus.PENDING:
        raise ValidationError(f"{member} is not waiting for approval.")
    member.membership_status = MembershipStatus.APPROVED if approve else MembershipStatus.REJECTED
    member.save(update_fields=["membership_status"])
    logger.info("membership %s: user %s by %s", member.membership_status, member.pk, decided_by.pk)
    if approve:
        notification_create(
            user=member,
            kind=NotificationKind.APPROVED,
            text=f"Your membership of {member.agency} was approved: you can now take courses",
            url="/courses/",
            key="approved",
        )
    from accounts.tasks import membership_decision_notify_task

    transaction.on_commit(partial(membership_decision_notify_task.delay, member.pk), robust=True)
    return member


@transaction.atomic
def user_mfa_reset(*, reset_by: User, user_id: int) -> int:
    """Remove a person's authenticator app and recovery codes (a lost phone), so their next
    sign-in asks them to enrol again; raises PermissionDenied for anyone but a partnership admin;
    returns how many authenticators were removed and emails the person on commit."""
    if not user_is_partnership_admin(user=reset_by):
        raise PermissionDenied("Only a partnership admin can reset a second factor.")
    user = User.objects.get(pk=user_id)
    removed, _ = Authenticator.objects.filter(user=user).delete()
    logger.warning("mfa reset: user %s by %s (%s removed)", user.pk, reset_by.pk, removed)
    transaction.on_commit(
        partial(_send, template="mfa_reset", to=[user.email], context={"member": user}),
        robust=True,
    )
    return removed


def email_html(*, subject: str, text: str) -> str:
    """The branded HTML part of an email whose plain-text part is ``text`` (pure; no I/O)."""
    context = {"subject": subject, "text": text, "site_url": settings.SITE_URL}
    return render_to_string(
        "email/layout.html", {**context, "site_name": settings.WAGTAIL_SITE_NAME}
    )


def _send(*, template: str, to: list[str], context: dict) -> int:
    context = {**context, "site_url": settings.SITE_URL}
    subject = render_to_string(f"account/email/{template}_subject.txt", context).strip()
    body = render_to_string(f"account/email/{template}_message.txt", context)
    html = email_html(subject=subject, text=body)
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, to, html_message=html)


def membership_pending_notify(*, user_id: int) -> int:
    """Email the agency's leads (or, if it has none, partnership admins) that someone waits;
    returns the number of recipients; sends nothing if the member no longer waits."""
    user = User.objects.select_related("agency").filter(pk=user_id).first()
    if user is None or user.membership_status != MembershipStatus.PENDING:
        return 0
    recipients = list(agency_leads(agency=user.agency).values_list("email", flat=True))
    if not recipients:
        recipients = list(partnership_admins().values_list("email", flat=True))
    if recipients:
        _send(
            template="membership_pending",
            to=recipients,
            context={"member": user, "agency": user.agency},
        )
    return len(recipients)


def staff_invitations_send(*, user_ids: list[int]) -> int:
    """Email each imported person who has not signed in yet a link to choose a password;
    returns how many were sent. Safe to repeat (someone who signed in is skipped)."""
    from allauth.account.forms import default_token_generator
    from allauth.account.utils import user_pk_to_url_str
    from django.urls import reverse

    sent = 0
    people = User.objects.filter(pk__in=user_ids, last_login__isnull=True, is_active=True)
    for user in people.select_related("agency"):
        path = reverse(
            "account_reset_password_from_key",
            kwargs={
                "uidb36": user_pk_to_url_str(user),
                "key": default_token_generator.make_token(user),
            },
        )
        _send(
            template="staff_invitation",
            to=[user.email],
            context={
                "member": user,
                "agency": user.agency,
                "set_password_url": settings.SITE_URL.rstrip("/") + path,
                "sso": user.agency.identity_providers.exists() if user.agency else False,
            },
        )
        sent += 1
    return sent


def membership_decision_notify(*, user_id: int) -> bool:
    """Email a member the decision on their membership; False if there is nothing to say."""
    user = User.objects.select_related("agency").filter(pk=user_id).first()
    if user is None or user.membership_status == MembershipStatus.PENDING:
        return False
    _send(
        template="membership_decision",
        to=[user.email],
        context={
            "member": user,
            "agency": user.agency,
            "approved": user.membership_status == MembershipStatus.APPROVED,
        },
    )
    return True


def _user_details(user: User) -> dict:
    return {
        "email": user.email,
        "given_name": user.first_name,
        "family_name": user.last_name,
        "pseudonym": str(user.pseudonym),
        "agency": user.agency.name if user.agency else None,
        "team": user.team.name if user.team else None,
        "job_role": user.job_role.name if user.job_role else None,
        "membership_status": user.membership_status,
        "roles": sorted(user.groups.values_list("name", flat=True)),
        "date_joined": user.date_joined.isoformat(),
        "last_login": user.last_login.isoformat() if user.last_login else None,
        "email_addresses": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in user.emailaddress_set.order_by("email")
        ],
    }


def user_data_export(*, user: User) -> dict:
    """Everything the platform holds about the user, as JSON-ready data (UK GDPR Article 15).

    Sections come from the callables in ``settings.PERSONAL_DATA_EXPORTERS``, each taking
    ``user=`` and returning a dict of sections; raises ValueError if two claim one section.
    """
    export = {
        "service": settings.WAGTAIL_SITE_NAME,
        "exported_at": timezone.now().isoformat(),
        "you": _user_details(user),
    }
    for path in settings.PERSONAL_DATA_EXPORTERS:
        for section, data in import_string(path)(user=user).items():
            if section in export:
                raise ValueError(f"{path}: section {section!r} is already in the export")
            export[section] = data
    return export


def person_erase(*, user: User, by: User | None, reason: str) -> Erasure:
    """Erase a person: every app's personal data about them, then their account.

    Each callable in ``settings.PERSONAL_DATA_ERASERS`` takes ``user=`` and returns counts of
    what it removed (tracking deletes their statements and queues voiding notices to each
    destination that had them). Learning records cascade with the account. One transaction:
    a failing eraser leaves the person as they were. Raises PermissionDenied when ``by`` is
    not a partnership admin or erases themselves (``by=None`` is the retention schedule or the
    command line). Returns the erasure record, which holds no personal data.
    """
    if by is not None and (not user_is_partnership_admin(user=by) or by.pk == user.pk):
        raise PermissionDenied("Only a partnership admin can erase someone else.")
    with transaction.atomic():
        counts: dict[str, int] = {}
        for path in settings.PERSONAL_DATA_ERASERS:
            counts.update(import_string(path)(user=user))
        person_id = user.pk
        deleted, by_model = user.delete()
        counts["records_deleted"] = deleted
        record = Erasure.objects.create(
            person_id=person_id, erased_by=by, reason=reason[:200], counts=counts
        )
    logger.info("Person %s erased (%s): %s", person_id, reason, counts)
    return record


def notification_create(
    *, user: User, kind: str, text: str, key: str, url: str = ""
) -> tuple[Notification, bool]:
    """Tell a person something on their notifications page; idempotent by ``key`` (the same
    event notified twice is one notification; the bool says whether it was new). Stores only
    the short text and a link."""
    notification, created = Notification.objects.get_or_create(
        user=user, key=key[:100], defaults={"kind": kind, "text": text[:255], "url": url[:500]}
    )
    if created:
        _notification_count_forget(user.pk)
    return notification, created


def _notification_count_forget(user_id: int) -> None:
    # Now, for the rest of this request, and again after the commit, since another request may
    # have cached the old count in between.
    key = notification_unread_key(user_id)
    cache.delete(key)
    transaction.on_commit(partial(cache.delete, key), robust=True)


def notifications_mark_read(*, user, at=None) -> int:
    """Mark every unread notification of the user read (they have seen the list); returns how
    many; idempotent."""
    marked = Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=at or timezone.now()
    )
    if marked:
        _notification_count_forget(user.pk)
    return marked


def accounts_retention_apply(*, now=None) -> dict:
    """Erase accounts past their retention periods (``settings.RETENTION``, days; None keeps).

    "unconfirmed_accounts": signed up, never confirmed an email address and never signed in.
    "inactive_accounts": no sign-in (or, never signed in, no sign-up) for the period; superusers
    are kept. Each goes through ``person_erase``, so destinations are told too. Idempotent.
    """
    now = now or timezone.now()
    periods = settings.RETENTION
    result = {"unconfirmed_accounts_erased": 0, "inactive_accounts_erased": 0}
    if periods.get("read_notifications") is not None:
        cutoff = now - timedelta(days=periods["read_notifications"])
        deleted, _ = Notification.objects.filter(read_at__lt=cutoff).delete()
        result["read_notifications_deleted"] = deleted
    if periods.get("unconfirmed_accounts") is not None:
        cutoff = now - timedelta(days=periods["unconfirmed_accounts"])
        confirmed = EmailAddress.objects.filter(verified=True).values("user_id")
        for user in User.objects.filter(
            date_joined__lt=cutoff, last_login__isnull=True, is_superuser=False
        ).exclude(pk__in=confirmed):
            person_erase(user=user, by=None, reason="retention: never confirmed")
            result["unconfirmed_accounts_erased"] += 1
    if periods.get("inactive_accounts") is not None:
        cutoff = now - timedelta(days=periods["inactive_accounts"])
        idle = User.objects.filter(is_superuser=False).filter(
            Q(last_login__lt=cutoff) | Q(last_login__isnull=True, date_joined__lt=cutoff)
        )
        for user in idle:
            person_erase(user=user, by=None, reason="retention: inactive")
            result["inactive_accounts_erased"] += 1
    return result


@transaction.atomic
def identity_provider_save(
    *,
    link: AgencyIdentityProvider,
    agency: Agency,
    tenant_id: str,
    name: str,
    issuer: str,
    client_id: str,
    secret: str,
) -> AgencyIdentityProvider:
    """Create or update an agency's OpenID Connect sign-in (its allauth SocialApp with it); an
    empty secret keeps the current one. The sign-in address is fixed at creation."""
    app = link.social_app if link.pk else SocialApp(provider="openid_connect")
    if not app.pk:
        base = slugify(agency.slug)[:60] or "agency"
        provider_id, n = base, 1
        while SocialApp.objects.filter(provider_id=provider_id).exists():
            n += 1
            provider_id = f"{base}-{n}"
        app.provider_id = provider_id
    app.name, app.client_id = name.strip(), client_id.strip()
    if secret:
        app.secret = secret.strip()
    app.settings = {**(app.settings or {}), "server_url": issuer.strip().rstrip("/")}
    app.save()
    link.agency, link.social_app, link.tenant_id = agency, app, tenant_id.strip()
    link.save()
    return link


def _may_manage(by: User, member: User) -> bool:
    return user_is_partnership_admin(user=by) or user_can_decide_membership(user=by, member=member)


@transaction.atomic
def person_mark_left(*, by: User, member: User, left_on: date) -> User:
    """Record that a member leaves (or left) their agency on ``left_on``. From that date they
    cannot sign in (deactivated now if it has come, else by ``leavers_deactivate``) and drop
    out of coverage and reminders; their records stay for the retention period. Raises
    PermissionDenied unless ``by`` leads the member's agency or is a partnership admin."""
    if not _may_manage(by, member) or by.pk == member.pk:
        raise PermissionDenied("Only a lead of the member's agency can mark them as left.")
    member.left_on = left_on
    fields = ["left_on"]
    if left_on <= timezone.localdate():
        member.is_active = False
        fields.append("is_active")
    member.save(update_fields=fields)
    logger.info("user %s leaves on %s (recorded by %s)", member.pk, left_on, by.pk)
    return member


def leavers_import(*, by: User, agency: Agency, csv_text: str) -> list[str]:
    """Mark the people in a CSV (columns email, leaving date) as left, all or nothing; returns
    the errors by row (nothing is changed when there are any)."""
    import csv
    import io

    from accounts.staff_import import csv_date_parse

    reader = csv.DictReader(io.StringIO(csv_text.lstrip("\ufeff")))
    headers = {(h or "").strip().lower(): h for h in reader.fieldnames or []}
    if "email" not in headers or "leaving date" not in headers:
        return ["The file needs an email and a leaving date column (first row)."]
    rows, errors = [], []
    members = {u.email: u for u in User.objects.filter(agency=agency)}
    for line, raw in enumerate(reader, start=2):
        email = (raw.get(headers["email"]) or "").strip().lower()
        member = members.get(email)
        if member is None:
            errors.append(f"Row {line}: {email or 'the email'} is not a member of {agency}.")
            continue
        try:
            rows.append((member, csv_date_parse((raw.get(headers["leaving date"]) or "").strip())))
        except ValueError as bad:
            errors.append(f"Row {line}: {bad}")
    if errors:
        return errors
    with transaction.atomic():
        for member, left_on in rows:
            person_mark_left(by=by, member=member, left_on=left_on)
    return []


def leavers_deactivate(*, today: date | None = None) -> int:
    """Deactivate everyone whose leaving date has come (daily, beat); returns how many.
    Idempotent."""
    today = today or timezone.localdate()
    return User.objects.filter(left_on__lte=today, is_active=True).update(is_active=False)
