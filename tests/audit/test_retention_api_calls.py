"""Retention covers the API's call log: who called what and when, deleted by a decision of the
information management plan like any record."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from api.models import ApiCall
from audit.models import RetentionDecision
from audit.selectors import RetentionCriteria, retention_candidates
from audit.services import retention_decision_execute
from tests.audit.plan_rules import rule_fields
from tests.confirmations import post_confirmed
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
URL = reverse("audit:retention")


def _call(days_old: int, *, user=None, path="/api/v1/plans/") -> ApiCall:
    return ApiCall.objects.create(
        user=user or UserFactory(username="power-bi"),
        method="GET",
        path=path,
        status_code=200,
        at=timezone.now() - datetime.timedelta(days=days_old),
    )


def test_calls_older_than_the_limit_are_candidates_oldest_first():
    reader = UserFactory(username="rapportlasaren")
    older = _call(900, user=reader)
    old = _call(800, user=reader, path="/api/v1/interviews/")
    _call(30, user=reader)
    found = retention_candidates(RetentionCriteria(scope="api_anrop", older_than_years=2))
    assert [call.pk for call in found] == [older.pk, old.pk]
    narrowed = retention_candidates(
        RetentionCriteria(scope="api_anrop", older_than_years=2, search="INTERVIEWS")
    )
    assert [call.pk for call in narrowed] == [old.pk]


def test_a_decision_deletes_the_chosen_calls_and_nothing_else(administrator):
    reader = UserFactory(username="rapportlasaren")
    old = _call(800, user=reader)
    kept = _call(800, user=reader, path="/api/v1/goals/")
    decision = retention_decision_execute(
        user=administrator,
        criteria=RetentionCriteria(scope="api_anrop", older_than_years=2),
        reference="KS 2026/10",
        reason="Anropsloggen gallras efter två år.",
        record_ids=[old.pk],
    )
    assert not ApiCall.objects.filter(pk=old.pk).exists()
    assert ApiCall.objects.filter(pk=kept.pk).exists()
    assert reader.__class__.objects.filter(pk=reader.pk).exists()  # the caller stays
    assert decision.counts == {"api.apicall": 1}
    assert decision.scope_description.startswith("API:ts anropslogg (raderas)")
    assert "gjorda före" in decision.scope_description


def test_the_retention_page_lists_and_deletes_calls(admin_client):
    old = _call(800, path="/api/v1/measurements/")
    listing = admin_client.post(
        URL, {**rule_fields("api_anrop", 2), "search": "measurements", "show": "1"}
    )
    assert listing.status_code == 200
    html = listing.content.decode()
    assert "GET /api/v1/measurements/" in html and str(old.user) in html
    response = post_confirmed(
        admin_client,
        URL,
        {
            **rule_fields("api_anrop", 2),
            "search": "",
            "reference": "KS 2026/10",
            "reason": "Gallring av anropsloggen.",
            "records": [str(old.pk)],
            "confirm": "on",
        },
    )
    assert response.status_code == 302
    assert not ApiCall.objects.filter(pk=old.pk).exists()
    assert RetentionDecision.objects.get().scope == "api_anrop"
