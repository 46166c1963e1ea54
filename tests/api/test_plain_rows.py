"""The staff lists answered from plain values (api.rows) give the bytes their serializers give:
every page, for every role that may read them, in each order and through the cursor pages."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from rest_framework.generics import GenericAPIView
from rest_framework.mixins import ListModelMixin

from api.views import staff
from interviews.models import Interview
from public_site.published import activities_progress
from smeportal.accounts.roles import Role
from smeportal.areas.models import PriorityArea
from tests.factories import (
    ActivityFactory,
    ContactFactory,
    FindingFactory,
    InterviewFactory,
    MilestoneFactory,
    ProposalFactory,
    UserFactory,
)

from .conftest import bearer

pytestmark = pytest.mark.django_db

ROLES = [Role.DEVELOPER, Role.ADMINISTRATOR, Role.FACILITATOR, Role.COUNCIL]
LISTS = {
    "api:interview-list": staff.InterviewViewSet,
    "api:finding-list": staff.FindingViewSet,
    "api:workshop-list": staff.WorkshopViewSet,
    "api:proposal-list": staff.ProposalViewSet,
    "api:activity-list": staff.ActivityViewSet,
}


def _activities_with_progress(self, queryset):
    """The serializer's page of activities, with their progress (as the list set it)."""
    page = GenericAPIView.paginate_queryset(self, queryset)
    progress = activities_progress(page or [])
    for activity in page or []:
        activity.progress = progress[activity.pk]
    return page


DAY = datetime.timedelta(days=1)
QUERIES = [
    {},
    {"page_size": 2},
    {"ordering": "date", "page_size": 3},
    {"ordering": "-date", "lang": "en"},
    {"status": "klar", "q": "lokaler"},
]


@pytest.fixture
def more(dialogue):
    """Rows that differ where a row can: users named alike, empty values, a late hour."""
    # Contacts named alike have no order of their own: the serializer's prefetch names none.
    company_contacts = [ContactFactory(name="Örjan Öst"), ContactFactory(name="Anna Andersson")]
    twins = [UserFactory(first_name="Sam", last_name="Ek", username=f"sam{n}") for n in (2, 1)]
    for number in range(3):
        interview = InterviewFactory(
            interviewers=[*twins, UserFactory(first_name="", last_name="")],
            grade=None if number else 4,
            duration_minutes=None if number == 1 else 45,
            notes="" if number == 2 else "Rad ett\nrad två <b>&</b>",
        )
        interview.interviewees.set(company_contacts)
        FindingFactory.create_batch(number, interview=interview)
    evidence = FindingFactory.create_batch(3)
    dialogue.proposal.evidence.set(evidence)
    ProposalFactory(merged_into=dialogue.proposal, effect=3, effort=1, company_count=2)
    areas = list(PriorityArea.objects.order_by("-order")[:2])
    child = ActivityFactory(
        plan=dialogue.activity.plan,
        parent=dialogue.activity,
        goal=dialogue.goal,
        areas=areas,
        start_date=None,
        business_owner="Företagarna",
    )
    child.proposals.set([dialogue.hidden_proposal, dialogue.proposal])
    MilestoneFactory(activity=child, is_done=True)
    MilestoneFactory(activity=child)
    late = datetime.datetime(2026, 3, 29, 23, 30, tzinfo=datetime.UTC)  # the 30th in Sweden
    late_ones = InterviewFactory.create_batch(2)
    Interview.objects.filter(pk__in=[one.pk for one in late_ones]).update(created_at=late)
    # A list ordered by date alone has no order among interviews of one day: none share one.
    for number, pk in enumerate(Interview.objects.order_by("pk").values_list("pk", flat=True)):
        Interview.objects.filter(pk=pk).update(date=datetime.date(2026, 3, 29) - (number * DAY))
    return dialogue


def _pages(client, name: str, query: dict, secret: str) -> list[tuple[int, bytes]]:
    answers = []
    url, params = reverse(name), query
    while url and len(answers) < 10:
        response = client.get(url, params, **bearer(secret))
        answers.append((response.status_code, response.content))
        url = response.json().get("next") if response.status_code == 200 else None
        params = {}
    return answers


def _first_difference(plain, serialized) -> str:
    for (_status, one), (_other_status, other) in zip(plain, serialized, strict=False):
        if one != other:
            at = next(
                (n for n, (a, b) in enumerate(zip(one, other, strict=False)) if a != b),
                min(len(one), len(other)),
            )
            return f"{one[max(at - 120, 0) : at + 300]!r} != {other[max(at - 120, 0) : at + 300]!r}"
    return f"{len(plain)} != {len(serialized)} pages"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", LISTS)
def test_the_plain_rows_are_the_serializers_rows(more, make_token, client, monkeypatch, role, name):
    user = UserFactory(role=role)
    secret = make_token(user)
    answered = set()
    for query in QUERIES:
        plain = _pages(client, name, query, secret)
        with monkeypatch.context() as patched:
            patched.setattr(LISTS[name], "list", ListModelMixin.list)
            if LISTS[name] is staff.ActivityViewSet:
                patched.setattr(LISTS[name], "paginate_queryset", _activities_with_progress)
            serialized = _pages(client, name, query, secret)
        assert plain == serialized, (role, query, _first_difference(plain, serialized))
        answered.update(status for status, _body in plain)
    # Each list is read (200) or refused whole (403) to the role; a bad filter gets a 400.
    assert answered in ({200}, {200, 400}, {403})
