"""Users, a plan and interviews for the archive app's tests."""

from __future__ import annotations

import datetime

import pytest

from archive.demo import seed_plan
from tests.factories import (
    ContactFactory,
    FindingFactory,
    FollowUpFactory,
    InterviewFactory,
)


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def plan(db):
    """The demo's information management plan."""
    seed_plan()


@pytest.fixture
def interviews_2025(db):
    """Three interviews of 2025 (one with a contact, a finding with a formula-like text, an
    archived finding and a follow-up) and one of 2026, which a 2025 package leaves out."""
    first = InterviewFactory(date=datetime.date(2025, 3, 4))
    contact = ContactFactory(company=first.company, name="Gunborg Åkesson")
    first.interviewees.add(contact)
    FindingFactory(interview=first, text='=HYPERLINK("http://example.invalid")')
    FindingFactory(interview=first, text="Bygglovet tar för lång tid", quote="Åtta månader!")
    FollowUpFactory(interview=first)
    second = InterviewFactory(date=datetime.date(2025, 9, 10))
    FindingFactory(interview=second, text="Kompetensförsörjningen är svår")
    third = InterviewFactory(date=datetime.date(2025, 12, 31))
    later = InterviewFactory(date=datetime.date(2026, 1, 2))
    FindingFactory(interview=later, text="Inte med i 2025 års paket")
    return [first, second, third], later
