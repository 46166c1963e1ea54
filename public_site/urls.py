from django.urls import path

from . import views

app_name = "public"

urlpatterns = [
    path("", views.results, name="results"),
    path("flode/", views.feed, name="feed"),
]
