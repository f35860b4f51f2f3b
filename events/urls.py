from django.urls import path

from events import views

urlpatterns = [
    path("<int:event_id>/attendees.csv", views.attendees_csv, name="event-attendees-csv"),
    path("<int:event_id>/check-in-qr.png", views.check_in_qr, name="event-check-in-qr"),
]
