"""Learner endpoints under /courses/ (the catalogue and course pages are Wagtail pages)."""

from django.urls import path

from courses import views

app_name = "courses"

urlpatterns = [
    path("my/", views.my_learning_view, name="my_learning"),
    path("assign/", views.assign, name="assign"),
    path("enrol/<int:course_id>/", views.enrol, name="enrol"),
    path("modules/<int:module_id>/checks/<str:block_id>/", views.answer, name="answer"),
    path("modules/<int:module_id>/reflections/<str:block_id>/", views.reflect, name="reflect"),
    path("action-plans/", views.action_plan_list, name="action_plans"),
    path("action-plans/course/<int:course_id>/", views.action_plan_edit, name="action_plan_edit"),
    path("action-plans/<int:pk>/", views.action_plan_detail, name="action_plan_detail"),
    path("certificates/", views.certificate_check, name="certificate_check"),
    path("certificates/<str:code>/", views.certificate_check, name="certificate_verify"),
    path("certificates/<str:code>/pdf/", views.certificate_download, name="certificate_pdf"),
]
