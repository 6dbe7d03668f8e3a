"""Imports refuse YAML bombs and oversized input; SVG uploads are refused; uploaded files are
served sandboxed (issue 15)."""

import time

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.http import HttpResponse
from django.test import RequestFactory
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from config.middleware import UploadedFileHeadersMiddleware
from config.safe_yaml import YAMLRefused, yaml_load
from courses.models import CoursePage
from pages.media import MediaFileError, imported_image
from scenarios.models import Scenario
from tests.courses.test_import_export import write_course
from tests.scenarios.factories import definition

# The 427-byte kind of file that once took 105 s and 4.9 GB: nine levels of nine aliases.
ALIAS_BOMB = "a: &a [lol,lol,lol,lol,lol,lol,lol,lol,lol]\n" + "".join(
    f"{chr(98 + n)}: &{chr(98 + n)} [{','.join(['*' + chr(97 + n)] * 9)}]\n" for n in range(8)
)
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>'


def test_yaml_aliases_are_refused_before_they_expand():
    started = time.monotonic()
    with pytest.raises(yaml.MarkedYAMLError, match="anchors and aliases"):
        yaml_load(ALIAS_BOMB)
    assert time.monotonic() - started < 1


def test_yaml_over_a_megabyte_and_overlong_strings_are_refused_with_where():
    with pytest.raises(YAMLRefused, match="the most is 1,000,000"):
        yaml_load("a: " + "x" * 1_000_001)
    with pytest.raises(YAMLRefused, match=r"nodes\[0\].text: 20,001 characters"):
        yaml_load(yaml.safe_dump({"nodes": [{"text": "x" * 20_001}]}))
    assert yaml_load("a: [1, 2]") == {"a": [1, 2]}


@pytest.mark.django_db
def test_a_scenario_upload_with_aliases_is_refused_and_nothing_is_stored(admin_client):
    upload = SimpleUploadedFile("bomb.yaml", ALIAS_BOMB.encode(), "application/yaml")

    response = admin_client.post("/admin/snippets/scenarios/scenario/import/", {"file": upload})

    assert response.status_code == 200
    assert "anchors and aliases" in response.content.decode()
    assert not Scenario.objects.exists()


@pytest.mark.django_db
def test_a_scenario_upload_with_an_overlong_field_is_refused(admin_client):
    data = definition(introduction="x" * 20_001)
    upload = SimpleUploadedFile("long.yaml", yaml.safe_dump(data).encode(), "application/yaml")

    response = admin_client.post("/admin/snippets/scenarios/scenario/import/", {"file": upload})

    assert "introduction: 20,001 characters, the most is 20,000" in response.content.decode()
    assert not Scenario.objects.exists()


@pytest.mark.django_db
def test_import_scenario_command_refuses_aliases(tmp_path):
    path = tmp_path / "bomb.yaml"
    path.write_text(ALIAS_BOMB)

    with pytest.raises(CommandError, match="anchors and aliases"):
        call_command("import_scenario", str(path))


@pytest.mark.django_db
def test_course_front_matter_with_aliases_or_an_oversized_file_is_refused(tmp_path):
    bomb = "---\ntitle: &t Return\nslug: *t\n---\nBody\n"
    folder = write_course(tmp_path / "rhi-course", module=bomb)
    with pytest.raises(CommandError, match="anchors and aliases"):
        call_command("import_course", str(folder))

    folder = write_course(tmp_path / "big-course", module="---\n" + "x" * 1_000_001)
    with pytest.raises(CommandError, match="a course file may be at most 1,000,000"):
        call_command("import_course", str(folder))
    assert not CoursePage.objects.exists()


@pytest.mark.django_db
def test_svg_image_and_document_uploads_are_refused(admin_client):
    admin_client.post(
        "/admin/images/add/",
        {"title": "Logo", "file": SimpleUploadedFile("logo.svg", SVG, "image/svg+xml")},
    )
    admin_client.post(
        "/admin/documents/add/",
        {"title": "Logo", "file": SimpleUploadedFile("logo.svg", SVG, "image/svg+xml")},
    )

    assert not get_image_model().objects.exists()
    assert not get_document_model().objects.exists()


@pytest.mark.django_db
def test_imported_content_cannot_bring_in_an_svg(tmp_path):
    (tmp_path / "logo.svg").write_bytes(SVG)

    with pytest.raises(MediaFileError, match="SVG can carry script"):
        imported_image(file="logo.svg", media_root=tmp_path)


@pytest.mark.parametrize("path", ["/media/images/logo.png", "/documents/1/notes.txt"])
def test_uploaded_files_are_served_in_a_sandbox(path):
    middleware = UploadedFileHeadersMiddleware(lambda request: HttpResponse(SVG))

    response = middleware(RequestFactory().get(path))

    assert "sandbox" in response["Content-Security-Policy"]
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_site_pages_keep_the_site_policy(client):
    response = client.get("/health/")

    assert "sandbox" not in response.get("Content-Security-Policy", "")
