from django.urls import path

from .views import activities, celebrations, coverage, indicators, measurements, milestones, plans

app_name = "actionplan"

urlpatterns = [
    # The plan, its goals and activities
    path("", plans.PlanOverviewView.as_view(), name="plan_overview"),
    path("planer/ny/", plans.PlanCreateView.as_view(), name="plan_create"),
    path("planer/<int:pk>/andra/", plans.PlanUpdateView.as_view(), name="plan_update"),
    path("mal/ny/", plans.GoalCreateView.as_view(), name="goal_create"),
    path("mal/<int:pk>/andra/", plans.GoalUpdateView.as_view(), name="goal_update"),
    path("aktiviteter/ny/", activities.ActivityCreateView.as_view(), name="activity_create"),
    path(
        "aktiviteter/fran-forslag/",
        activities.ActivityFromProposalsView.as_view(),
        name="activity_from_proposals",
    ),
    path("aktiviteter/<int:pk>/", activities.ActivityDetailView.as_view(), name="activity_detail"),
    path(
        "aktiviteter/<int:pk>/historik/",
        activities.ActivityHistoryView.as_view(),
        name="activity_history",
    ),
    path(
        "aktiviteter/<int:pk>/andra/",
        activities.ActivityUpdateView.as_view(),
        name="activity_update",
    ),
    path(
        "aktiviteter/<int:pk>/framsteg/",
        activities.ActivityProgressView.as_view(),
        name="activity_progress",
    ),
    path(
        "aktiviteter/<int:pk>/delmal/ny/",
        milestones.MilestoneCreateView.as_view(),
        name="milestone_create",
    ),
    path(
        "delmal/<int:pk>/andra/", milestones.MilestoneUpdateView.as_view(), name="milestone_update"
    ),
    path("tackning/", coverage.CoverageView.as_view(), name="coverage"),
    # Indicators (mätetal) and measurements
    path("matetal/", indicators.IndicatorListView.as_view(), name="indicator_list"),
    path("matetal/ny/", indicators.IndicatorCreateView.as_view(), name="indicator_create"),
    path("matetal/<int:pk>/", indicators.IndicatorDetailView.as_view(), name="indicator_detail"),
    path(
        "matetal/<int:pk>/andra/",
        indicators.IndicatorUpdateView.as_view(),
        name="indicator_update",
    ),
    path(
        "matetal/<int:pk>/kolada/hamta/",
        indicators.IndicatorKoladaFetchView.as_view(),
        name="indicator_kolada_fetch",
    ),
    path(
        "matetal/<int:pk>/matningar/ny/",
        indicators.MeasurementCreateView.as_view(),
        name="measurement_create",
    ),
    path(
        "matetal/<int:pk>/historik/",
        measurements.IndicatorHistoryView.as_view(),
        name="indicator_history",
    ),
    path(
        "matetal/matningar/<int:pk>/ratta/",
        measurements.MeasurementUpdateView.as_view(),
        name="measurement_update",
    ),
    path(
        "matetal/matningar/<int:pk>/ta-bort/",
        measurements.MeasurementDeleteView.as_view(),
        name="measurement_delete",
    ),
    path(
        "matetal/<int:pk>/matningar/import/",
        indicators.MeasurementImportView.as_view(),
        name="measurement_import",
    ),
    path(
        "matetal/<int:pk>/matningar/import/<uuid:token>/",
        indicators.MeasurementImportConfirmView.as_view(),
        name="measurement_import_confirm",
    ),
    path(
        "matetal/matningar/mall.xlsx",
        indicators.measurement_import_template,
        name="measurement_import_template",
    ),
    # Celebrations
    path("att-fira/", celebrations.CelebrationListView.as_view(), name="celebration_list"),
    path(
        "att-fira/<int:pk>/",
        celebrations.CelebrationMarkView.as_view(),
        name="celebration_mark",
    ),
]
