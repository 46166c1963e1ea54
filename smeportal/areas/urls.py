from django.urls import path

from . import views

app_name = "areas"

urlpatterns = [
    path("", views.AreaListView.as_view(), name="list"),
    path("nytt/", views.AreaFormView.as_view(), name="create"),
    path("<slug:slug>/andra/", views.AreaFormView.as_view(), name="update"),
    path("<slug:slug>/arkivera/", views.AreaArchiveView.as_view(), name="archive"),
    path("<slug:slug>/ta-bort/", views.AreaDeleteView.as_view(), name="delete"),
]
