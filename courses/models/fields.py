"""A JSON list of choice values, edited as checkboxes (works on SQLite and PostgreSQL alike)."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models


class ChoiceListField(models.JSONField):
    """A list of values from ``options``; Django has no portable multiple-choice model field."""

    def __init__(self, *args, options=(), labels=None, **kwargs):
        self.options = list(options)
        # Longer labels for the form only: kept out of migrations, so rewording needs none.
        self.labels = labels or {}
        kwargs.setdefault("default", list)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["options"] = self.options
        return name, path, args, kwargs

    def validate(self, value, model_instance):
        super().validate(value, model_instance)
        allowed = {key for key, _ in self.options}
        unknown = [item for item in value or [] if item not in allowed]
        if unknown:
            raise ValidationError(f"Unknown values: {', '.join(map(str, unknown))}")

    def formfield(self, **kwargs):
        return forms.TypedMultipleChoiceField(
            choices=[(key, self.labels.get(key, label)) for key, label in self.options],
            required=not self.blank,
            widget=forms.CheckboxSelectMultiple,
            label=self.verbose_name.capitalize(),
            help_text=self.help_text,
            empty_value=[],
        )
