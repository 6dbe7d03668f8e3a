"""Certificates: issued on completion, PDF for the owner only, public verification."""

from datetime import UTC, datetime

import pytest
import time_machine

from courses.models import Certificate, Completion
from courses.services.learning import completion_revoke, enrolment_create
from tests.accounts.factories import UserFactory
from tests.courses.conftest import visit_all
from tests.courses.test_completion import answer_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(learner, course, enrolled, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        visit_all(learner, course)
        answer_all(learner, course)
    return Certificate.objects.get(completion__user=learner)


def test_completion_issues_a_certificate_and_emails_the_learner(certificate, mailoutbox):
    assert certificate.learner_name == "Alex Learner"
    assert certificate.course_title == "Missing children"
    assert len(certificate.code) == 14 and certificate.code.count("-") == 2
    assert len(mailoutbox) == 1
    assert f"/courses/certificates/{certificate.code}/" in mailoutbox[0].body


def test_verification_page_says_valid_without_sign_in(client, certificate):
    response = client.get(f"/courses/certificates/{certificate.code}/")
    assert response.status_code == 200
    assert response.context["result"]["status"] == "valid"
    assert b"Valid certificate" in response.content and b"Alex Learner" in response.content


def test_verification_accepts_a_typed_code_in_any_case_without_dashes(client, certificate):
    typed = certificate.code.replace("-", "").lower()
    response = client.get("/courses/certificates/", {"code": typed})
    assert response.context["result"]["status"] == "valid"


def test_verification_says_expired_after_the_refresher_interval(client, certificate):
    with time_machine.travel(datetime(2099, 1, 1, tzinfo=UTC), tick=False):
        response = client.get(f"/courses/certificates/{certificate.code}/")
    assert response.context["result"]["status"] == "expired"
    assert b"has expired" in response.content


def test_verification_says_revoked(client, certificate):
    completion_revoke(completion=certificate.completion, reason="Issued in error")
    response = client.get(f"/courses/certificates/{certificate.code}/")
    assert response.context["result"]["status"] == "revoked"
    assert b"has been revoked" in response.content


def test_verification_of_an_unknown_code_is_a_clear_404(client):
    response = client.get("/courses/certificates/AAAA-BBBB-CCCC/")
    assert response.status_code == 404
    assert b"No certificate has this code" in response.content


def test_owner_downloads_a_pdf(client, learner, certificate):
    client.force_login(learner)
    response = client.get(f"/courses/certificates/{certificate.code}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    import io

    from pypdf import PdfReader

    text = " ".join(PdfReader(io.BytesIO(response.content)).pages[0].extract_text().split())
    assert "Certificate of completion" in text
    assert "Alex Learner" in text and certificate.code in text


def test_nobody_else_can_download_the_pdf(client, certificate):
    client.force_login(UserFactory())
    assert client.get(f"/courses/certificates/{certificate.code}/pdf/").status_code == 404
    client.logout()
    assert client.get(f"/courses/certificates/{certificate.code}/pdf/").status_code == 302


def test_recompletion_issues_a_new_certificate_and_keeps_the_old(learner, course, certificate):
    enrolment_create(user=learner, course=course)
    visit_all(learner, course)
    answer_all(learner, course)
    assert Certificate.objects.filter(completion__user=learner).count() == 2
    assert Completion.objects.filter(user=learner).count() == 2


def test_revoke_certificate_command_revokes_and_rejects_unknown_codes(certificate):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    call_command("revoke_certificate", certificate.code, "--reason", "Issued in error")
    certificate.completion.refresh_from_db()
    assert certificate.completion.revoked_reason == "Issued in error"
    with pytest.raises(CommandError, match="No certificate"):
        call_command("revoke_certificate", "ZZZZ-ZZZZ-ZZZZ", "--reason", "x")


def test_the_pdf_is_rendered_when_issued_and_downloads_reuse_it(
    client, learner, course, enrolled, django_capture_on_commit_callbacks, monkeypatch
):
    from courses.services import certificates

    renders = []
    real = certificates.certificate_pdf_render

    def counting(*, certificate):
        renders.append(certificate.pk)
        return real(certificate=certificate)

    monkeypatch.setattr(certificates, "certificate_pdf_render", counting)
    with django_capture_on_commit_callbacks(execute=True):
        visit_all(learner, course)
        answer_all(learner, course)
    certificate = Certificate.objects.get(completion__user=learner)
    assert renders == [certificate.pk]  # by the task enqueued on issue, before any download
    client.force_login(learner)
    first = client.get(f"/courses/certificates/{certificate.code}/pdf/").content
    second = client.get(f"/courses/certificates/{certificate.code}/pdf/").content
    assert first == second and first.startswith(b"%PDF")
    assert renders == [certificate.pk]


def test_a_download_renders_the_pdf_if_the_cache_lost_it(client, learner, certificate):
    from django.core.cache import cache

    cache.clear()
    client.force_login(learner)
    response = client.get(f"/courses/certificates/{certificate.code}/pdf/")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_a_revoked_certificate_is_refused_even_when_its_pdf_was_kept(client, learner, certificate):
    client.force_login(learner)
    assert client.get(f"/courses/certificates/{certificate.code}/pdf/").status_code == 200
    completion_revoke(completion=certificate.completion, reason="Completed by someone else")
    assert client.get(f"/courses/certificates/{certificate.code}/pdf/").status_code == 404
