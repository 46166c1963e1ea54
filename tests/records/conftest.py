"""A request for one company's interviews: a confidential finding, a contact, a plain finding."""

from __future__ import annotations

import datetime

import pytest

from records.models import CoveredItem
from records.services import covered_item_add, record_request_create
from tests.factories import (
    CompanyFactory,
    ContactFactory,
    FindingFactory,
    InterviewFactory,
)

SECRET = "Hemlig expansionsplan i Torshälla"
CONTACT_NAME = "Gunborg Åkesson"
CONTACT_EMAIL = "gunborg@hallby.invalid"
CONTACT_PHONE = "016-123 45 67"
PUBLIC_TEXT = "Bygglovet tar för lång tid för oss"


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def company_interview(db):
    company = CompanyFactory(name="Hällby Åkeri AB")
    contact = ContactFactory(
        company=company, name=CONTACT_NAME, email=CONTACT_EMAIL, phone=CONTACT_PHONE, role="VD"
    )
    interview = InterviewFactory(company=company, date=datetime.date(2026, 10, 2))
    interview.interviewees.add(contact)
    FindingFactory(interview=interview, text=PUBLIC_TEXT)
    FindingFactory(
        interview=interview, text=SECRET, quote="Vi bygger ut i hemlighet", is_confidential=True
    )
    return interview


@pytest.fixture
def record_request(registrar):
    return record_request_create(
        received_on=datetime.date(2026, 11, 2),
        channel="e-post",
        description="Alla intervjuer med Hällby Åkeri AB",
        handler=registrar,
        user=registrar,
    )


@pytest.fixture
def covered(record_request, company_interview, registrar):
    return covered_item_add(
        record_request=record_request,
        kind=CoveredItem.Kind.COMPANY_INTERVIEWS,
        target_id=company_interview.company_id,
        label="Alla intervjuer med Hällby Åkeri AB",
        user=registrar,
    )
