"""Creating many interviews at once (the Excel import's commit): bounded queries, history kept."""

from __future__ import annotations

import math
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from interviews.models import Company, Finding, Interview
from interviews.services import NewInterview, interviews_create_many
from smeportal.areas.models import PriorityArea
from tests.factories import CompanyFactory, PriorityAreaFactory, _valid_orgnr

SOLE_TRADER = "19811218-9876"


def _new_company(number: int) -> Company:
    return Company(
        name=f"Nytt bolag {number} AB",
        organisation_number=_valid_orgnr(5569000000 + number * 10),
        industry="C",
        size_class="10-49",
        district="centrum",
    )


def _finding(area: PriorityArea, text: str = "Svårt att hitta svetsare.") -> dict:
    return {
        "area": area,
        "type": "utmaning",
        "text": text,
        "importance": 2,
        "quote": "",
        "is_key_quote": False,
        "is_confidential": False,
    }


def _fields(**changes) -> dict:
    return {
        "date": date(2025, 3, 14),
        "format": "besok",
        "duration_minutes": 60,
        "status": "klar",
        "grade": 4,
        "consent": "anonymt",
        "notes": "Samtal om kompetens.",
        **changes,
    }


def _batch(count: int, *, first: int = 0) -> list[NewInterview]:
    area = PriorityArea.objects.order_by("order").first()
    return [
        NewInterview(
            company=_new_company(first + n),
            fields=_fields(),
            findings=[_finding(area), _finding(area, "Bra dialog.")],
        )
        for n in range(count)
    ]


def _history_models():
    m2m = Interview.history.model.interviewers.model
    return (
        Company.history.model,
        Interview.history.model,
        m2m,
        Finding.history.model,
    )


def _counts() -> tuple[int, ...]:
    models = (Company, Interview, Interview.interviewers.through, *_history_models())
    return (Finding.all_objects.count(), *(model._default_manager.count() for model in models))


@pytest.mark.django_db
def test_companies_interviews_and_findings_are_created_with_their_history(developer):
    area = PriorityArea.objects.get(slug="kompetensforsorjning")
    existing = CompanyFactory()
    sole_trader = Company(
        name="Anna Svensson Frisör",
        organisation_number=SOLE_TRADER,
        industry="S",
        size_class="1-9",
        district="centrum",
    )
    batch = [
        NewInterview(company=existing, fields=_fields(), findings=[_finding(area)] * 2),
        NewInterview(company=sole_trader, fields=_fields(grade=None, status="utkast"), findings=[]),
    ]

    result = interviews_create_many(user=developer, interviews=batch)

    assert result.companies_created == 1
    first, second = result.interviews
    assert first.company == existing
    assert second.company.organisation_number == "811218-9876"
    assert second.company.is_personal_data is True
    for interview in (first, second):
        interview.refresh_from_db()
        assert interview.created_by == developer
        assert list(interview.interviewers.all()) == [developer]
        assert interview.version == 1
    assert first.findings.count() == 2 and second.findings.count() == 0

    # The audit trail: one "created" record per object, naming the user who imported it.
    company_records = Company.history.filter(id=second.company.pk)
    assert [(r.history_type, r.history_user) for r in company_records] == [("+", developer)]
    for interview in (first, second):
        [record] = Interview.history.filter(id=interview.pk)
        assert (record.history_type, record.history_user) == ("+", developer)
        # ...holding the interviewers as they were when it was created.
        linked = Interview.history.model.interviewers.model.objects.filter(history=record)
        assert [(link.interview_id, link.user_id) for link in linked] == [
            (interview.pk, developer.pk)
        ]
    finding_records = Finding.history.filter(interview_id=first.pk)
    assert sorted(r.history_type for r in finding_records) == ["+", "+"]
    assert {r.history_user for r in finding_records} == {developer}


def _insert_statements(model, count: int) -> int:
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    size = max(connection.ops.bulk_batch_size(fields, [None] * count), 1)
    return math.ceil(count / size)


def _queries(user, count: int, first: int) -> int:
    batch = _batch(count, first=first)
    with CaptureQueriesContext(connection) as captured:
        interviews_create_many(user=user, interviews=batch)
    return len(captured)


@pytest.mark.django_db
def test_the_queries_do_not_grow_with_the_number_of_interviews(developer):
    small = _queries(developer, 5, first=0)
    large = _queries(developer, 300, first=1_000)

    # Each interview has a new company and two findings. SQLite splits an INSERT of many rows
    # into batches; on Postgres the extra is 0 and the counts are equal. The companies' and
    # findings' history is one INSERT ... SELECT at any size.
    rows_per_model = {
        Company: 1,
        Interview: 1,
        Interview.interviewers.through: 1,
        Interview.history.model: 1,
        Interview.history.model.interviewers.model: 1,
        Finding: 2,
    }
    extra = sum(
        _insert_statements(model, 300 * per) - _insert_statements(model, 5 * per)
        for model, per in rows_per_model.items()
    )
    assert large == small + extra
    assert small <= 20  # one by one, five interviews took over 100


@pytest.mark.django_db
def test_a_company_saved_meanwhile_by_a_colleague_is_used(developer):
    [new] = _batch(1)
    colleagues = CompanyFactory(organisation_number=new.company.organisation_number)

    result = interviews_create_many(user=developer, interviews=[new])

    assert result.companies_created == 0
    assert result.interviews[0].company == colleagues
    assert Company.objects.count() == 1


@pytest.mark.django_db
def test_the_same_new_company_in_two_interviews_is_created_once(developer):
    first, second = _batch(2)
    second.company = _new_company(0)  # another object with the same number

    result = interviews_create_many(user=developer, interviews=[first, second])

    assert result.companies_created == 1
    assert result.interviews[0].company == result.interviews[1].company


@pytest.mark.django_db
def test_an_invalid_value_anywhere_writes_nothing(developer):
    batch = _batch(20)
    batch[-1].findings.append({**batch[0].findings[0], "type": "okand"})
    before = _counts()

    with pytest.raises(ValidationError) as refusal:
        interviews_create_many(user=developer, interviews=batch)

    assert "type" in refusal.value.message_dict
    assert _counts() == before


@pytest.mark.django_db
def test_an_area_removed_since_the_preview_writes_nothing(developer):
    area = PriorityAreaFactory()
    batch = _batch(3)
    batch[-1].findings.append(_finding(area))
    area.delete()
    before = _counts()

    with pytest.raises(ValidationError) as refusal:
        interviews_create_many(user=developer, interviews=batch)

    assert "area" in refusal.value.message_dict
    assert _counts() == before
