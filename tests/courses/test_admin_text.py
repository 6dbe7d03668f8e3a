"""Course and module edit forms store text areas with "\\n" line endings (browsers post CRLF)."""

import pytest
from django.http import QueryDict

from accounts.roles import Role
from courses.models import CoursePage, ModulePage
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("model", "name"), [(CoursePage, "description"), (ModulePage, "summary")])
def test_course_edit_forms_store_text_areas_with_newlines_only(model, name):
    form_class = model.get_edit_handler().get_form_class()
    data = QueryDict(mutable=True)
    data[name] = "First line.  \r\nSecond line.\r\n"
    form = form_class(data, instance=model(), for_user=UserFactory(roles=[Role.TRAINER]))
    assert form.data[name] == "First line.\nSecond line.\n"
