"""The Learning Record Store under /xapi/ (xAPI 1.0.3 Communication 2)."""

from django.urls import re_path

from tracking.lrs.document_views import (
    ActivitiesView,
    ActivityProfileView,
    AgentProfileView,
    AgentsView,
    StateView,
)
from tracking.lrs.views import AboutView, StatementsView

app_name = "tracking"

urlpatterns = [
    re_path(r"^statements/?$", StatementsView.as_view(), name="statements"),
    re_path(r"^about/?$", AboutView.as_view(), name="about"),
    re_path(r"^activities/state/?$", StateView.as_view(), name="state"),
    re_path(r"^activities/profile/?$", ActivityProfileView.as_view(), name="activity-profile"),
    re_path(r"^activities/?$", ActivitiesView.as_view(), name="activities"),
    re_path(r"^agents/profile/?$", AgentProfileView.as_view(), name="agent-profile"),
    re_path(r"^agents/?$", AgentsView.as_view(), name="agents"),
]
