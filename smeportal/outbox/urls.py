from django.urls import path

from . import views

app_name = "outbox"

urlpatterns = [
    path("", views.message_list, name="message_list"),
    path("<int:pk>/", views.message_detail, name="message_detail"),
    path("<int:pk>/html/", views.message_html, name="message_html"),
    path("<int:pk>/skicka-igen/", views.message_send_again_view, name="message_send_again"),
]
