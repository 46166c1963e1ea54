"""`manage.py seed_scale` at a small size: the proportions of issue 12, history, determinism."""

from __future__ import annotations

import hashlib
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from actionplan.models import Activity, Celebration, Indicator, Measurement, Milestone
from interviews.choices import FindingType, FollowUpStatus
from interviews.models import Company, Contact, Finding, FollowUp, Interview
from interviews.orgnumbers import validate_organisation_number
from interviews.scale import COMMON_WORD, FIRST_DATE, LAST_DATE, RARE_WORDS
from interviews.selectors import interview_text_search
from reports.models import SummarySnapshot
from smeportal.accounts.demo import DEMO_USERS
from smeportal.accounts.models import User
from smeportal.areas.models import PriorityArea
from workshops.models import Proposal, Workshop, WorkshopGroup

# One process runs this module: its module fixture is built once (make test: --dist loadgroup).
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("seed_scale")]

SIZE = 1_000
HISTORY_MODELS = (
    Company,
    Contact,
    Interview,
    Finding,
    FollowUp,
    Workshop,
    Proposal,
    Activity,
    Milestone,
    Indicator,
    Measurement,
)


def _counts() -> dict[str, int]:
    return {
        model._meta.label: model._base_manager.count()
        for model in apps.get_models(include_auto_created=True)
    }


def _seed(size: int, *extra: str) -> str:
    out = StringIO()
    call_command("seed_scale", "--interviews", str(size), *extra, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The demo, then the scale set for 1,000 interviews on top; what each added."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", stdout=StringIO())
        before = _counts()
        output = _seed(SIZE)
        after = _counts()
        added = {label: after[label] - before[label] for label in after}
        yield added, output
        transaction.set_rollback(True)


@pytest.fixture
def scale(seeded, db):
    return seeded[0]


def test_the_volumes_are_those_of_the_issue_scaled_down(scale):
    # At 100,000: 20,000 companies, 600,000 findings, 5,000 follow-ups, 200 workshops of six
    # groups, 5,000 proposals, 20,000 evidence links; activities and indicators have a floor.
    assert scale["interviews.Interview"] == SIZE
    assert scale["interviews.Company"] == SIZE // 5
    assert 1.3 <= scale["interviews.Contact"] / scale["interviews.Company"] <= 1.6
    assert scale["interviews.Finding"] == 6 * SIZE
    assert scale["interviews.FollowUp"] == SIZE // 20
    assert scale["workshops.Workshop"] == SIZE // 500
    assert scale["workshops.WorkshopGroup"] == 6 * scale["workshops.Workshop"]
    assert scale["workshops.Proposal"] == SIZE // 20
    assert 0.9 * SIZE / 5 <= scale["workshops.Proposal_evidence"] <= SIZE / 5
    assert scale["actionplan.ActionPlan"] == 1
    assert scale["actionplan.Goal"] == 6
    assert scale["actionplan.Activity"] == 6  # 500 at 100,000; at least one per area
    assert scale["actionplan.Indicator"] == 4
    assert scale["actionplan.Milestone"] >= scale["actionplan.Activity"]
    assert scale["actionplan.Measurement"] > scale["actionplan.Indicator"]
    assert scale["reports.SummarySnapshot"] == 1


def test_every_object_has_its_created_record_in_the_history(scale):
    for model in HISTORY_MODELS:
        created = set(model.history.filter(history_type="+").values_list("id", flat=True))
        assert set(model._base_manager.values_list("pk", flat=True)) <= created, model
    added_history = scale["interviews.HistoricalInterview"]
    assert added_history >= SIZE  # some were drafts first, then done: one more record each
    assert scale["interviews.HistoricalInterview_interviewers"] >= added_history
    assert scale["workshops.HistoricalProposal_evidence"] == scale["workshops.Proposal_evidence"]


def test_the_proposals_company_counts_are_stored(scale):
    """The links are bulk inserted; the ranking's stored count is filled after them."""
    counted = dict(
        Proposal.objects.annotate(
            counted=Count("evidence__interview__company", distinct=True)
        ).values_list("pk", "counted")
    )
    assert dict(Proposal.objects.values_list("pk", "company_count")) == counted
    assert any(counted.values())


