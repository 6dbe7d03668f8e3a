"""Reminders to chosen staff, the monthly report email, and subscriptions."""

from django.urls import reverse

from reports.models import ReportSubscription, StaffReminder
from reports.services.reminders import staff_reminder_send
from reports.services.subscriptions import monthly_reports_send


def test_lead_reminds_chosen_staff_by_email(
    client, world, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(world.police_lead)
    chosen = [world.people.a4.pk, world.people.a5.pk]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reports:remind", args=[world.police.pk]),
            {"staff": chosen, "message": "Please finish by Friday."},
        )
    assert response.status_code == 302
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [world.people.a4.email, world.people.a5.email]
    )
    assert "Please finish by Friday." in mailoutbox[0].body
    assert StaffReminder.objects.filter(sent_at__isnull=False).count() == 2
    # Sending again (a retried task) sends nothing more.
    assert staff_reminder_send(reminder_id=StaffReminder.objects.first().pk) is False
    assert len(mailoutbox) == 2


def test_reminder_without_anyone_chosen_is_an_error_message(client, world):
    client.force_login(world.police_lead)
    response = client.post(reverse("reports:remind", args=[world.police.pk]), {}, follow=True)
    assert "Choose at least one person to remind." in response.content.decode()
    assert not StaffReminder.objects.exists()


def test_subscribers_get_the_pdf_once_a_month(client, world, travel, mailoutbox):
    client.force_login(world.police_lead)
    client.post(reverse("reports:subscription"), {"on": "1"})
    assert ReportSubscription.objects.filter(user=world.police_lead).exists()
    assert monthly_reports_send() == 1
    assert monthly_reports_send() == 0  # same month
    (email,) = mailoutbox
    name, content, mimetype = email.attachments[0]
    assert (mimetype, content[:4]) == ("application/pdf", b"%PDF")
    travel.move_to("2026-07-01T06:00:00+00:00")
    assert monthly_reports_send() == 1


def test_unsubscribe_and_people_without_report_access_cannot_subscribe(client, world):
    client.force_login(world.police_lead)
    client.post(reverse("reports:subscription"), {"on": "1"})
    client.post(reverse("reports:subscription"), {"on": "0"})
    assert not ReportSubscription.objects.exists()
    client.force_login(world.people.a1)
    assert client.post(reverse("reports:subscription"), {"on": "1"}).status_code == 403
    assert not ReportSubscription.objects.exists()
