"""Monthly email of the assurance report PDF to subscribed agency leads and partnership admins."""

from datetime import datetime

from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.selectors import user_report_agencies
from reports.models import ReportSubscription
from reports.selectors.scope import ReportFilters
from reports.services.exports import report_pdf


def subscription_set(*, user, subscribed: bool) -> bool:
    """Subscribe or unsubscribe the user; idempotent; returns the new state.

    Raises PermissionDenied (via the report scope) for people without report access.
    """
    from reports.selectors.scope import report_agency_ids

    report_agency_ids(viewer=user)
    if subscribed:
        ReportSubscription.objects.get_or_create(user=user)
    else:
        ReportSubscription.objects.filter(user=user).delete()
    return subscribed


def monthly_reports_send(*, at: datetime | None = None) -> int:
    """Email each subscriber the PDF for their scope once per calendar month; returns sent.

    Subscribers who have lost report access are skipped (and keep their row, in case it
    returns). The row is locked while sending so two workers never send it twice.
    """
    at = at or timezone.now()
    sent = 0
    for pk in ReportSubscription.objects.values_list("pk", flat=True):
        with transaction.atomic():
            subscription = (
                ReportSubscription.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("user")
                .filter(pk=pk)
                .first()
            )
            if subscription is None or not subscription.user.is_active:
                continue
            last = subscription.last_sent_at
            if last and (last.year, last.month) == (at.year, at.month):
                continue
            user = subscription.user
            if not user_report_agencies(user=user).exists():
                continue
            email = EmailMessage(
                subject=f"Safeguarding training assurance report, {at:%B %Y}",
                body=render_to_string("reports/email/monthly.txt", {"user": user, "at": at}),
                to=[user.email],
            )
            email.attach(
                f"assurance-report-{at:%Y-%m}.pdf",
                report_pdf(viewer=user, filters=ReportFilters()),
                "application/pdf",
            )
            email.send()
            subscription.last_sent_at = at
            subscription.save(update_fields=["last_sent_at"])
            sent += 1
    return sent
