"""Register the LRS client and LRS destination admins under Settings."""

from wagtail import hooks

from tracking.viewsets import lrs_client_viewset, lrs_destination_viewset


@hooks.register("register_admin_viewset")
def register_lrs_clients():
    return lrs_client_viewset


@hooks.register("register_settings_menu_item")
def register_lrs_clients_menu_item():
    return lrs_client_viewset.get_menu_item()


@hooks.register("register_admin_viewset")
def register_lrs_destinations():
    return lrs_destination_viewset


@hooks.register("register_settings_menu_item")
def register_lrs_destinations_menu_item():
    return lrs_destination_viewset.get_menu_item()
