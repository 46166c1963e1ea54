"""/api/v1/: the open API of published data, the staff API, the OpenAPI document and its
documentation page."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from .views import docs, public, staff

app_name = "api"

# Path converters (not regular expressions), so ids are whole numbers and the URL walks know them.
router = SimpleRouter(use_regex_path=False)
router.register("interviews", staff.InterviewViewSet, basename="interview")
router.register("findings", staff.FindingViewSet, basename="finding")
router.register("followups", staff.FollowUpViewSet, basename="followup")
router.register("workshops", staff.WorkshopViewSet, basename="workshop")
router.register("proposals", staff.ProposalViewSet, basename="proposal")
router.register("plans", staff.ActionPlanViewSet, basename="plan")
router.register("goals", staff.GoalViewSet, basename="goal")
router.register("activities", staff.ActivityViewSet, basename="activity")
router.register("indicators", staff.IndicatorViewSet, basename="indicator")
router.register("measurements", staff.MeasurementViewSet, basename="measurement")

public_patterns = [
    path("areas/", public.PublicAreaList.as_view(), name="public_areas"),
    path("proposals/", public.PublicProposalList.as_view(), name="public_proposals"),
    path("activities/", public.PublicActivityList.as_view(), name="public_activities"),
    path("goals/", public.PublicGoalList.as_view(), name="public_goals"),
    path("indicators/", public.PublicIndicatorList.as_view(), name="public_indicators"),
    path("celebrations/", public.PublicCelebrationList.as_view(), name="public_celebrations"),
]

urlpatterns = [
    path("v1/public/", include(public_patterns)),
    path("v1/", include(router.urls)),
    path("v1/schema/", docs.SchemaView.as_view(api_version="v1"), name="schema"),
    path("v1/docs/", docs.documentation, name="docs"),
]
