"""Wagtail registration: the Directory menu, search re-indexing and link warnings for authors."""

from django.contrib import messages
from django.utils.html import format_html, format_html_join
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from directory.models import ProblemReport, ProblemReportStatus, Service
from directory.selectors import problem_reports_open, service_ids_in, service_link_warnings
from directory.services import problem_report_reopen, problem_report_resolve
from directory.viewsets import DirectoryViewSetGroup

register_snippet(DirectoryViewSetGroup)


@hooks.register("after_create_snippet")
@hooks.register("after_edit_snippet")
def after_directory_edit(request, instance):
    # Wagtail's search index reads categories and languages, saved after the service row
    # itself (the stored PostgreSQL document follows each of those saves: directory/signals.py);
    # a report marked resolved in the admin gets its resolved time stamped, and one opened
    # again loses it.
    if isinstance(instance, Service):
        index.insert_or_update_object(instance)
    elif isinstance(instance, ProblemReport) and instance.status == ProblemReportStatus.RESOLVED:
        problem_report_resolve(report=instance)
    elif isinstance(instance, ProblemReport):
        problem_report_reopen(report=instance)


def _warn_about_links(request, content) -> None:
    if request.method != "GET":
        return
    warnings = [
        warning
        for warning in service_link_warnings(ids=service_ids_in(value=content))
        # Block ids are UUIDs too, so an id that is not a service is not a broken link.
        if warning.reason != "missing"
    ]
    for warning in warnings:
        messages.warning(request, warning.message + " Check the link before publishing.")


@hooks.register("before_edit_page")
def warn_about_page_service_links(request, page):
    revision = page.get_latest_revision()
    _warn_about_links(request, revision.content if revision else {})


@hooks.register("before_edit_snippet")
def warn_about_snippet_service_links(request, instance):
    if instance._meta.app_label == "directory":
        return
    from django.core import serializers

    _warn_about_links(request, serializers.serialize("python", [instance]))


class ProblemReportsPanel(Component):
    order = 150

    def __init__(self, request):
        self.request = request

    def render_html(self, parent_context=None):
        reports = list(problem_reports_open()[:5])
        if not reports:
            return ""
        items = format_html_join(
            "",
            '<li><a href="/admin/snippets/directory/problemreport/edit/{}/">{}</a>: {}</li>',
            ((r.pk, r.service.name, r.description[:80]) for r in reports),
        )
        return format_html(
            '<section class="panel summary"><h2>Directory problem reports</h2>'
            "<ul>{}</ul></section>",
            items,
        )


@hooks.register("construct_homepage_panels")
def add_problem_reports_panel(request, panels):
    if request.user.has_perm("directory.change_problemreport"):
        panels.append(ProblemReportsPanel(request))
