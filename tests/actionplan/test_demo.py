"""`manage.py seed_demo` adds the demo action plan, built from the demo workshop's proposals."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from actionplan.choices import (
    CelebrationKind,
    Direction,
    IndicatorSource,
    KoladaFetchStatus,
    MeasurementSource,
    PlanStatus,
)
from actionplan.demo import latest_survey_date
from actionplan.models import (
    ActionPlan,
    Activity,
    Celebration,
    Goal,
    Indicator,
    KoladaFetch,
    Milestone,
)
from actionplan.progress import is_overdue
from actionplan.selectors_indicators import indicator_overviews
from smeportal.areas.models import PriorityArea
from workshops.choices import ProposalStatus
from workshops.models import Proposal


@pytest.fixture
def demo_password(monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "eskilstuna-demo-2030")


def _seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def _values(indicator: Indicator) -> list[tuple[int, Decimal]]:
    return [(m.date.year, m.value) for m in indicator.measurements.order_by("date")]


@pytest.mark.django_db
def test_seed_demo_adds_the_action_plan_and_is_idempotent(demo_password):
    output = _seed()

    plan = ActionPlan.objects.get()
    assert (plan.start_year, plan.end_year, plan.status) == (2024, 2027, PlanStatus.ADOPTED)
    assert plan.adopted_on == date(2024, 3, 12)
    goal_areas = set(Goal.objects.filter(plan=plan).values_list("area__slug", flat=True))
    assert goal_areas == set(PriorityArea.objects.values_list("slug", flat=True))

    activities = list(Activity.objects.filter(plan=plan))
    assert 15 <= len(activities) <= 18
    today = timezone.localdate()
    assert sum(is_overdue(a.due_date, a.status, today) for a in activities) == 2
    assert len({activity.status for activity in activities}) == 5  # all statuses in use
    assert Activity.objects.filter(parent__isnull=False).count() in (1, 2)
    assert Milestone.objects.filter(is_done=True).exists()
    assert Milestone.objects.filter(is_done=False).exists()
    assert Activity.objects.filter(proposals__isnull=False).distinct().count() >= 14

    # The proposals in the plan got their status through the service.
    in_plan = Proposal.objects.filter(activities__isnull=False).distinct()
    assert in_plan.count() >= 15
    assert set(in_plan.values_list("status", flat=True)) == {ProposalStatus.IN_PLAN}
    assert not in_plan.filter(merged_into__isnull=False).exists()
    # Some live proposals are left for coverage.
    assert Proposal.objects.filter(merged_into__isnull=True, status=ProposalStatus.NEW).exists()

    # Celebrations came from the services: one per done milestone and per done activity.
    assert Celebration.objects.filter(kind=CelebrationKind.MILESTONE_DONE).count() == (
        Milestone.objects.filter(is_done=True).count()
    )
    assert Celebration.objects.filter(kind=CelebrationKind.ACTIVITY_DONE).count() == (
        Activity.objects.filter(status="klar").count()
    )

    grade = Indicator.objects.get(name="Sammanfattande omdöme om företagsklimatet")
    assert (grade.baseline_value, grade.target_value, grade.target_date.year) == (
        Decimal("3.3"),
        Decimal("4.0"),
        2030,
    )
    # This autumn's survey too, so that the demo shows a fresh status beside the stale ones.
    survey = latest_survey_date(timezone.localdate()).year
    assert _values(grade) == [
        (2021, Decimal("3.3")),
        (2023, Decimal("3.4")),
        (survey, Decimal("3.7")),
    ]
    ranking = Indicator.objects.get(name="Placering i Svenskt Näringslivs ranking")
    assert ranking.direction == Direction.LOWER
    assert (ranking.baseline_value, ranking.target_value) == (Decimal("206"), Decimal("1"))
    assert _values(ranking)[:2] == [(2021, Decimal("206")), (2024, Decimal("169"))]
    if survey > 2024:
        assert _values(ranking)[-1] == (survey, Decimal("95"))
    # Fresh values and stale ones: the indicator list shows more than one status.
    statuses = {o.indicator.name: o.status for o in indicator_overviews(today=timezone.localdate())}
    assert statuses["Nöjd kund-index (NKI) för företagsservice"] == "behover_uppdateras"
    assert statuses["Sammanfattande omdöme om företagsklimatet"] != "behover_uppdateras"
    nki = Indicator.objects.get(name__startswith="Nöjd kund-index")
    assert _values(nki) == [(2021, Decimal("77"))]
    assert nki.target_value == Decimal("80")
    nui = Indicator.objects.get(name__startswith="Nöjd upphandlad-index")
    assert _values(nui) == [(2023, Decimal("64"))]
    assert nui.target_value == Decimal("70")
    for indicator in (grade, ranking, nki, nui):
        assert indicator.reporting_interval == 12
        assert indicator.owner is not None
    assert set(nki.goals.values_list("area__slug", flat=True)) == {"service-och-samverkan"}
    assert set(nui.goals.values_list("area__slug", flat=True)) == {"upphandling"}
    assert set(ranking.goals.values_list("area__slug", flat=True)) == {"tillvaxt-och-hallbarhet"}
    # Beside the figures entered by hand, one indicator fetched from Kolada: its recorded values
    # stored as one fetch stores them (the demo does not reach the network), up to last year.
    kolada = Indicator.objects.get(source=IndicatorSource.KOLADA)
    assert kolada.kolada_kpi == "N01004"
    assert {m.source for m in kolada.measurements.all()} == {MeasurementSource.KOLADA}
    assert all(m.fetched_at for m in kolada.measurements.all())
    assert max(m.date for m in kolada.measurements.all()).year == today.year - 1
    fetch = KoladaFetch.objects.get(indicator=kolada)
    assert (fetch.status, fetch.added) == (KoladaFetchStatus.OK, kolada.measurements.count())
    assert {m.source for m in nki.measurements.all()} == {MeasurementSource.HAND}
    assert {m.source for m in ranking.measurements.all()} == {MeasurementSource.HAND}
    assert "Action plan: 1 plan, 6 goals, 5 indicators" in output
    assert "(2 overdue)" in output

    counts = [
        model.objects.count()
        for model in (ActionPlan, Goal, Activity, Milestone, Indicator, Celebration, KoladaFetch)
    ]
    second = _seed()
    assert "Action plan: the demo plan is already present; nothing added." in second
    assert counts == [
        model.objects.count()
        for model in (ActionPlan, Goal, Activity, Milestone, Indicator, Celebration, KoladaFetch)
    ]
