"""The admin's course import page: the same files and errors as import_course, a dry run that
changes nothing, then an import that only publishers may confirm."""

import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from accounts.roles import Role
from courses.models import CoursePage, ModulePage
from tests.accounts.factories import UserFactory
from tests.courses.test_import_export import COURSE, MODULE, write_course

pytestmark = pytest.mark.django_db

URL = "/admin/course_import/"


def uploads(module=MODULE, course=COURSE):
    return [
        SimpleUploadedFile("course.md", course.encode()),
        SimpleUploadedFile("01-seventy-two-hours.md", module.encode()),
    ]


@pytest.fixture
def trainer(client):
    user = UserFactory(roles=[Role.TRAINER])
    client.force_login(user)
    return user


@pytest.fixture
def admin(client):
    user = UserFactory(roles=[Role.PARTNERSHIP_ADMIN])
    client.force_login(user)
    return user


def test_the_page_is_in_the_admin_menu_for_trainers_and_closed_to_learners(client, trainer):
    assert reverse("course_import:index") == URL
    page = client.get(URL).content.decode()
    assert "Import a course" in page and 'enctype="multipart/form-data"' in page
    assert URL in client.get("/admin/").content.decode()
    client.force_login(UserFactory())
    assert client.get(URL).status_code in (302, 403)


def test_a_broken_file_shows_the_commands_error_and_changes_nothing(client, trainer, tmp_path):
    broken = MODULE.replace("reference: LP1", "reference: LP9")
    folder = write_course(tmp_path / "rhi-course", module=broken)
    with pytest.raises(CommandError) as error:
        call_command("import_course", str(folder))
    expected = str(error.value).removeprefix(f"{folder}/")
    assert expected.startswith("01-seventy-two-hours.md, line 16: ")
    page = html.unescape(client.post(URL, {"files": uploads(module=broken)}).content.decode())
    assert expected in page
    assert "nothing was changed" in page
    assert not CoursePage.objects.exists()


def test_a_missing_course_file_is_reported_as_the_command_does(client, trainer):
    page = client.post(URL, {"files": uploads()[1:]}).content.decode()
    assert "course.md, line" not in page and "course.md: course.md is missing" in page


def test_checking_valid_files_previews_the_import_without_writing(client, trainer):
    page = client.post(URL, {"files": uploads()}).content.decode()
    assert "What the import would do" in page
    assert "course rhi-course, module seventy-two-hours" in page
    assert not CoursePage.objects.exists() and not ModulePage.objects.exists()
    # Trainers cannot publish, so they see the preview but no import button.
    assert "Import and publish" not in page
    token = client.session["courses_import_files"]["token"]
    refused = client.post(URL, {"token": token})
    assert refused.status_code == 302 and refused.url == "/admin/"  # Wagtail's "no permission"
    assert not CoursePage.objects.exists()


def test_a_publisher_confirms_and_the_course_is_imported_and_live(client, admin):
    client.post(URL, {"files": uploads()})
    token = client.session["courses_import_files"]["token"]
    response = client.post(URL, {"token": token})
    course = CoursePage.objects.get(slug="rhi-course")
    assert response.status_code == 302
    assert course.live and ModulePage.objects.child_of(course).get().live
    # The token is single use: a second confirmation imports nothing again.
    again = client.post(URL, {"token": token}, follow=True).content.decode()
    assert "choose them again" in again


def test_uploads_are_size_limited_and_must_be_markdown(client, trainer):
    big = SimpleUploadedFile("course.md", b"x" * 2_000_001)
    assert "more than 2 MB" in client.post(URL, {"files": [big]}).content.decode()
    other = SimpleUploadedFile("course.txt", COURSE.encode())
    assert "course files end in .md" in client.post(URL, {"files": [other]}).content.decode()


def test_posting_without_a_csrf_token_is_refused(trainer):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(trainer)
    assert strict.post(URL, {"files": uploads()}).status_code == 403
    assert not CoursePage.objects.exists()
