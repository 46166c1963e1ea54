from django.urls import path

from . import views

app_name = "reminders"

urlpatterns = [
    path("", views.preferences, name="preferences"),
    path("schema/", views.schedule_update, name="schedule_update"),
    path("skicka-nu/", views.send_now, name="send_now"),
]
