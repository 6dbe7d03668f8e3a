"""Editorial writes: problem reports from the public pages and the weekly assurer reminders."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone

from directory.models import ProblemReport, ProblemReportStatus, Service
from directory.selectors import services_due_for_review


def problem_report_create(
    *, service: Service, description: str, reporter_email: str = "", reporter=None
) -> ProblemReport:
    """Record a "report a problem with this entry" task for editors (not idempotent)."""
    description = description.strip()
    if not description:
        raise ValueError("Describe what is wrong with this entry")
    return ProblemReport.objects.create(
        service=service,
        description=description[:5000],
        reporter_email=reporter_email.strip(),
        reporter=reporter if getattr(reporter, "is_authenticated", False) else None,
    )


def problem_report_resolve(*, report: ProblemReport, note: str = "") -> ProblemReport:
    """Mark a problem report resolved and stamp when; idempotent (keeps the first stamp)."""
    if report.status != ProblemReportStatus.RESOLVED or report.resolved_at is None:
        report.status = ProblemReportStatus.RESOLVED
        report.resolved_at = report.resolved_at or timezone.now()
        report.resolution_note = note or report.resolution_note
        report.save(update_fields=["status", "resolved_at", "resolution_note"])
    return report


def problem_report_reopen(*, report: ProblemReport) -> ProblemReport:
    """Open a report again: it is no longer resolved, so it keeps no resolved time."""
    if report.status != ProblemReportStatus.OPEN or report.resolved_at is not None:
        report.status = ProblemReportStatus.OPEN
        report.resolved_at = None
        report.save(update_fields=["status", "resolved_at"])
    return report


def review_reminders_send() -> int:
    """Email each assurer the entries they must review; returns how many emails were sent.

    Safe to re-run: it only reads and emails, so a retried run sends the reminder again.
    """
    sent = 0
    for email, services in services_due_for_review().items():
        context = {"services": services, "site_url": settings.SITE_URL.rstrip("/")}
        body = render_to_string("directory/email/review_reminder.txt", context)
        send_mail(
            subject=f"Directory entries to review: {len(services)}",
            message=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[email],
        )
        sent += 1
    return sent
