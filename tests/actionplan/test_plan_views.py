"""The action plan overview and the forms for plans and goals."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext

from actionplan.choices import ActivityStatus, PlanStatus
from actionplan.models import ActionPlan, Goal
from smeportal.accounts.roles import Role
from smeportal.areas.models import PriorityArea
from tests.factories import (
    ActionPlanFactory,
    ActivityFactory,
    GoalFactory,
    IndicatorFactory,
    MilestoneFactory,
    UserFactory,
)

OVERVIEW = reverse("actionplan:plan_overview")


def sv(text: str) -> str:
    with translation.override("sv"):
        return gettext(text)


@pytest.fixture
def areas(db):
    return {area.slug: area for area in PriorityArea.objects.all()}


@pytest.fixture
def plan(db):
    return ActionPlanFactory(
        title="Handlingsplan för företagsklimatet", status=PlanStatus.ADOPTED,
        adopted_on=date(2024, 3, 12),
    )  # fmt: skip


@pytest.fixture
def contact(db):
    return UserFactory(username="kontakten", first_name="Karin", last_name="Kontaktsson",
                       role=Role.DEVELOPER)  # fmt: skip


@pytest.fixture
def activities(plan, areas, contact):
    today = timezone.localdate()
    return {
        "overdue": ActivityFactory(
            plan=plan, title="Bygglovslots för små företag", areas=[areas["service-och-samverkan"]],
            status=ActivityStatus.ONGOING, due_date=today - timedelta(days=3),
            start_date=today - timedelta(days=100), contact_user=contact,
            party_name="Bygglovsenheten",
        ),
        "planned": ActivityFactory(
            plan=plan, title="Praktikplatsbank", areas=[areas["kompetensforsorjning"]],
            status=ActivityStatus.PLANNED, manual_progress=30,
            due_date=today + timedelta(days=90), party_name="Utbildningsförvaltningen",
        ),
    }  # fmt: skip


# --- Overview ---------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("role_client", list(Role), indirect=True)
def test_every_role_reads_the_overview(role_client, activities):
    response = role_client.get(OVERVIEW)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Handlingsplan för företagsklimatet 2024–2027" in body
    assert "Bygglovslots för små företag" in body
    assert "2024-03-12" in body


def test_overview_without_a_plan_says_so_and_offers_editors_a_new_one(developer_client):
    response = developer_client.get(OVERVIEW)
    assert response.status_code == 200
    body = response.content.decode()
    assert sv("There is no action plan yet.") in body
    assert reverse("actionplan:plan_create") in body


def test_overview_without_a_plan_offers_the_council_nothing_to_create(council_client):
    body = council_client.get(OVERVIEW).content.decode()
    assert sv("There is no action plan yet.") in body
    assert reverse("actionplan:plan_create") not in body


def test_overview_shows_status_progress_and_overdue_in_text(developer_client, activities):
    MilestoneFactory(activity=activities["overdue"], is_done=True)
    MilestoneFactory(activity=activities["overdue"], is_done=False)
    body = developer_client.get(OVERVIEW).content.decode()
    assert sv("Overdue") in body
    assert str(ActivityStatus.ONGOING.label) in body or "Pågår" in body
    assert "50 %" in body  # rolled up from 1 of 2 milestones
    assert "30 %" in body  # set by hand
    assert '<progress class="activity-progress-bar" value="50" max="100"' in body
    with translation.override("sv"):
        assert (
            ngettext(
                "%(done)s of %(counter)s milestone done",
                "%(done)s of %(counter)s milestones done",
                2,
            )
            % {"done": 1, "counter": 2}
            in body
        )
        assert gettext("set by hand") in body
        assert ngettext("%(counter)s activity is overdue.", "%(counter)s activities are overdue.",
                        1) % {"counter": 1} in body  # fmt: skip


def test_overview_shows_contact_users_to_staff_only(
    developer_client, facilitator_client, council_client, activities
):
    assert "Karin Kontaktsson" in developer_client.get(OVERVIEW).content.decode()
    assert "Karin Kontaktsson" in facilitator_client.get(OVERVIEW).content.decode()
    council_body = council_client.get(OVERVIEW).content.decode()
    assert "Karin Kontaktsson" not in council_body
    assert "kontakten@example.invalid" not in council_body
    assert "Bygglovsenheten" in council_body  # the responsible party instead


def test_editor_links_for_editors_only(developer_client, council_client, facilitator_client, plan):
    links = [
        reverse("actionplan:plan_update", args=[plan.pk]),
        reverse("actionplan:goal_create"),
        reverse("actionplan:activity_create"),
        reverse("actionplan:activity_from_proposals"),
    ]
    body = developer_client.get(OVERVIEW).content.decode()
    assert all(link in body for link in links)
    for client in (council_client, facilitator_client):
        body = client.get(OVERVIEW).content.decode()
        assert not any(link in body for link in links)
        assert reverse("actionplan:coverage") in body
        assert reverse("actionplan:celebration_list") in body
        assert reverse("actionplan:indicator_list") in body


def test_goals_are_shown_per_area_with_their_indicators(developer_client, plan, areas):
    indicator = IndicatorFactory(name="Nöjd kund-index")
    goal = GoalFactory(plan=plan, area=areas["service-och-samverkan"], title="Snabbare lov")
    goal.indicators.add(indicator)
    body = developer_client.get(OVERVIEW).content.decode()
    assert "Snabbare lov" in body
    assert "3. Service till företag" in body
    assert reverse("actionplan:indicator_detail", args=[indicator.pk]) in body
    assert "Nöjd kund-index" in body


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ("status=planerad", "Praktikplatsbank", "Bygglovslots"),
        ("overdue=on", "Bygglovslots", "Praktikplatsbank"),
    ],
)
def test_filters_by_status_and_overdue(developer_client, activities, query, shown, hidden):
    response = developer_client.get(f"{OVERVIEW}?{query}")
    assert response.status_code == 200
    body = response.content.decode()
    assert shown in body
    assert hidden not in body


def test_filter_by_area(developer_client, activities, areas):
    body = developer_client.get(
        f"{OVERVIEW}?area={areas['kompetensforsorjning'].pk}"
    ).content.decode()
    assert "Praktikplatsbank" in body
    assert "Bygglovslots" not in body


@pytest.mark.parametrize("query", ["area=99999", "area=abc", "status=okand"])
def test_bad_filter_is_a_400_with_the_error(developer_client, activities, query):
    response = developer_client.get(f"{OVERVIEW}?{query}")
    assert response.status_code == 400
    assert 'id="form-errors"' in response.content.decode()


def test_current_plan_is_the_latest_adopted(developer_client, plan):
    ActionPlanFactory(title="Utkast till nästa plan", start_year=2028, end_year=2031,
                      status=PlanStatus.DRAFT, adopted_on=None)  # fmt: skip
    body = developer_client.get(OVERVIEW).content.decode()
    assert "<h1" in body and "Handlingsplan för företagsklimatet 2024–2027</h1>" in body


def test_latest_plan_when_none_is_adopted(developer_client):
    ActionPlanFactory(title="Äldre utkast", start_year=2020, end_year=2023, status="utkast",
                      adopted_on=None)  # fmt: skip
    ActionPlanFactory(title="Nytt utkast", start_year=2028, end_year=2031, status="utkast",
                      adopted_on=None)  # fmt: skip
    assert "Nytt utkast 2028–2031</h1>" in developer_client.get(OVERVIEW).content.decode()


def test_another_plan_by_id_and_unknown_ids(developer_client, plan):
    other = ActionPlanFactory(title="Gammal plan", start_year=2019, end_year=2022)
    assert (
        "Gammal plan 2019–2022</h1>"
        in developer_client.get(f"{OVERVIEW}?plan={other.pk}").content.decode()
    )
    assert developer_client.get(f"{OVERVIEW}?plan=99999").status_code == 404
    assert developer_client.get(f"{OVERVIEW}?plan=abc").status_code == 404


def _count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _add_activities(plan, areas, count: int):
    area_list = list(areas.values())
    for number in range(count):
        activity = ActivityFactory(
            plan=plan, areas=area_list[number % 3 : number % 3 + 2],
            contact_user=UserFactory(role=Role.DEVELOPER), goal=GoalFactory(plan=plan),
        )  # fmt: skip
        MilestoneFactory(activity=activity, is_done=number % 2 == 0)
        MilestoneFactory(activity=activity)
        if number % 4 == 0:
            ActivityFactory(plan=plan, parent=activity, status=ActivityStatus.DONE)


def test_overview_runs_a_constant_number_of_queries(developer_client, plan, areas):
    _add_activities(plan, areas, 2)
    small = _count_queries(developer_client, OVERVIEW)
    _add_activities(plan, areas, 18)
    large = _count_queries(developer_client, OVERVIEW)
    assert large == small
    assert small <= 17  # the activities come a page at a time: the page, its count, the totals


def test_activities_come_a_page_at_a_time_and_the_links_keep_the_filter(
    developer_client, plan, areas
):
    from actionplan.views.plans import PAGE_SIZE

    skills = areas["kompetensforsorjning"]
    for number in range(PAGE_SIZE + 2):
        ActivityFactory(plan=plan, areas=[skills], title=f"Aktivitet {number:03}")
    ActivityFactory(plan=plan, areas=[areas["upphandling"]], title="Annat område")
    query = {"plan": plan.pk, "area": skills.pk}
    first = developer_client.get(OVERVIEW, query)
    assert len(first.context["activities"]) == PAGE_SIZE
    body = first.content.decode()
    assert f'href="?plan={plan.pk}&amp;area={skills.pk}&amp;page=2"' in body
    with translation.override("sv"):
        assert (
            ngettext(
                "Showing %(shown)s of %(counter)s activity.",
                "Showing %(shown)s of %(counter)s activities.",
                PAGE_SIZE + 3,
            )
            % {"shown": PAGE_SIZE + 2, "counter": PAGE_SIZE + 3}
            in body
        )
    second = developer_client.get(OVERVIEW, {**query, "page": 2})
    assert [a.title for a in second.context["activities"]] == [
        f"Aktivitet {number:03}" for number in (PAGE_SIZE, PAGE_SIZE + 1)
    ]


# --- Plan form --------------------------------------------------------------------------------

PLAN_DATA = {
    "title": "Handlingsplan 2028–2031",
    "start_year": "2028",
    "end_year": "2031",
    "status": "antagen",
    "adopted_on": "2028-02-14",
}


def test_developer_creates_a_plan(developer_client):
    response = developer_client.post(reverse("actionplan:plan_create"), PLAN_DATA)
    plan = ActionPlan.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{OVERVIEW}?plan={plan.pk}"
    assert plan.adopted_on == date(2028, 2, 14)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"adopted_on": ""}, "adopted_on"),  # adopted without a date
        ({"end_year": "2027"}, "end_year"),  # ends before it starts
        ({"start_year": "-5"}, "start_year"),
        ({"title": "x" * 201}, "title"),
        ({"status": "okand"}, "status"),
    ],
)
def test_bad_plan_is_a_400_and_nothing_is_saved(developer_client, changes, field):
    response = developer_client.post(reverse("actionplan:plan_create"), {**PLAN_DATA, **changes})
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert 'id="form-errors"' in response.content.decode()
    assert not ActionPlan.objects.exists()


def test_admin_updates_a_plan(admin_client, plan):
    url = reverse("actionplan:plan_update", args=[plan.pk])
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(url, {**PLAN_DATA, "title": "Reviderad plan"})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.title == "Reviderad plan"


def test_unknown_plan_is_404(developer_client):
    assert developer_client.get(reverse("actionplan:plan_update", args=[99999])).status_code == 404


@pytest.mark.parametrize("client_name", ["council_client", "facilitator_client"])
def test_readers_cannot_write_plans_or_goals(request, client_name, plan):
    client = request.getfixturevalue(client_name)
    goal = GoalFactory(plan=plan)
    for url in (
        reverse("actionplan:plan_create"),
        reverse("actionplan:plan_update", args=[plan.pk]),
        reverse("actionplan:goal_create"),
        reverse("actionplan:goal_update", args=[goal.pk]),
    ):
        assert client.get(url).status_code == 403
        assert client.post(url, PLAN_DATA).status_code == 403
    plan.refresh_from_db()
    assert plan.title == "Handlingsplan för företagsklimatet"


# --- Goal form --------------------------------------------------------------------------------


def test_developer_creates_a_goal_with_indicators(developer_client, plan, areas):
    first, second = IndicatorFactory(), IndicatorFactory()
    url = reverse("actionplan:goal_create")
    page = developer_client.get(f"{url}?plan={plan.pk}&area={areas['upphandling'].pk}")
    assert page.status_code == 200
    assert page.context["form"].initial["area"] == areas["upphandling"].pk
    response = developer_client.post(
        url,
        {
            "plan": plan.pk,
            "area": areas["upphandling"].pk,
            "title": "Fler lokala anbud",
            "description": "Små företag lämnar anbud.",
            "indicators": [first.pk, second.pk],
        },
    )
    assert response.status_code == 302
    goal = Goal.objects.get()
    assert set(goal.indicators.all()) == {first, second}
    assert goal.area == areas["upphandling"]


def test_bad_goal_is_a_400(developer_client, plan):
    response = developer_client.post(
        reverse("actionplan:goal_create"),
        {"plan": plan.pk, "area": 99999, "title": "", "indicators": [99999]},
    )
    assert response.status_code == 400
    assert {"area", "title", "indicators"} <= set(response.context["form"].errors)
    assert not Goal.objects.exists()


def test_developer_updates_a_goal(developer_client, plan, areas):
    goal = GoalFactory(plan=plan, area=areas["upphandling"])
    response = developer_client.post(
        reverse("actionplan:goal_update", args=[goal.pk]),
        {"plan": plan.pk, "area": areas["upphandling"].pk, "title": "Nytt mål", "indicators": []},
    )
    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.title == "Nytt mål"
    assert developer_client.get(reverse("actionplan:goal_update", args=[99999])).status_code == 404
