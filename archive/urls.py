from django.urls import path

from . import views

app_name = "archive"

urlpatterns = [
    path("", views.PackageListView.as_view(), name="package_list"),
    path("paket/<int:pk>/", views.PackageDetailView.as_view(), name="package_detail"),
    path("paket/<int:pk>/ladda-ner/", views.PackageDownloadView.as_view(), name="package_download"),
    path("paket/<int:pk>/kontrollera/", views.PackageVerifyView.as_view(), name="package_verify"),
    path("informationshanteringsplan/", views.PlanView.as_view(), name="plan"),
    path("informationshanteringsplan/ny/", views.RuleFormView.as_view(), name="rule_create"),
    path("informationshanteringsplan/<int:pk>/", views.RuleFormView.as_view(), name="rule_update"),
]
