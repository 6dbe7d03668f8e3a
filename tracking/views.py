"""Admin pages per LRS destination: delivery status with retry buttons, and reconciliation."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import TemplateView, View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from tracking.models import LRSDestination
from tracking.selectors import destination_reconciliation, destination_status
from tracking.services.delivery import destination_verify
from tracking.services.destinations import (
    deliveries_backfill,
    deliveries_retry,
    destination_resume,
)


def _url(name: str, *args) -> str:
    return reverse(f"lrs_destinations:{name}", args=args)


class DestinationMixin:
    """Looks up the destination; only those who may change destinations get in."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("tracking.change_lrsdestination"):
            raise PermissionDenied
        self.object = get_object_or_404(LRSDestination, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)


class DestinationPageMixin(DestinationMixin, WagtailAdminTemplateMixin):
    header_icon = "resubmit"

    def get_page_subtitle(self):
        return self.object.name

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": _url("index"), "label": "LRS destinations"},
            {"url": _url("edit", self.object.pk), "label": self.object.name},
            {"url": "", "label": self.get_page_title()},
        ]


class DestinationStatusView(DestinationPageMixin, TemplateView):
    """Queue depth, last success, a pause's reason and failures with the LRS's reasons."""

    template_name = "tracking/admin/destination_status.html"
    page_title = "Delivery status"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            destination=self.object, status=destination_status(destination=self.object), **kwargs
        )


class DestinationRetryView(DestinationMixin, View):
    """POST: queue one failed delivery (``delivery``) or all failed deliveries again."""

    def post(self, request, *args, **kwargs):
        delivery_id = request.POST.get("delivery")
        try:
            delivery_id = int(delivery_id) if delivery_id else None
        except ValueError:
            messages.error(request, "That delivery does not exist.")
            return redirect(_url("status", self.object.pk))
        count = deliveries_retry(destination=self.object, delivery_id=delivery_id)
        if count:
            messages.success(request, f"{count} failed statement(s) queued to send again.")
        else:
            messages.warning(request, "There was nothing to retry.")
        return redirect(_url("status", self.object.pk))


class DestinationResumeView(DestinationMixin, View):
    """POST: resume delivery after fixing what paused it (e.g. refused credentials)."""

    def post(self, request, *args, **kwargs):
        count = destination_resume(destination=self.object)
        messages.success(request, f"Delivery resumed; {count} statement(s) queued again.")
        return redirect(_url("status", self.object.pk))


class DestinationReconciliationView(DestinationPageMixin, TemplateView):
    """Local completions the filter sends there against what the destination acknowledged."""

    template_name = "tracking/admin/destination_reconciliation.html"
    page_title = "Reconciliation"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            destination=self.object,
            report=destination_reconciliation(destination=self.object),
            # Only on request: it makes up to 20 requests to the destination.
            verified=destination_verify(destination=self.object)
            if self.request.GET.get("verify")
            else None,
            **kwargs,
        )


class DestinationBackfillView(DestinationMixin, View):
    """POST: queue the completions reconciliation found were never queued for the destination."""

    def post(self, request, *args, **kwargs):
        count = deliveries_backfill(destination=self.object)
        messages.success(request, f"{count} completion statement(s) queued for this destination.")
        return redirect(_url("reconciliation", self.object.pk))
