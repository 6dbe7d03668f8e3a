"""The admin's course import page: upload a course's Markdown files, see what the import would
do (or exactly the errors import_course would print), then confirm.

Works without JavaScript: the checked files wait in the session (at most
COURSE_UPLOAD_MAX_BYTES) under a one-time token that the confirmation form posts back.
"""

from __future__ import annotations

import base64
import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import path, reverse
from django.views.generic import FormView
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet

from courses.forms import CourseImportForm
from courses.models import CourseIndexPage
from courses.services.course_files import course_import_files
from courses.services.course_format import CourseFormatError

SESSION_KEY = "courses_import_files"


def course_import_rights(user) -> tuple[bool, bool]:
    """(may check files, may import them): adding courses to the catalogue lets a trainer
    check; importing publishes, so it needs the publish right there (partnership admins)."""
    index = CourseIndexPage.objects.first()
    if index is None:
        return False, False
    rights = index.permissions_for_user(user)
    return rights.can_add_subpage(), rights.can_publish_subpage()


class CourseImportView(WagtailAdminTemplateMixin, FormView):
    form_class = CourseImportForm
    template_name = "courses/admin/import.html"
    page_title = "Import a course"
    header_icon = "upload"

    def dispatch(self, request, *args, **kwargs):
        may_check, self.may_import = course_import_rights(request.user)
        if not may_check:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        return super().get_context_data(may_import=self.may_import, **kwargs)

    def post(self, request, *args, **kwargs):
        if "token" in request.POST:
            return self.confirm(request)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        files = form.cleaned_data["files"]
        try:
            report = course_import_files(files=files, dry_run=True)
        except CourseFormatError as error:
            form.add_error("files", str(error))
            return self.form_invalid(form)
        token = uuid.uuid4().hex
        self.request.session[SESSION_KEY] = {
            "token": token,
            "files": {name: base64.b64encode(data).decode() for name, data in files.items()},
        }
        return self.render_to_response(
            self.get_context_data(form=CourseImportForm(), report=report, token=token)
        )

    def confirm(self, request):
        if not self.may_import:
            raise PermissionDenied
        stash = request.session.pop(SESSION_KEY, None)
        if not stash or stash["token"] != request.POST["token"]:
            messages.error(request, "Those files are no longer waiting: choose them again.")
            return redirect(request.path)
        files = {name: base64.b64decode(data) for name, data in stash["files"].items()}
        form = CourseImportForm()
        try:
            report = course_import_files(files=files)
        except CourseFormatError as error:  # something changed since the check
            form.add_error(None, str(error))
            return self.render_to_response(self.get_context_data(form=form))
        messages.success(
            request,
            f"Course “{report.course.title}” imported and published: created "
            f"{len(report.created)}, updated {len(report.updated)}, unchanged "
            f"{len(report.unchanged)}, unpublished {len(report.unpublished)}.",
        )
        return redirect(reverse("wagtailadmin_explore", args=[report.course.pk]))


class CourseImportMenuItem(MenuItem):
    def is_shown(self, request):
        return course_import_rights(request.user)[0]


class CourseImportViewSet(ViewSet):
    """'Import a course' in the admin menu, for people who may add courses."""

    name = "course_import"
    icon = "upload"
    menu_label = "Import a course"
    menu_order = 310
    add_to_admin_menu = True
    menu_item_class = CourseImportMenuItem

    def get_urlpatterns(self):
        return [path("", CourseImportView.as_view(), name="index")]
