"""The four roles, as Django group names created by a data migration."""

from django.db import models


class Role(models.TextChoices):
    LEARNER = "Learner", "Learner"
    TRAINER = "Trainer", "Trainer"
    AGENCY_LEAD = "Agency lead", "Agency lead"
    PARTNERSHIP_ADMIN = "Partnership admin", "Partnership admin"
