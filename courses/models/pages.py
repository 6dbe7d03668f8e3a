"""The course page tree: CourseIndexPage (the catalogue) > CoursePage > ModulePage."""

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.http import Http404
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index
from wagtail.url_routing import RouteResult

from accounts.models import Sector
from courses.blocks import ModuleBodyBlock, markdown_html
from courses.models.fields import ChoiceListField
from pages.forms import NormalisedTextPageForm
from pages.models import ViewRestrictedPage
from pages.review import REVIEW_LABELS, REVIEW_REFERENCES

LEARNING_POINTS = [(r, r) for r in REVIEW_REFERENCES if r.startswith("LP")]
RECOMMENDATIONS = [(r, r) for r in REVIEW_REFERENCES if r.startswith("R")]


class Topic(models.TextChoices):
    MISSING_CHILDREN = "missing-children", "Children missing from home and care"
    PROFESSIONAL_CURIOSITY = "professional-curiosity", "Professional curiosity"
    CULTURAL_COMPETENCE = "cultural-competence", "Cultural competence"
    TRAUMA_INFORMED_PRACTICE = "trauma-informed-practice", "Trauma-informed practice"


class Level(models.TextChoices):
    FOUNDATION = "foundation", "Foundation"
    INTERMEDIATE = "intermediate", "Intermediate"
    ADVANCED = "advanced", "Advanced"


def lines(text: str) -> list[str]:
    """The non-blank lines of a one-per-line text field."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


# What routing and a module page read of its course: the tree, the link, the title.
COURSE_FIELDS_ON_MODULE_PAGES = ("content_type", "path", "depth", "slug", "url_path", "title")


class CourseIndexPage(ViewRestrictedPage):
    """The course catalogue at /courses/, filterable by topic, audience sector and level."""

    introduction = RichTextField(features=["bold", "italic", "link"], blank=True)

    content_panels = Page.content_panels + [FieldPanel("introduction")]

    parent_page_types = ["pages.HomePage"]
    subpage_types = ["courses.CoursePage"]
    max_count = 1

    def route(self, request, path_components):
        """Wagtail's routing, reading each course (its only child type) in one query, not two."""
        if not path_components:
            return super().route(request, path_components)
        course = CoursePage.objects.child_of(self).filter(slug=path_components[0])
        if len(path_components) > 1:
            # Routed through to a module, which shows only the course's title and link: a few
            # columns, not fifty (any other field still loads on first use).
            course = course.only(*COURSE_FIELDS_ON_MODULE_PAGES)
        course = course.first()
        if course is None:
            raise Http404
        return course.route(request, path_components[1:])

    def get_context(self, request, *args, **kwargs):
        from courses.forms import CatalogueFilterForm
        from courses.selectors.structure import course_catalogue

        context = super().get_context(request, *args, **kwargs)
        form = CatalogueFilterForm(request.GET or None)
        filters = form.cleaned_data if form.is_valid() else {}
        context["filter_form"] = form
        context["courses"] = course_catalogue(index=self, **filters)
        return context


