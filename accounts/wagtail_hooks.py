from wagtail import hooks

from accounts.viewsets import AgencyAdminGroup


@hooks.register("register_admin_viewset")
def register_agency_admin():
    return AgencyAdminGroup()
