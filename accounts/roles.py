"""The four roles, as Django group names created by a data migration."""

from django.db import models


class Role(models.TextChoices):
    LEARNER = "Learner", "Learner"
    TRAINER = "Trainer", "Trainer"
    AGENCY_LEAD = "Agency lead", "Agency lead"
    PARTNERSHIP_ADMIN = "Partnership admin", "Partnership admin"


# The directory app's editing group (directory migration 0002), not one of the four roles.
DIRECTORY_EDITOR = "Directory editor"

# Groups whose members see or change other people's data or published content: they must use a
# second factor and get shorter sessions (docs/security.md).
PRIVILEGED_GROUPS = frozenset(
    {Role.TRAINER.value, Role.AGENCY_LEAD.value, Role.PARTNERSHIP_ADMIN.value, DIRECTORY_EDITOR}
)
