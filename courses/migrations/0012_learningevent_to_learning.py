# LearningEvent now belongs to the learning app (learning/migrations/0001_initial.py); the table
# stays, so only the model state is removed here.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("courses", "0011_enrolment_due_at"),
        ("learning", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="LearningEvent")],
            database_operations=[],
        ),
    ]
