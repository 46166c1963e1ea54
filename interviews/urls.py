from django.urls import path

from .views import companies, exports, findings, followups, interviews, transfer

app_name = "interviews"

urlpatterns = [
    # Companies and contacts
    path("foretag/", companies.CompanyListView.as_view(), name="company_list"),
    path("foretag/nytt/", companies.CompanyCreateView.as_view(), name="company_create"),
    path("foretag/<int:pk>/", companies.CompanyDetailView.as_view(), name="company_detail"),
    path("foretag/<int:pk>/andra/", companies.CompanyUpdateView.as_view(), name="company_update"),
    path(
        "foretag/<int:pk>/historik/", companies.CompanyHistoryView.as_view(), name="company_history"
    ),
    path(
        "foretag/<int:pk>/kontakter/ny/",
        companies.ContactCreateView.as_view(),
        name="contact_create",
    ),
    path("kontakter/<int:pk>/andra/", companies.ContactUpdateView.as_view(), name="contact_update"),
    # Interviews
    path("intervjuer/", interviews.InterviewListView.as_view(), name="interview_list"),
    path("intervjuer/ny/", interviews.InterviewCreateView.as_view(), name="interview_create"),
    path("intervjuer/<int:pk>/", interviews.InterviewDetailView.as_view(), name="interview_detail"),
    path(
        "intervjuer/<int:pk>/historik/",
        interviews.InterviewHistoryView.as_view(),
        name="interview_history",
    ),
    path(
        "intervjuer/<int:pk>/andra/",
        interviews.InterviewUpdateView.as_view(),
        name="interview_update",
    ),
    # Import and export (Excel)
    path("intervjuer/export.xlsx", exports.interview_export, name="interview_export"),
    path(
        "intervjuer/exporter/ny/", exports.interview_export_create, name="interview_export_create"
    ),
    path(
        "intervjuer/exporter/<int:pk>/",
        exports.interview_export_detail,
        name="interview_export_detail",
    ),
    path(
        "intervjuer/exporter/<int:pk>/ladda-ner/",
        exports.interview_export_download,
        name="interview_export_download",
    ),
    path("intervjuer/import/", transfer.InterviewImportView.as_view(), name="interview_import"),
    path(
        "intervjuer/import/mall.xlsx",
        transfer.interview_import_template,
        name="interview_import_template",
    ),
    path(
        "intervjuer/import/<uuid:token>/",
        transfer.InterviewImportConfirmView.as_view(),
        name="interview_import_confirm",
    ),
    # Findings across interviews
    path("synpunkter/", findings.FindingListView.as_view(), name="finding_list"),
    # Follow-ups
    path("uppfoljningar/", followups.MyFollowUpListView.as_view(), name="followup_list"),
    path("uppfoljningar/team/", followups.TeamFollowUpListView.as_view(), name="followup_team"),
    path(
        "intervjuer/<int:pk>/uppfoljningar/ny/",
        followups.FollowUpCreateView.as_view(),
        name="followup_create",
    ),
    path(
        "uppfoljningar/<int:pk>/andra/",
        followups.FollowUpUpdateView.as_view(),
        name="followup_update",
    ),
]
