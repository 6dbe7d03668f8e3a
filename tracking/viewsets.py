"""Wagtail admin for LRS clients: partnership admins create, scope and disable them."""

from django.utils.html import format_html
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from tracking.lrs.clients import lrs_client_create
from tracking.lrs.models import LRSClient

SCOPE_FIELDS = ["can_write_statements", "can_read_own", "can_read_all", "can_use_documents"]


class LRSClientCreateView(generic.CreateView):
    """Creates the client through the service and shows its secret once."""

    def save_instance(self):
        data = self.form.cleaned_data
        client, self.secret = lrs_client_create(
            name=data["name"], **{field: data[field] for field in SCOPE_FIELDS}
        )
        return client

    def get_success_message(self, instance):
        return format_html(
            "LRS client “{}” created. Key: <code>{}</code> Secret: <code>{}</code>. "
            "Copy the secret now: it is stored hashed and cannot be shown again.",
            instance.name,
            instance.key,
            self.secret,
        )


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
