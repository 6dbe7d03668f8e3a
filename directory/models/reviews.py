"""Review tasks: "report a problem with this entry" reports that editors work through."""

from django.conf import settings
from django.db import models
from wagtail.admin.panels import FieldPanel

from directory.models.services import Service


class ProblemReportStatus(models.TextChoices):
    OPEN = "open", "Open"
    RESOLVED = "resolved", "Resolved"


class ProblemReport(models.Model):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="problem_reports")
    description = models.TextField("what is wrong")
    reporter_email = models.EmailField(blank=True)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        max_length=10, choices=ProblemReportStatus.choices, default=ProblemReportStatus.OPEN
    )
    resolution_note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    panels = [
        FieldPanel("service", read_only=True),
        FieldPanel("description", read_only=True),
        FieldPanel("reporter_email", read_only=True),
        FieldPanel("status"),
        FieldPanel("resolution_note"),
    ]

    class Meta:
        ordering = ["status", "-created_at"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"Problem with {self.service.name}"
