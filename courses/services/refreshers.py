"""Refresher reminders and due-soon/overdue notifications to learners, and the weekly overdue
digest to agency leads."""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.models import Agency, MembershipStatus, NotificationKind, User
from accounts.roles import Role
from accounts.services import notification_create
from courses.models import Completion, RefresherNotice, RefresherNoticeKind, RequiredLearning
from courses.selectors.requirements import (
    REFRESHER_WARNING_DAYS,
    agency_overdue_staff,
    requirements_for_user,
)


def _latest_per_course(completions):
    latest = {}
    for completion in completions.order_by("completed_at"):
        latest[(completion.user_id, completion.course_id)] = completion
    return latest.values()


def refresher_reminders_send(*, at: datetime | None = None) -> int:
    """Email learners 30 days before and on expiry of their latest completion; idempotent.

    A RefresherNotice row per (completion, kind) means a rerun the same day sends nothing twice.
    Returns the number of emails sent.
    """
    at = at or timezone.now()
    window = Completion.objects.filter(
        revoked_at__isnull=True,
        expires_at__isnull=False,
        expires_at__lte=at + timedelta(days=REFRESHER_WARNING_DAYS),
    ).select_related("user", "course")
    # Only a learner's latest completion of a course counts; a newer one supersedes the rest.
    candidates = Completion.objects.filter(
        user_id__in=window.values("user_id"), course_id__in=window.values("course_id")
    ).select_related("user", "course")
    sent = 0
    for completion in _latest_per_course(candidates):
        if completion.revoked_at or not completion.expires_at:
            continue
        if completion.expires_at <= at:
            kind = RefresherNoticeKind.EXPIRED
        elif completion.expires_at <= at + timedelta(days=REFRESHER_WARNING_DAYS):
            kind = RefresherNoticeKind.DUE_SOON
        else:
            continue
        try:
            with transaction.atomic():
                RefresherNotice.objects.create(completion=completion, kind=kind, sent_at=at)
                send_mail(
                    subject=f"Refresher {'due' if kind == 'expired' else 'due soon'}: "
                    f"{completion.course.title}",
                    message=render_to_string(
                        "courses/email/refresher.txt",
                        {
                            "completion": completion,
                            "expired": kind == RefresherNoticeKind.EXPIRED,
                            "site_url": settings.SITE_URL.rstrip("/"),
                        },
                    ),
                    from_email=None,
                    recipient_list=[completion.user.email],
                )
        except IntegrityError:  # already notified (a concurrent or earlier run)
            continue
        sent += 1
    return sent


def agency_digest_send(*, at: datetime | None = None) -> int:
    """Email each agency lead the staff in their agency who are overdue; returns emails sent."""
    at = at or timezone.now()
    sent = 0
    for agency in Agency.objects.filter(is_active=True):
        leads = list(
            agency.members.filter(is_active=True, groups__name=Role.AGENCY_LEAD.value).distinct()
        )
        if not leads:
            continue
        rows = agency_overdue_staff(agency=agency, at=at)
        if not rows:
            continue
        message = render_to_string(
            "courses/email/agency_digest.txt",
            {"agency": agency, "rows": rows, "site_url": settings.SITE_URL.rstrip("/")},
        )
        for lead in leads:
            send_mail(
                subject=f"Overdue safeguarding training: {agency.name}",
                message=message,
                from_email=None,
                recipient_list=[lead.email],
            )
            sent += 1
    return sent


def requirement_notifications_create(*, at: datetime | None = None) -> int:
    """Notify learners of required learning due within 30 days, and again once it is overdue;
    idempotent (one notification per course, due date and kind). Returns how many were new."""
    at = at or timezone.now()
    soon = at + timedelta(days=REFRESHER_WARNING_DAYS)
    rules = list(RequiredLearning.objects.select_related("course").prefetch_related("job_roles"))
    created = 0
    learners = User.objects.filter(
        is_active=True, membership_status=MembershipStatus.APPROVED, agency__isnull=False
    ).select_related("agency")
    for learner in learners:
        for requirement in requirements_for_user(user=learner, at=at, rules=rules):
            if requirement.status == "overdue":
                kind, text = NotificationKind.OVERDUE, "is overdue: it was due by"
            elif requirement.status == "due" and requirement.due <= soon:
                kind, text = NotificationKind.DUE_SOON, "is due by"
            else:
                continue
            due = timezone.localtime(requirement.due)
            _notification, new = notification_create(
                user=learner,
                kind=kind,
                text=f"{requirement.course.title} {text} {due:%-d %B %Y}",
                url=requirement.course.url or "",
                key=f"{kind}:{requirement.course.pk}:{due:%Y-%m-%d}",
            )
            created += new
    return created
