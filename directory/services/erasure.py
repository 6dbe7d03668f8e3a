"""Erasure and retention for the directory: who reported a problem with an entry."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from directory.models import ProblemReport, ProblemReportStatus


def person_problem_reports_erase(*, user) -> dict:
    """Remove the person's name and address from their problem reports; keep what was wrong.

    The report's text is about a directory entry, not the person, and editors still need it.
    Idempotent.
    """
    reports = ProblemReport.objects.filter(reporter=user) | ProblemReport.objects.filter(
        reporter_email__iexact=user.email
    )
    count = reports.update(reporter=None, reporter_email="")
    return {"problem_reports_anonymised": count}


def directory_retention_apply(*, now=None) -> dict:
    """Drop reporters' email addresses from problem reports resolved longer ago than the period.

    ``settings.RETENTION["problem_report_reporters"]`` days (None keeps them). Idempotent.
    """
    days = settings.RETENTION.get("problem_report_reporters")
    if days is None:
        return {"problem_reports_anonymised": 0}
    cutoff = (now or timezone.now()) - timedelta(days=days)
    count = (
        ProblemReport.objects.filter(status=ProblemReportStatus.RESOLVED, resolved_at__lt=cutoff)
        .exclude(reporter_email="", reporter=None)
        .update(reporter_email="", reporter=None)
    )
    return {"problem_reports_anonymised": count}
