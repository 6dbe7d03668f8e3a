"""Scenario models: the Scenario snippet, a learner's Attempt and a ChoiceRecord per choice.

A Scenario is a Wagtail snippet (drafts, revisions, locking, workflow) whose nodes are one
StreamField. An Attempt plays one *revision* of it, so editing a scenario never breaks an
attempt in progress. Deleting a scenario deletes its attempts (as Moodle does for activities);
the learning events already recorded through courses.services stay in the learning record.
"""

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import (
    DraftStateMixin,
    LockableMixin,
    PreviewableMixin,
    RevisionMixin,
    WorkflowMixin,
)
from wagtail.search import index

from scenarios.blocks import ScenarioNodeBlock
from scenarios.forms import ScenarioAdminForm


class Scenario(
    WorkflowMixin,
    DraftStateMixin,
    LockableMixin,
    RevisionMixin,
    PreviewableMixin,
    index.Indexed,
    models.Model,
):
    """A branching scenario; publishing is refused while engine.validate reports errors."""

    title = models.CharField(max_length=255)
    slug = models.SlugField(max_length=100, unique=True)
    introduction = models.TextField(help_text="Markdown shown before starting.")
    content_note = models.TextField(
        blank=True, help_text="The difficult themes it contains, shown before starting."
    )
    estimated_minutes = models.PositiveSmallIntegerField(default=10)
    allow_back = models.BooleanField(
        default=False,
        verbose_name="Allow back navigation",
        help_text="Let learners go back and change a choice.",
    )
    learning_points = models.JSONField(default=list, blank=True)
    recommendations = models.JSONField(default=list, blank=True)
    start = models.CharField(
        max_length=60, verbose_name="Start node", help_text="The key of the first node."
    )
    nodes = StreamField(ScenarioNodeBlock(), blank=True)

    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="scenario")
    workflow_states = GenericRelation(
        "wagtailcore.WorkflowState",
        content_type_field="base_content_type",
        object_id_field="object_id",
        related_query_name="scenario",
        for_concrete_model=False,
    )

    base_form_class = ScenarioAdminForm
    panels = [
        MultiFieldPanel(
            [
                FieldPanel("title"),
                FieldPanel("slug"),
                FieldPanel("introduction"),
                FieldPanel("content_note"),
                FieldRowPanel([FieldPanel("estimated_minutes"), FieldPanel("allow_back")]),
                FieldPanel("learning_points"),
                FieldPanel("recommendations"),
            ],
            heading="About this scenario",
        ),
        FieldPanel("start"),
        FieldPanel("nodes"),
    ]
    search_fields = [index.SearchField("title"), index.AutocompleteField("title")]

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    @property
    def revisions(self):
        return self._revisions

    def publish(self, revision, *args, **kwargs):
        """Refuse to publish a revision with validation errors, whatever the route (workflow
        approval, scheduled publishing, reverting); the edit form reports them first."""
        from scenarios.forms import scenario_publish_errors

        draft = revision.as_object()
        errors = scenario_publish_errors(start=draft.start, nodes=draft.nodes)
        if errors:
            raise ValidationError(errors)
        return super().publish(revision, *args, **kwargs)

    def get_preview_template(self, request, mode_name):
        return "scenarios/preview.html"


class AttemptStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", "In progress"
    SUSPENDED = "suspended", "Taking a break"
    COMPLETED = "completed", "Completed"


class Attempt(models.Model):
    """One play of one scenario revision by one learner; ``state`` is the engine's state."""

    registration = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="scenario_attempts"
    )
    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="attempts")
    revision = models.ForeignKey(
        "wagtailcore.Revision", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The course module the scenario was launched from, if any (``?module=<page id>``).
    module = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_preview = models.BooleanField(default=False)
    status = models.CharField(
        max_length=20, choices=AttemptStatus.choices, default=AttemptStatus.IN_PROGRESS
    )
    started_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    score = models.IntegerField(default=0)
    path = models.JSONField(default=list, blank=True)
    state = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["learner", "scenario", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="completed") | models.Q(finished_at__isnull=False),
                name="scenarios_attempt_completed_has_finish",
            )
        ]

    def __str__(self) -> str:
        return f"{self.learner_id} {self.scenario_id} {self.registration}"

    @property
    def is_finished(self) -> bool:
        return self.status == AttemptStatus.COMPLETED


class ChoiceRecord(models.Model):
    """A choice made in an attempt; ``withdrawn`` when the learner went back past it."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="choices")
    sequence = models.PositiveIntegerField()
    node_key = models.CharField(max_length=60)
    choice_key = models.CharField(max_length=60)
    choice_label = models.TextField()
    rating = models.CharField(max_length=20)
    score_change = models.IntegerField(default=0)
    score_after = models.IntegerField(default=0)
    chosen_at = models.DateTimeField(auto_now_add=True)
    withdrawn = models.BooleanField(default=False)

    class Meta:
        ordering = ["attempt", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["attempt", "sequence"], name="scenarios_choice_unique_sequence"
            )
        ]

    def __str__(self) -> str:
        return f"{self.attempt_id} {self.node_key}.{self.choice_key}"
