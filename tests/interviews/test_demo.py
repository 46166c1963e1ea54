from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count

from interviews.choices import FollowUpStatus
from interviews.demo import demo_interviews_generate
from interviews.models import Company, Contact, Finding, FollowUp, Interview
from interviews.orgnumbers import parse_organisation_number
from interviews.postcodes import POSTCODE
from smeportal.areas.models import PriorityArea


def _seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def _counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count() for model in (Company, Contact, Interview, Finding, FollowUp)
    )


def _snapshot() -> list[tuple]:
    """What a user would see of the demo data, without database ids or creation times."""
    interviews = [
        (
            interview.company.organisation_number,
            interview.company.name,
            interview.date,
            interview.grade,
            interview.notes,
            tuple(
                (finding.area.slug, finding.type, finding.text, finding.quote)
                for finding in interview.findings.order_by("pk")
            ),
            tuple(interview.follow_ups.values_list("title", "due_date", "status")),
        )
        for interview in Interview.objects.select_related("company").order_by("date", "pk")
    ]
    contacts = list(
        Contact.objects.order_by("name").values_list("name", "email", "phone", "language")
    )
    addresses = list(
        Company.objects.order_by("organisation_number").values_list(
            "postal_address", "postal_code", "postal_town"
        )
    )
    return [*interviews, *contacts, *addresses]


@pytest.fixture
def demo_password(monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "eskilstuna-demo-2030")


@pytest.mark.django_db
def test_seed_demo_adds_sixty_coded_interviews(demo_password):
    output = _seed()

    assert Interview.objects.count() == 60
    finding_counts = Interview.objects.annotate(n=Count("findings")).values_list("n", flat=True)
    assert all(3 <= n <= 10 for n in finding_counts)
    summary = f"Interviews: 60 interviews, {Finding.objects.count()} findings, 12 follow-ups."
    assert summary in output
    used_areas = set(Finding.objects.values_list("area__slug", flat=True).distinct())
    assert used_areas == set(PriorityArea.objects.values_list("slug", flat=True))
    assert Finding.objects.exclude(quote="").count() > Finding.objects.count() / 4
    assert Finding.objects.filter(is_confidential=True).exists()
    grades = list(Interview.objects.values_list("grade", flat=True))
    assert 3.3 <= sum(grades) / len(grades) <= 3.5

    for company in Company.objects.all():
        parsed = parse_organisation_number(company.organisation_number)
        assert parsed.formatted == company.organisation_number
        assert parsed.is_personal_identity_number == company.is_personal_data
    assert 3 <= Company.objects.filter(is_personal_data=True).count() <= 4
    assert Company.objects.values("industry").distinct().count() >= 10
    # Every company can be sent a letter by post; a couple of contacts read them in English.
    for company in Company.objects.all():
        assert company.has_postal_address and POSTCODE.fullmatch(company.postal_code)
        assert company.postal_code[:2] in {"63", "64"}  # Eskilstuna's, and Torshälla's
    assert Contact.objects.filter(language="en").count() == 2

    follow_ups = list(FollowUp.objects.all())
    assert len(follow_ups) >= 12
    assert sum(follow_up.is_overdue() for follow_up in follow_ups) >= 3
    assert {follow_up.status for follow_up in follow_ups} == set(FollowUpStatus.values)


@pytest.mark.django_db
def test_seed_demo_is_idempotent_and_repeatable(demo_password):
    _seed()
    counts, first = _counts(), _snapshot()

    output = _seed()

    assert "nothing added" in output
    assert _counts() == counts

    # On a fresh database the same records come back.
    FollowUp.objects.all().delete()
    Finding.objects.all().delete()
    Interview.objects.all().delete()
    Contact.objects.all().delete()
    Company.objects.all().delete()
    _seed()
    assert _snapshot() == first


def test_generated_data_depends_only_on_the_day():
    today = date(2026, 11, 29)
    assert demo_interviews_generate(today=today) == demo_interviews_generate(today=today)
