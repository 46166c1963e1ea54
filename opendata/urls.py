from django.urls import path

from . import views

app_name = "opendata"

urlpatterns = [
    path("", views.index, name="index"),
    # The address the national data portal harvests: keep it stable.
    path("dcat.jsonld", views.dcat, name="dcat"),
    path("installningar/", views.settings_update, name="settings"),
    path("<slug:dataset>.csv", views.download, {"file_format": "csv"}, name="download_csv"),
    path("<slug:dataset>.json", views.download, {"file_format": "json"}, name="download_json"),
]
