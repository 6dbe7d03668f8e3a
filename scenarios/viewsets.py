"""The Scenario snippet viewset and its extra admin views: check and map, export, import,
duplicate, and links to preview as a learner.

Each extra view checks the snippet permission it needs; the viewset's URLs sit behind
Wagtail's admin-access check.
"""

from __future__ import annotations

import yaml
from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.safestring import mark_safe
from django.views.generic import FormView, TemplateView
from wagtail.admin.ui.tables import LiveStatusTagColumn, UpdatedAtColumn
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets.button import Button, MenuItem
from wagtail.snippets.views.snippets import EditView, IndexView, SnippetViewSet

from config.safe_yaml import yaml_load
from scenarios import engine
from scenarios.graph import dot_svg, scenario_dot
from scenarios.models import Scenario
from scenarios.selectors import (
    scenario_definition,
    scenario_engine,
    scenario_report,
    scenario_yaml,
    service_link_messages,
)
from scenarios.services import ScenarioImportError, scenario_duplicate, scenario_import


def _url(name: str, *args) -> str:
    return reverse(f"wagtailsnippets_scenarios_scenario:{name}", args=args)


def _extra_buttons(scenario: Scenario, user) -> list[tuple[str, str, str]]:
    """(label, url, icon) for the scenario's extra admin actions the user may use."""
    buttons = [
        ("Check and map", _url("map", scenario.pk), "site"),
        (
            "Preview as learner",
            reverse("scenarios:detail", args=[scenario.slug]) + "?preview=1",
            "view",
        ),
        ("Export YAML", _url("export", scenario.pk), "download"),
    ]
    if user.has_perm("scenarios.add_scenario"):
        buttons.append(("Duplicate as a new draft", _url("duplicate", scenario.pk), "copy"))
    return buttons


class ScenarioIndexView(IndexView):
    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        for priority, (label, url, icon) in enumerate(
            _extra_buttons(instance, self.request.user), 40
        ):
            buttons.append(MenuItem(label, url=url, icon_name=icon, priority=priority))
        return buttons

    @property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        if self.request.user.has_perm("scenarios.add_scenario"):
            buttons.append(Button("Import YAML", url=_url("import"), icon_name="upload"))
        return buttons


class ScenarioEditView(EditView):
    """The edit view, with the extra actions and a warning while the draft has errors."""

    @property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        for priority, (label, url, icon) in enumerate(
            _extra_buttons(self.object, self.request.user), 40
        ):
            buttons.append(Button(label, url=url, icon_name=icon, priority=priority))
        return buttons

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        report = scenario_report(scenario=self.object.get_latest_revision_as_object())
        if report.errors:
            messages.warning(
                request,
                f"This draft has {len(report.errors)} error(s), so it cannot be published yet. "
                "Use “Check and map” to see them node by node.",
            )
        return response


class ScenarioObjectMixin(WagtailAdminTemplateMixin):
    """Looks up the scenario and checks the snippet permission named by ``permission``."""

    permission = "change"
    header_icon = "table"

    def dispatch(self, request, *args, **kwargs):
        self.object = get_object_or_404(Scenario, pk=kwargs["pk"])
        if not request.user.has_perm(f"scenarios.{self.permission}_scenario"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": _url("list"), "label": "Scenarios"},
            {"url": _url("edit", self.object.pk), "label": str(self.object)},
            {"url": "", "label": self.get_page_title()},
        ]


class ScenarioMapView(ScenarioObjectMixin, TemplateView):
    """Validation report node by node, the Graphviz map and a text outline of the draft."""

    template_name = "scenarios/admin/map.html"
    page_title = "Check and map"

    def get_context_data(self, **kwargs):
        draft = self.object.get_latest_revision_as_object()
        report = scenario_report(scenario=draft)
        svg = None
        try:
            graph = scenario_engine(scenario=draft)
        except engine.DefinitionError:
            graph = None
        if graph is not None:
            svg = dot_svg(scenario_dot(graph, report))
        by_node = report.by_node()
        nodes = scenario_definition(scenario=draft)["nodes"]
        warnings = service_link_messages(
            ids=[i for node in nodes for i in node.get("services", [])]
        )
        for node in nodes:
            node["issues"] = by_node.get(node["key"], [])
            node["unreachable"] = node["key"] in report.unreachable
            node["dead_end"] = node["key"] in report.dead_ends
            node["service_warnings"] = [
                warnings[str(i)] for i in node.get("services", []) if str(i) in warnings
            ]
        return super().get_context_data(
            scenario=draft,
            report=report,
            scenario_issues=by_node.get("", []),
            nodes=nodes,
            svg=mark_safe(svg) if svg else None,  # noqa: S308 (Graphviz output, labels escaped)
            edit_url=_url("edit", self.object.pk),
            preview_url=reverse("scenarios:detail", args=[draft.slug]) + "?preview=1",
            **kwargs,
        )


