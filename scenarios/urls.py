from django.urls import path

from scenarios import views

app_name = "scenarios"

urlpatterns = [
    path("", views.scenario_list, name="list"),
    path("attempts/<uuid:registration>/", views.attempt_play, name="play"),
    path("attempts/<uuid:registration>/feedback/", views.attempt_feedback, name="feedback"),
    path("attempts/<uuid:registration>/back/", views.attempt_go_back, name="back"),
    path("attempts/<uuid:registration>/break/", views.attempt_break, name="break"),
    path("attempts/<uuid:registration>/end/", views.attempt_end, name="end"),
    path("<slug:slug>/", views.scenario_detail, name="detail"),
    path("<slug:slug>/start/", views.attempt_create, name="start"),
]
