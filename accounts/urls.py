from django.urls import include, path

from accounts import views

account_patterns = [
    path("profile/", views.profile, name="profile"),
    path("profile/data.json", views.profile_data, name="profile_data"),
    path("waiting/", views.membership_waiting, name="membership_waiting"),
    path("agency/members/", views.agency_members_view, name="agency_members"),
]

urlpatterns = [
    path("", include((account_patterns, "accounts"))),
    path("", include("allauth.urls")),
]