class ScenarioExportView(ScenarioObjectMixin, TemplateView):
    """Download the latest draft as YAML (content/FORMAT.md)."""

    def get(self, request, *args, **kwargs):
        draft = self.object.get_latest_revision_as_object()
        response = HttpResponse(
            scenario_yaml(scenario=draft), content_type="application/yaml; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{draft.slug}.yaml"'
        return response


class ScenarioDuplicateView(ScenarioObjectMixin, TemplateView):
    """Confirm, then copy the scenario as a new draft and open it for editing."""

    permission = "add"
    template_name = "scenarios/admin/duplicate.html"
    page_title = "Duplicate as a new draft"

    def post(self, request, *args, **kwargs):
        copy = scenario_duplicate(scenario=self.object, user=request.user)
        messages.success(request, f"“{copy.title}” was created as a draft copy.")
        return redirect(_url("edit", copy.pk))


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Scenario file (YAML)",
        help_text="In the format of content/FORMAT.md. An existing scenario with the same slug "
        "gets a new draft revision; nothing is published.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 1_000_000:
            raise forms.ValidationError("The file is larger than 1 MB.")
        try:
            return yaml_load(upload.read().decode("utf-8"))
        except (UnicodeDecodeError, yaml.YAMLError) as error:
            raise forms.ValidationError(f"{upload.name} is not valid YAML: {error}") from error


class ScenarioImportView(WagtailAdminTemplateMixin, FormView):
    """Upload a YAML file; it becomes a draft (publish it from the edit view)."""

    form_class = ImportForm
    template_name = "scenarios/admin/import.html"
    page_title = "Import a scenario"
    header_icon = "upload"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("scenarios.add_scenario"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": _url("list"), "label": "Scenarios"},
            {"url": "", "label": self.page_title},
        ]

    def form_valid(self, form):
        data = form.cleaned_data["file"]
        slug = data.get("slug") if isinstance(data, dict) else None
        if (
            slug
            and Scenario.objects.filter(slug=slug).exists()
            and not (self.request.user.has_perm("scenarios.change_scenario"))
        ):
            raise PermissionDenied
        try:
            scenario, outcome = scenario_import(
                data=data,
                media_root=settings.BASE_DIR / "content" / "media",
                user=self.request.user,
                publish=False,
            )
        except ScenarioImportError as error:
            form.add_error("file", f"{form.files['file'].name}: {error}")
            return self.form_invalid(form)
        messages.success(self.request, f"Scenario “{scenario.title}” {outcome} as a draft.")
        return redirect(_url("map", scenario.pk))


class ScenarioViewSet(SnippetViewSet):
    """Scenarios in the admin menu, with drafts, revisions, locking, workflow and publishing."""

    model = Scenario
    icon = "table"
    menu_label = "Scenarios"
    menu_order = 250
    add_to_admin_menu = True
    list_display = ["title", "slug", LiveStatusTagColumn(), UpdatedAtColumn()]
    search_fields = ["title"]
    index_view_class = ScenarioIndexView
    edit_view_class = ScenarioEditView
    # One way to copy: "Duplicate as a new draft" (a free slug, the latest draft's content, a
    # confirmation). Wagtail's Copy opened the add form with the slug already taken.
    copy_view_enabled = False

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("map/<int:pk>/", ScenarioMapView.as_view(), name="map"),
            path("export/<int:pk>/", ScenarioExportView.as_view(), name="export"),
            path("duplicate/<int:pk>/", ScenarioDuplicateView.as_view(), name="duplicate"),
            path("import/", ScenarioImportView.as_view(), name="import"),
        ]
