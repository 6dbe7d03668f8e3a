# LearningEvent moves from courses to learning: the table (courses_learningevent) stays where it
# is; only Django's record of which app owns the model changes, with its content type.

import uuid

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def content_type_to_learning(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="courses", model="learningevent").update(
        app_label="learning"
    )


def content_type_to_courses(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="learning", model="learningevent").update(
        app_label="courses"
    )


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("courses", "0011_enrolment_due_at"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        migrations.swappable_dependency(settings.WAGTAIL_PAGE_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="LearningEvent",
                    fields=[
                        ("id", models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                        ("kind", models.CharField(choices=[('enrolled', 'Enrolled'), ('course_launched', 'Course launched'), ('module_launched', 'Module launched'), ('section_viewed', 'Section viewed'), ('check_answered', 'Knowledge check answered'), ('reflection_submitted', 'Reflection submitted'), ('module_completed', 'Module completed'), ('course_completed', 'Course completed'), ('course_passed', 'Course passed'), ('course_failed', 'Course failed'), ('completion_revoked', 'Completion revoked'), ('scenario_launched', 'Scenario launched'), ('scenario_choice', 'Scenario choice made'), ('scenario_suspended', 'Scenario left to resume later'), ('scenario_completed', 'Scenario completed'), ('event_booked', 'Training event place booked'), ('event_booking_cancelled', 'Training event booking cancelled'), ('event_attended', 'Training event attended'), ('event_completed', 'Training event completed'), ('event_attendance_corrected', 'Training event register corrected')], max_length=40)),
                        ("occurred_at", models.DateTimeField(db_index=True, default=django.utils.timezone.now)),
                        ("activity", models.CharField(max_length=200)),
                        ("registration", models.UUIDField(blank=True, db_index=True, null=True)),
                        ("result", models.JSONField(blank=True, default=dict)),
                        ("extra", models.JSONField(blank=True, default=dict)),
                        ("course", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.WAGTAIL_PAGE_MODEL)),
                        ("module", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.WAGTAIL_PAGE_MODEL)),
                        ("user", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="learning_events", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        "db_table": "courses_learningevent",
                        "ordering": ["occurred_at"],
                        "indexes": [models.Index(fields=["user", "kind", "occurred_at"], name="courses_lea_user_id_7f5d51_idx")],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_type_to_learning, content_type_to_courses),
    ]