def test_the_records_are_varied_like_a_real_portal(scale):
    assert (
        scale["interviews.Company"] // 20 <= Company.objects.filter(is_personal_data=True).count()
    )
    for number in Company.objects.values_list("organisation_number", flat=True):
        validate_organisation_number(number)
    findings = Finding.all_objects.all()
    assert findings.filter(is_archived=True).exists()
    assert findings.filter(is_confidential=True).exists()
    assert findings.filter(is_key_quote=True).exclude(quote="").exists()
    assert findings.exclude(quote="").count() > findings.count() // 5
    by_area_and_type = set(findings.values_list("area_id", "type").distinct())
    areas = PriorityArea.objects.values_list("pk", flat=True)
    assert by_area_and_type >= {(area, kind) for area in areas for kind in FindingType.values}
    assert Interview.objects.order_by("date").first().date >= FIRST_DATE
    assert Interview.objects.order_by("date").last().date <= LAST_DATE
    assert (LAST_DATE - FIRST_DATE).days > 7 * 365
    assert Interview.objects.filter(notes__contains=RARE_WORDS[0]).count() >= 1
    statuses = set(FollowUp.objects.values_list("status", flat=True))
    assert statuses == set(FollowUpStatus.values)
    overdue = FollowUp.objects.exclude(status=FollowUpStatus.DONE).filter(
        due_date__lt=timezone.localdate()
    )
    assert overdue.exists()
    owners = FollowUp.objects.values_list("owner", flat=True).distinct()
    assert len(owners) >= 10
    assert FollowUp.objects.filter(owner__username="utvecklare").count() > 5
    assert Proposal.objects.filter(merged_into__isnull=False).exists()
    assert Activity.objects.filter(parent__isnull=False).exists()
    assert Activity.objects.filter(proposals__isnull=False).exists()
    assert Celebration.objects.exists()
    assert WorkshopGroup.objects.values("area").distinct().count() == 6


def test_the_search_finds_the_planted_words(scale):
    # On Postgres this reads the stored search documents, built after the bulk load.
    interviews = Interview.objects.all()
    assert interview_text_search(interviews, RARE_WORDS[0]).count() == 1
    assert interview_text_search(interviews, COMMON_WORD).count() > SIZE // 10


def test_the_demo_users_exist_for_the_bench_and_the_dashboard_has_figures(scale):
    assert set(DEMO_USERS) <= set(User.objects.values_list("username", flat=True))
    snapshot = SummarySnapshot.objects.latest()
    assert snapshot.data["totals"]["interviews"] >= SIZE


def test_a_database_holding_more_than_the_demo_is_refused_unless_forced(seeded, db):
    with pytest.raises(CommandError, match="more than the demo"):
        _seed(10)
    with transaction.atomic():
        output = _seed(10, "--force")
        assert "The scale data set is in place." in output
        transaction.set_rollback(True)


def _fingerprint() -> str:
    """The written content, without ids or the clock (follow-ups are due relative to today)."""
    digest = hashlib.sha256()
    columns = {
        Company: ("organisation_number", "name", "industry", "size_class", "district"),
        Interview: ("company__organisation_number", "date", "status", "grade", "consent", "notes"),
        Finding: ("text", "quote", "type", "importance", "is_key_quote", "is_confidential"),
        Proposal: ("title", "votes", "status", "actor"),
    }
    # Ordered by every column shown, so that ties cannot come back in another order.
    rows = [
        model._base_manager.order_by(*fields).values_list(*fields)
        for model, fields in columns.items()
    ]
    for queryset in rows:
        for row in queryset:
            digest.update(repr(row).encode())
    return digest.hexdigest()


def test_the_data_set_is_the_same_on_every_run(db):
    prints = []
    for _run in range(2):
        with transaction.atomic():
            _seed(200, "--force")  # on top of the module's data set, if it is still there
            prints.append(_fingerprint())
            transaction.set_rollback(True)
    assert prints[0] == prints[1]
