"""The staff API with a personal token: what each role reads, the audit log, writing a
measurement, and pages that cost the same at any size."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from actionplan.choices import MeasurementSource
from actionplan.models import Measurement
from api.models import ApiCall
from smeportal.accounts.roles import Role
from tests.factories import FindingFactory, FollowUpFactory, InterviewFactory, UserFactory

from .conftest import SECRETS, bearer

pytestmark = pytest.mark.django_db


def test_a_developer_reads_interviews_with_their_contacts(dialogue, developer, make_token, client):
    secret = make_token(developer)
    response = client.get(reverse("api:interview-list"), **bearer(secret))
    assert response.status_code == 200
    rows = response.json()["results"]
    named = next(row for row in rows if row["company"]["name"] == SECRETS["company"])
    assert named["interviewees"][0]["email"] == SECRETS["email"]
    assert named["notes"] == SECRETS["notes"]
    assert "private" in response["Cache-Control"] and response["ETag"]


def test_a_facilitator_reads_findings_but_no_business_secrets_and_no_interviews(
    dialogue, facilitator, make_token, client
):
    secret = make_token(facilitator)
    assert client.get(reverse("api:interview-list"), **bearer(secret)).status_code == 403
    assert client.get(reverse("api:followup-list"), **bearer(secret)).status_code == 403
    body = client.get(reverse("api:finding-list"), **bearer(secret)).content.decode()
    assert SECRETS["confidential"] not in body
    assert SECRETS["internal_quote"] not in body
    assert SECRETS["contact"] not in body
    rows = client.get(reverse("api:finding-list"), **bearer(secret)).json()["results"]
    assert rows and all(row["interview"] is None for row in rows)


def test_anonymous_callers_get_401_on_staff_data(client, dialogue):
    response = client.get(reverse("api:interview-list"))
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_every_call_is_logged_without_its_query_string(dialogue, developer, make_token, client):
    secret = make_token(developer)
    client.get(reverse("api:interview-list"), {"q": "Greta Hemligsson"}, **bearer(secret))
    client.get(reverse("api:followup-list"), **bearer(secret))
    calls = list(ApiCall.objects.order_by("pk").values("path", "status_code", "user_id", "token"))
    assert [call["path"] for call in calls] == ["/api/v1/interviews/", "/api/v1/followups/"]
    assert all(call["user_id"] == developer.pk and call["token"] for call in calls)
    assert "Greta" not in str(calls)


def test_a_token_reports_a_measurement(dialogue, developer, make_token, client):
    secret = make_token(developer)
    response = client.post(
        reverse("api:measurement-list"),
        {"indicator": dialogue.indicator.pk, "date": "2025-06-01", "value": "3.6"},
        content_type="application/json",
        **bearer(secret),
    )
    assert response.status_code == 201, response.content
    measurement = Measurement.objects.get(pk=response.json()["id"])
    assert measurement.value == Decimal("3.6")
    assert measurement.source == MeasurementSource.API
    assert measurement.created_by == developer


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"date": "2025-06-01", "value": "x"}, "Ett giltigt nummer krävs."),
        ({"date": "2099-01-01", "value": "1"}, "framtiden"),
        ({"date": "2024-06-01", "value": "1"}, "finns redan"),
        ({"date": "inte ett datum", "value": "1"}, "Datumet har fel format"),
    ],
)
def test_bad_measurements_are_refused_in_swedish(
    dialogue, developer, make_token, client, data, message
):
    secret = make_token(developer)
    before = Measurement.objects.count()
    response = client.post(
        reverse("api:measurement-list"),
        {"indicator": dialogue.indicator.pk, **data},
        content_type="application/json",
        **bearer(secret),
    )
    assert response.status_code == 400, response.content
    assert message in response.content.decode()
    assert Measurement.objects.count() == before


def test_a_council_token_may_not_write(dialogue, developer, make_token, client):
    secret = make_token(developer, role=Role.COUNCIL)
    response = client.post(
        reverse("api:measurement-list"),
        {"indicator": dialogue.indicator.pk, "date": "2025-06-01", "value": "1"},
        content_type="application/json",
        **bearer(secret),
    )
    assert response.status_code == 403
    assert not Measurement.objects.filter(date=datetime.date(2025, 6, 1)).exists()


def _grow(times: int) -> None:
    owner = UserFactory()
    for _ in range(times):
        interview = InterviewFactory(interviewers=[owner])
        FindingFactory.create_batch(2, interview=interview)
        FollowUpFactory(interview=interview, owner=owner)


@pytest.mark.parametrize(
    "name", ["api:interview-list", "api:finding-list", "api:followup-list", "api:proposal-list"]
)
def test_a_page_costs_the_same_at_two_sizes(name, developer, make_token, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    secret = make_token(developer)
    client.get(reverse(name), **bearer(secret))  # the token's first use notes when it was used
    counts = []
    for size in (2, 12):
        _grow(size)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse(name), {"page_size": 5}, **bearer(secret))
        assert response.status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]


def test_cursor_pages_do_not_repeat_rows(developer, make_token, client):
    _grow(7)
    secret = make_token(developer)
    seen = []
    url = reverse("api:finding-list") + "?page_size=4"
    while url:
        body = client.get(url, **bearer(secret)).json()
        seen += [row["id"] for row in body["results"]]
        url = body["next"]
    assert len(seen) == len(set(seen)) == 14


def test_administrators_read_the_calls_in_the_audit_trail(
    dialogue, developer, make_token, client, admin_client, developer_client
):
    secret = make_token(developer)
    for _ in range(3):
        client.get(reverse("api:interview-list"), {"q": "Greta"}, **bearer(secret))
    page = admin_client.get(reverse("audit:api_calls"))
    assert page.status_code == 200
    text = page.content.decode()
    assert text.count("/api/v1/interviews/") == 3
    assert "Greta" not in text
    assert developer_client.get(reverse("audit:api_calls")).status_code == 403


def test_the_calls_page_costs_the_same_however_long_the_log(
    developer, make_token, client, admin_client
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    secret = make_token(developer)
    counts = []
    for calls in (2, 60):
        for _ in range(calls):
            client.get(reverse("api:plan-list"), **bearer(secret))
        with CaptureQueriesContext(connection) as captured:
            page = admin_client.get(reverse("audit:api_calls"))
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]
    assert "fore=" in page.content.decode()
