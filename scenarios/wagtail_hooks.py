"""Wagtail hooks: registration only."""

from wagtail.snippets.models import register_snippet

from scenarios.viewsets import ScenarioViewSet

register_snippet(ScenarioViewSet)
