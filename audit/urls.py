from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [
    path("", views.AuditListView.as_view(), name="audit_list"),
    path("gallring/", views.RetentionView.as_view(), name="retention"),
    path("gallring/beslut/", views.DecisionListView.as_view(), name="decision_list"),
    path("api-anrop/", views.ApiCallListView.as_view(), name="api_calls"),
]
