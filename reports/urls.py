from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("agencies/<int:agency_id>/", views.agency_dashboard, name="agency"),
    path("agencies/<int:agency_id>/remind/", views.remind, name="remind"),
    path("insight/", views.section, {"name": "insight"}, name="insight"),
    path("traceability/", views.traceability, name="traceability"),
    path("evaluations/", views.section, {"name": "evaluation"}, name="evaluations"),
    path("export/<str:name>.csv", views.export, {"fmt": "csv"}, name="export_csv"),
    path("export/<str:name>.xlsx", views.export, {"fmt": "xlsx"}, name="export_xlsx"),
    path("assurance-report.pdf", views.pdf, name="pdf"),
    path("subscription/", views.subscription, name="subscription"),
    path("evaluation/<int:course_id>/", views.evaluation, name="evaluation"),
    path("evaluation/follow-up/<uuid:token>/", views.follow_up, name="follow_up"),
    path("evaluation/event/<uuid:registration>/", views.event_evaluation, name="event_evaluation"),
]
