"""Trainer admin: the "request changes" email says so, avatars never call Gravatar, and the
review's learning points and recommendations are labelled."""

from types import SimpleNamespace

import pytest
from django.template.loader import render_to_string
from wagtail.admin.templatetags.wagtailadmin_tags import avatar_url

from courses.models import ModulePage
from tests.accounts.factories import UserFactory
from tests.courses.factories import CoursePageFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kind", ["txt", "html"])
def test_the_request_changes_email_asks_for_changes_rather_than_saying_rejected(kind):
    page = CoursePageFactory(title="Missing from care")
    task = SimpleNamespace(name="Safeguarding lead review")
    context = {"page": page, "task": task, "user": UserFactory()}
    prefix = "wagtailadmin/notifications/task_state_rejected"

    body = render_to_string(f"{prefix}.{kind}", context)
    subject = render_to_string(f"{prefix}_subject.txt", context)

    assert "rejected" not in (body + subject).lower()
    assert "asked for changes" in body and "Missing from care" in body
    assert f"/admin/pages/{page.pk}/edit/" in body
    assert subject.strip().startswith("Changes requested")


def test_admin_avatars_do_not_come_from_gravatar():
    assert "gravatar" not in avatar_url(UserFactory(), size=50)


def test_the_module_forms_learning_point_and_recommendation_tickboxes_say_what_they_are():
    form_class = ModulePage.get_edit_handler().get_form_class()
    choices = dict(form_class.base_fields["learning_points"].choices)
    assert choices["LP3"] == "LP3: Cultural competence across the workforce"
    recommendations = dict(form_class.base_fields["recommendations"].choices)
    assert recommendations["R11"].startswith("R11: Recommendation 11")
