"""Certificates: issue one per completion and render it as a PDF with WeasyPrint."""

from functools import partial

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from accounts.models import NotificationKind
from accounts.services import notification_create
from courses.models import Certificate, Completion


@transaction.atomic
def certificate_issue(*, completion: Completion) -> Certificate:
    """Issue the completion's certificate (idempotent) and email the learner after commit."""
    existing = Certificate.objects.filter(completion=completion).first()
    if existing:
        return existing
    user, course = completion.user, completion.course
    certificate = Certificate.objects.create(
        completion=completion,
        learner_name=user.get_full_name() or user.email,
        course_title=course.title,
        cpd_minutes=course.cpd_minutes,
        issued_at=completion.completed_at,
    )
    notification_create(
        user=user,
        kind=NotificationKind.CERTIFICATE_READY,
        text=f"Your certificate for {course.title} is ready to download",
        url=reverse("courses:my_learning"),
        key=f"certificate:{certificate.pk}",
    )
    from courses.tasks import certificate_email_send_task, certificate_pdf_prepare_task

    transaction.on_commit(partial(certificate_pdf_prepare_task.delay, certificate.pk), robust=True)
    transaction.on_commit(partial(certificate_email_send_task.delay, certificate.pk), robust=True)
    return certificate


def certificate_verification_url(*, certificate: Certificate) -> str:
    """The public address that verifies the certificate."""
    path = reverse("courses:certificate_verify", args=[certificate.code])
    return f"{settings.SITE_URL.rstrip('/')}{path}"


# A certificate says what it said when issued (its fields are copied then), so its PDF can be
# kept: WeasyPrint takes 0.2-0.3 s of CPU for each one (2 s for a process's first, which loads
# the fonts), which a learner downloading it, or a whole team at once, should not wait for. The
# worker renders it when it is issued; a download renders it only if the cache lost it. Change
# the version when the layout changes.
CERTIFICATE_LAYOUT_VERSION = 1
CERTIFICATE_CACHE_SECONDS = 7 * 24 * 3600


def certificate_pdf(*, certificate: Certificate) -> bytes:
    """The certificate as PDF bytes, from the cache or rendered (WeasyPrint, no network)."""
    key = (
        f"courses:certificate-pdf:{CERTIFICATE_LAYOUT_VERSION}:{certificate.pk}:"
        f"{certificate.code}:{certificate.issued_at.timestamp()}:{settings.SITE_URL}"
    )
    pdf = cache.get(key)
    if pdf is None:
        pdf = certificate_pdf_render(certificate=certificate)
        cache.set(key, pdf, CERTIFICATE_CACHE_SECONDS)
    return pdf


def certificate_pdf_prepare(*, certificate_id: int) -> bool:
    """Render a newly issued certificate into the cache; False if it no longer exists."""
    certificate = Certificate.objects.select_related("completion").filter(pk=certificate_id).first()
    if certificate is None:
        return False
    certificate_pdf(certificate=certificate)
    return True


def certificate_pdf_render(*, certificate: Certificate) -> bytes:
    """Render the certificate as PDF bytes (WeasyPrint; no network fetches, system fonts)."""
    from weasyprint import HTML

    html = render_to_string(
        "courses/certificate_pdf.html",
        {
            "certificate": certificate,
            "completion": certificate.completion,
            "verify_url": certificate_verification_url(certificate=certificate),
            "hours": divmod(certificate.cpd_minutes, 60),
        },
    )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def certificate_email_send(*, certificate_id: int) -> bool:
    """Email the learner that their certificate is ready; returns False if it no longer exists."""
    from django.core.mail import send_mail

    certificate = (
        Certificate.objects.select_related("completion__user").filter(pk=certificate_id).first()
    )
    if certificate is None:
        return False
    send_mail(
        subject=f"Certificate: {certificate.course_title}",
        message=render_to_string(
            "courses/email/certificate.txt",
            {
                "certificate": certificate,
                "site_url": settings.SITE_URL.rstrip("/"),
                "verify_url": certificate_verification_url(certificate=certificate),
            },
        ),
        from_email=None,
        recipient_list=[certificate.completion.user.email],
    )
    return True


def enrolment_assigned_email_send(*, enrolment_id: int) -> bool:
    """Tell a learner a course was assigned to them; False if the enrolment no longer exists."""
    from django.core.mail import send_mail

    from courses.models import Enrolment

    enrolment = (
        Enrolment.objects.select_related("user", "course", "assigned_by")
        .filter(pk=enrolment_id)
        .first()
    )
    if enrolment is None:
        return False
    send_mail(
        subject=f"Course assigned to you: {enrolment.course.title}",
        message=render_to_string(
            "courses/email/assigned.txt",
            {"enrolment": enrolment, "site_url": settings.SITE_URL.rstrip("/")},
        ),
        from_email=None,
        recipient_list=[enrolment.user.email],
    )
    return True
