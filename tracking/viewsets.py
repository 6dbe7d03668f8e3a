"""Wagtail admin for LRS clients (create, scope, disable) and destinations (forwarding)."""

from django.urls import path, reverse
from django.utils.cache import add_never_cache_headers
from django.views.generic import TemplateView
from wagtail.admin.ui.tables import TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet

from tracking.credentials import secret_encrypt
from tracking.forms import LRSDestinationForm
from tracking.lrs.clients import lrs_client_create
from tracking.lrs.models import LRSClient
from tracking.models import LRSDestination
from tracking.services.destinations import destination_secret_set
from tracking.views import (
    DestinationBackfillView,
    DestinationReconciliationView,
    DestinationResumeView,
    DestinationRetryView,
    DestinationStatusView,
)

SCOPE_FIELDS = ["can_write_statements", "can_read_own", "can_read_all", "can_use_documents"]


class LRSClientCredentialsView(WagtailAdminTemplateMixin, TemplateView):
    """The new client's key and secret, shown once in the response to the form (never stored in
    a message, the session or a cookie) with caching forbidden."""

    template_name = "tracking/admin/lrs_client_created.html"
    page_title = "LRS client created"
    header_icon = "key"
    client = None
    secret = ""

    def get_page_subtitle(self):
        return self.client.name

    def get_context_data(self, **kwargs):
        endpoint = self.request.build_absolute_uri(reverse("tracking:about")).rsplit("about", 1)[0]
        return super().get_context_data(
            client=self.client, secret=self.secret, endpoint=endpoint, **kwargs
        )


class LRSClientCreateView(generic.CreateView):
    """Creates the client through the service and shows its secret once."""

    def save_instance(self):
        data = self.form.cleaned_data
        client, self.secret = lrs_client_create(
            name=data["name"], **{field: data[field] for field in SCOPE_FIELDS}
        )
        return client

    def save_action(self):
        view = LRSClientCredentialsView(client=self.object, secret=self.secret)
        view.setup(self.request)
        response = view.get(self.request)
        add_never_cache_headers(response)
        return response


class LRSClientViewSet(ModelViewSet):
    model = LRSClient
    icon = "key"
    menu_label = "LRS clients"
    add_to_admin_menu = False
    form_fields = ["name", "is_active", *SCOPE_FIELDS]
    list_display = [
        "name",
        "key",
        "is_active",
        "can_write_statements",
        "can_read_all",
        "last_used_at",
    ]
    list_filter = ["is_active"]
    search_fields = ["name", "key"]
    add_view_class = LRSClientCreateView


lrs_client_viewset = LRSClientViewSet("lrs_clients")


class LRSDestinationEditView(generic.EditView):
    """Saves the destination; a new secret is encrypted and resumes a paused destination."""

    def save_instance(self):
        instance = super().save_instance()
        secret = self.form.cleaned_data.get("secret")
        if secret:
            destination_secret_set(destination=instance, secret=secret)
        return instance


class LRSDestinationCreateView(generic.CreateView):
    def save_instance(self):
        self.form.instance.secret_encrypted = secret_encrypt(
            secret=self.form.cleaned_data["secret"]
        )
        return super().save_instance()


class LRSDestinationViewSet(ModelViewSet):
    model = LRSDestination
    icon = "resubmit"
    menu_label = "LRS destinations"
    add_to_admin_menu = False
    list_display = [
        TitleColumn("name", label="Name", url_name="lrs_destinations:edit"),
        "endpoint",
        "identifier",
        "is_active",
        "last_success_at",
        TitleColumn(
            "status",
            label="Deliveries",
            url_name="lrs_destinations:status",
            accessor=lambda destination: "Delivery status",
        ),
        TitleColumn(
            "reconciliation",
            label="Reconciliation",
            url_name="lrs_destinations:reconciliation",
            accessor=lambda destination: "Compare",
        ),
    ]
    list_filter = ["is_active", "identifier"]
    search_fields = ["name", "endpoint"]
    add_view_class = LRSDestinationCreateView
    edit_view_class = LRSDestinationEditView

    def get_form_class(self, for_update=False):
        return LRSDestinationForm

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("<int:pk>/status/", DestinationStatusView.as_view(), name="status"),
            path("<int:pk>/retry/", DestinationRetryView.as_view(), name="retry"),
            path("<int:pk>/resume/", DestinationResumeView.as_view(), name="resume"),
            path("<int:pk>/backfill/", DestinationBackfillView.as_view(), name="backfill"),
            path(
                "<int:pk>/reconciliation/",
                DestinationReconciliationView.as_view(),
                name="reconciliation",
            ),
        ]


lrs_destination_viewset = LRSDestinationViewSet("lrs_destinations")