class CoursePage(ViewRestrictedPage):
    """A course: what it covers, who it is for, and the rules for completing it."""

    base_form_class = NormalisedTextPageForm  # text areas stored with "\n" line endings

    summary = models.CharField(max_length=300, help_text="One or two sentences for the catalogue.")
    description = models.TextField(blank=True, help_text="Markdown.")
    topic = models.CharField(max_length=40, choices=Topic.choices)
    level = models.CharField(max_length=20, choices=Level.choices, default=Level.FOUNDATION)
    audience_sectors = ChoiceListField(options=Sector.choices)
    job_roles = ParentalManyToManyField(
        "accounts.JobRole", blank=True, related_name="courses", help_text="Empty means everyone."
    )
    learning_outcomes = models.TextField(blank=True, help_text="One per line.")
    learning_points = ChoiceListField(options=LEARNING_POINTS, labels=REVIEW_LABELS)
    recommendations = ChoiceListField(options=RECOMMENDATIONS, labels=REVIEW_LABELS)
    prerequisites = ParentalManyToManyField("courses.CoursePage", blank=True, related_name="+")
    estimated_minutes = models.PositiveIntegerField(default=30)
    cpd_minutes = models.PositiveIntegerField(default=30)
    refresher_months = models.PositiveIntegerField(
        default=24, help_text="A completion expires after this many months; 0 means never."
    )
    pass_mark = models.PositiveSmallIntegerField(
        default=80,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text="Percent of knowledge checks answered correctly needed to pass.",
    )
    require_scenarios = models.BooleanField(
        default=True, help_text="Embedded scenarios must be completed."
    )

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("description"),
        FieldPanel("learning_outcomes"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("topic"), FieldPanel("level")]),
                FieldPanel("audience_sectors"),
                FieldPanel("job_roles"),
                FieldPanel("prerequisites"),
            ],
            heading="Audience",
        ),
        MultiFieldPanel(
            [FieldPanel("learning_points"), FieldPanel("recommendations")],
            heading="Practice review",
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("estimated_minutes"), FieldPanel("cpd_minutes")]),
                FieldRowPanel([FieldPanel("pass_mark"), FieldPanel("refresher_months")]),
                FieldPanel("require_scenarios"),
            ],
            heading="Completion",
        ),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("description"),
        index.FilterField("topic"),
        index.FilterField("level"),
    ]

    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types = ["courses.ModulePage"]

    def route(self, request, path_components):
        """Wagtail's routing, reading the module in one query and handing this course to its
        ``serve()`` (a route's keyword arguments), so the module page does not read it again."""
        if len(path_components) != 1:
            return super().route(request, path_components)
        module = ModulePage.objects.child_of(self).filter(slug=path_components[0]).first()
        if module is None or not module.live:
            raise Http404
        return RouteResult(module, kwargs={"course": self})

    @property
    def learning_outcome_list(self) -> list[str]:
        return lines(self.learning_outcomes)

    @property
    def description_html(self):
        return markdown_html(self.description)

    def get_context(self, request, *args, **kwargs):
        from courses.selectors.learner import course_overview

        context = super().get_context(request, *args, **kwargs)
        context.update(course_overview(course=self, user=request.user))
        return context


class ModulePage(ViewRestrictedPage):
    """A module: ordered sections, shown one at a time so that progress is kept per section."""

    base_form_class = NormalisedTextPageForm  # text areas stored with "\n" line endings

    summary = models.CharField(max_length=300, blank=True)
    estimated_minutes = models.PositiveIntegerField(default=15)
    content_note = models.CharField(
        max_length=300, blank=True, help_text="Warn learners about distressing content."
    )
    learning_outcomes = models.TextField(blank=True, help_text="One per line.")
    learning_points = ChoiceListField(options=LEARNING_POINTS, labels=REVIEW_LABELS)
    recommendations = ChoiceListField(options=RECOMMENDATIONS, labels=REVIEW_LABELS)
    body = StreamField(ModuleBodyBlock())
    references = models.TextField(
        blank=True, help_text="Sources the module rests on, one per line (Markdown links)."
    )
    last_reviewed = models.DateField(
        null=True, blank=True, help_text="When the content was last checked against its sources."
    )

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldRowPanel([FieldPanel("estimated_minutes"), FieldPanel("content_note")]),
        FieldPanel("learning_outcomes"),
        MultiFieldPanel(
            [FieldPanel("learning_points"), FieldPanel("recommendations")],
            heading="Practice review",
        ),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("references"), FieldPanel("last_reviewed")], heading="Sources and review"
        ),
    ]
    search_fields = Page.search_fields + [index.SearchField("summary")]

    parent_page_types = ["courses.CoursePage"]
    subpage_types: list[str] = []

    @property
    def learning_outcome_list(self) -> list[str]:
        return lines(self.learning_outcomes)

    @property
    def reference_list(self) -> list[str]:
        return lines(self.references)

    def serve(self, request, *args, course=None, **kwargs):
        # Module content is for signed-in learners; previews in the admin are served elsewhere.
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        course = course or self.get_parent().specific  # routing passes it; previews do not
        visit = None
        if not getattr(request, "is_preview", False):
            from courses.services.learning import section_visit

            visit = section_visit(
                user=request.user, module=self, course=course, position=request.GET.get("section")
            )
        return super().serve(request, *args, course=course, visit=visit, **kwargs)

    def get_context(self, request, *args, course=None, visit=None, **kwargs):
        from courses.selectors.learner import module_view

        context = super().get_context(request, *args, **kwargs)
        context.update(
            module_view(
                module=self,
                course=course,
                user=request.user,
                position=request.GET.get("section"),
                visit=visit,
            )
        )
        return context
