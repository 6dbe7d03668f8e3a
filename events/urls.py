"""Endpoints under /events/ (the programme and event pages are Wagtail pages)."""

from django.urls import path

from events import views

app_name = "events"

urlpatterns = [
    path("feed.ics", views.feed, name="feed"),
    path("my/", views.my_bookings, name="my_bookings"),
    path("book/<int:session_id>/", views.book, name="book"),
    path("bookings/<int:pk>/<str:action>/", views.booking_action, name="booking_action"),
    path("bookings/<int:pk>/certificate.pdf", views.certificate, name="certificate"),
    path("sessions/<int:session_id>/register/", views.register, name="register"),
    path("approvals/", views.approvals, name="approvals"),
    path("approvals/<int:pk>/<str:decision>/", views.approval_decide, name="approval_decide"),
    path("staff/", views.staff, name="staff"),
]
