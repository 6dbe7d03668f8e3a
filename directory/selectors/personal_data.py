"""The directory's part of a person's "Download your data": problems they reported."""

from typing import Any

from directory.models import ProblemReport


def personal_data_for_user(*, user) -> dict[str, Any]:
    """Every "report a problem" the person sent, with what was done about it."""
    reports = ProblemReport.objects.filter(reporter=user).select_related("service")
    return {
        "directory_problem_reports": [
            {
                "service": report.service.name,
                "what_is_wrong": report.description,
                "reported_at": report.created_at.isoformat(),
                "status": report.status,
                "resolution_note": report.resolution_note,
            }
            for report in reports.order_by("created_at")
        ]
    }
