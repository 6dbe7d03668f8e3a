from django.urls import path

from directory import views

app_name = "directory"

urlpatterns = [
    path("", views.directory_search, name="search"),
    path("services/<uuid:service_id>/", views.service_detail, name="service_detail"),
    path("services/<uuid:service_id>/print/", views.service_print, name="service_print"),
    path(
        "services/<uuid:service_id>/report/",
        views.service_report_problem,
        name="service_report_problem",
    ),
    path(
        "services/<uuid:service_id>/report/done/",
        views.service_report_done,
        name="service_report_done",
    ),
]
