"""Wagtail admin: a partnership admin erases a person (UK GDPR Article 17)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import FormView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from accounts.models import User
from accounts.selectors import user_is_partnership_admin
from accounts.services import person_erase


class ErasureForm(forms.Form):
    email = forms.EmailField(
        label="Type the person's email address to confirm",
        help_text="Erasure cannot be undone.",
    )
    reason = forms.CharField(
        label="Reason (kept in the erasure log; no personal details)",
        max_length=200,
        initial="Request under UK GDPR Article 17",
    )

    def __init__(self, *args, person: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if email != self.person.email.lower():
            raise forms.ValidationError("That is not this person's email address.")
        return email


class PersonEraseView(WagtailAdminTemplateMixin, FormView):
    """GET: what erasure removes, and a confirmation form; POST: erase and go to the users."""

    template_name = "accounts/admin/person_erase.html"
    form_class = ErasureForm
    page_title = "Erase a person"
    header_icon = "warning"

    def dispatch(self, request, *args, **kwargs):
        if not user_is_partnership_admin(user=request.user):
            raise PermissionDenied("Only partnership admins can erase people.")
        self.person = get_object_or_404(User, pk=kwargs["pk"])
        if self.person.pk == request.user.pk:
            raise PermissionDenied("You cannot erase yourself.")
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return str(self.person)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "person": self.person}

    def get_context_data(self, **kwargs):
        return super().get_context_data(person=self.person, **kwargs)

    def form_valid(self, form):
        record = person_erase(
            user=self.person, by=self.request.user, reason=form.cleaned_data["reason"]
        )
        messages.success(
            self.request,
            f"Person {record.person_id} erased. Destinations that had their statements are "
            f"being sent {record.counts.get('xapi_voiding_notices_queued', 0)} voiding notice(s).",
        )
        return redirect("wagtailusers_users:index")
