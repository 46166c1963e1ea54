from django.urls import path

from . import views, views_dashboard

app_name = "reports"

urlpatterns = [
    path("oversikt/", views_dashboard.dashboard, name="dashboard"),
    path("rapporter/", views.run_list, name="run_list"),
    path("rapporter/ny/", views.run_create, name="run_create"),
    path("rapporter/<int:pk>/", views.run_detail, name="run_detail"),
    path("rapporter/<int:pk>/ladda-ner/", views.run_download, name="run_download"),
    path("rapporter/<int:pk>/ladda-ner/pdf/", views.run_download_pdf, name="run_download_pdf"),
    path("rapporter/schema/", views.schedule_update, name="schedule_update"),
]
