from django.urls import include, path

from accounts import sso_views, staff_import_views, views

account_patterns = [
    path("profile/", views.profile, name="profile"),
    path("notifications/", views.notifications_view, name="notifications"),
    path("profile/data.json", views.profile_data, name="profile_data"),
    path("waiting/", views.membership_waiting, name="membership_waiting"),
    path("agency/members/", views.agency_members_view, name="agency_members"),
    path("agency/staff/import/", staff_import_views.staff_import_view, name="staff_import"),
    path("agency/leavers/", staff_import_views.leavers_view, name="leavers"),
    path(
        "agency/staff/import/<str:token>/",
        staff_import_views.staff_import_progress_view,
        name="staff_import_progress",
    ),
]

# Ahead of allauth's own OpenID Connect views, at the same addresses (see accounts.sso_views).
oidc_patterns = [
    path("oidc/<str:provider_id>/login/", sso_views.oidc_login, name="openid_connect_login"),
    path(
        "oidc/<str:provider_id>/login/callback/",
        sso_views.oidc_callback,
        name="openid_connect_callback",
    ),
]

urlpatterns = [
    path("", include((account_patterns, "accounts"))),
    *oidc_patterns,
    path("", include("allauth.urls")),
]
