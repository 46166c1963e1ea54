"""The rows behind the workbook's data sheets: what the database holds, minus personal data."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from interviews.choices import FindingType, Industry
from reports.rows import summary_rows
from smeportal.accounts.roles import Role
from smeportal.areas.models import PriorityArea
from tests.factories import (
    ActivityFactory,
    CompanyFactory,
    ContactFactory,
    FindingFactory,
    IndicatorFactory,
    InterviewFactory,
    MeasurementFactory,
    MilestoneFactory,
    ProposalFactory,
    UserFactory,
)

TODAY = datetime.date(2025, 9, 1)
CONTACT = ("Gunborg Kontaktsdotter", "gunborg@example.se", "016-123 45 67")
NOTES = "Anteckning: ägaren funderar på att sälja"


def swedish(label) -> str:
    with translation.override("sv"):
        return str(label)


@pytest.fixture
def areas(db):
    return list(PriorityArea.objects.order_by("order"))


@pytest.fixture
def data(areas):
    """Findings, proposals, an activity and an indicator around one named company."""
    company = CompanyFactory(name="Synliga Verkstaden AB", industry="C", size_class="10-49")
    contact = ContactFactory(company=company, name=CONTACT[0], email=CONTACT[1], phone=CONTACT[2])
    developer = UserFactory(first_name="Ulla", last_name="Utvecklarsson", role=Role.DEVELOPER)
    named = InterviewFactory(
        company=company, date=datetime.date(2025, 3, 14), consent="med_namn", notes=NOTES
    )
    named.interviewees.add(contact)
    named.interviewers.add(developer)
    anonymous = InterviewFactory(date=datetime.date(2024, 5, 2), consent="anonymt")
    internal = InterviewFactory(date=datetime.date(2025, 4, 1), consent="internt")
    findings = {
        "named": FindingFactory(
            interview=named,
            area=areas[2],
            text="Bygglovet tog ett år",
            quote="Vi väntade ett helt år.",
            importance=3,
        ),
        "anonymous": FindingFactory(
            interview=anonymous, area=areas[0], type="ide", text="Ring oss", quote="Ring oftare."
        ),
        "internal": FindingFactory(
            interview=internal, area=areas[3], text="Svårt att rekrytera", quote="Hemligt citat"
        ),
        "confidential": FindingFactory(
            interview=named, area=areas[2], text="Konfidentiell omsättning", is_confidential=True
        ),
    }
    survivor = ProposalFactory(
        title="Bygglovslots", area=areas[2], votes=12, status="i_handlingsplan"
    )
    merged = ProposalFactory(
        title="Lots för bygglov",
        group=survivor.group,
        area=areas[2],
        merged_into=survivor,
        status="sammanslagen",
    )
    activity = ActivityFactory(
        title="Inför bygglovslots",
        areas=[areas[2], areas[0]],
        contact_user=developer,
        status="pagar",
        due_date=datetime.date(2025, 6, 30),
    )
    MilestoneFactory(activity=activity, is_done=True)
    MilestoneFactory(activity=activity, is_done=False)
    indicator = IndicatorFactory(name="Sammanfattande omdöme", owner=developer)
    MeasurementFactory(indicator=indicator, date=datetime.date(2024, 6, 1), value=Decimal("3.40"))
    MeasurementFactory(indicator=indicator, date=datetime.date(2026, 6, 1), value=Decimal("3.90"))
    return {
        "company": company,
        "findings": findings,
        "survivor": survivor,
        "merged": merged,
        "activity": activity,
        "indicator": indicator,
        "developer": developer,
    }


def test_findings_rows_follow_the_database(data, areas):
    rows = summary_rows(today=TODAY)["findings"]
    by_text = {row["text"]: row for row in rows}
    named = by_text["Bygglovet tog ett år"]
    assert named["area"] == areas[2].name
    assert named["type"] == swedish(FindingType.CHALLENGE.label)
    assert named["importance"] == 3
    assert named["industry"] == swedish(Industry.C.label)
    assert named["interview_date"] == datetime.date(2025, 3, 14)
    # Named consent: the council may see the quote with the company's name, never the person's.
    assert named["quote"] == "Vi väntade ett helt år."
    assert named["quote_attribution"] == "Synliga Verkstaden AB"
    anonymous = by_text["Ring oss"]
    assert anonymous["quote"] == "Ring oftare."
    assert "Synliga" not in anonymous["quote_attribution"]
    internal = by_text["Svårt att rekrytera"]
    assert internal["quote"] == ""
    assert internal["quote_attribution"] == ""
    # Ordered by the areas' order.
    assert [row["area"] for row in rows] == sorted(
        (row["area"] for row in rows), key=[area.name for area in areas].index
    )


def test_confidential_findings_are_left_out(data):
    texts = [row["text"] for row in summary_rows(today=TODAY)["findings"]]
    assert "Konfidentiell omsättning" not in texts
    assert len(texts) == 3


def test_no_personal_data_in_any_row(data):
    dumped = repr(summary_rows(today=TODAY))
    for secret in (*CONTACT, NOTES, "Utvecklarsson", "Ulla", "Hemligt citat"):
        assert secret not in dumped


def test_period_limits_findings_and_proposals(data):
    rows = summary_rows(
        period_start=datetime.date(2025, 1, 1), period_end=datetime.date(2025, 12, 31), today=TODAY
    )
    texts = {row["text"] for row in rows["findings"]}
    assert texts == {"Bygglovet tog ett år", "Svårt att rekrytera"}
    workshop_date = data["survivor"].group.workshop.date
    outside = summary_rows(period_start=workshop_date + datetime.timedelta(days=1), today=TODAY)[
        "proposals"
    ]
    assert outside == []


def test_proposal_rows(data, areas):
    rows = {row["title"]: row for row in summary_rows(today=TODAY)["proposals"]}
    survivor = data["survivor"]
    assert rows["Bygglovslots"]["workshop"] == survivor.group.workshop.title
    assert rows["Bygglovslots"]["group"] == survivor.group.name
    assert rows["Bygglovslots"]["area"] == areas[2].name
    assert rows["Bygglovslots"]["votes"] == 12
    assert rows["Bygglovslots"]["status"] == swedish(survivor.get_status_display())
    assert rows["Bygglovslots"]["merged_into"] == ""
    assert rows["Lots för bygglov"]["merged_into"] == "Bygglovslots"
    assert rows["Bygglovslots"]["effect"] == survivor.effect


def test_activity_rows_roll_up_progress_and_say_overdue(data, areas):
    (row,) = summary_rows(today=TODAY)["activities"]
    assert row["title"] == "Inför bygglovslots"
    assert row["areas"] == f"{areas[0].name}, {areas[2].name}"
    assert row["party"] == "Näringslivskontoret"
    assert row["progress"] == pytest.approx(0.5)  # one of two milestones done
    assert row["due_date"] == datetime.date(2025, 6, 30)
    assert row["overdue"] == "Ja"
    (later,) = summary_rows(today=datetime.date(2025, 1, 1))["activities"]
    assert later["overdue"] == "Nej"


def test_indicator_rows_use_measurements_up_to_the_period_end(data):
    (row,) = summary_rows(today=TODAY)["indicators"]
    assert row["name"] == "Sammanfattande omdöme"
    assert row["latest_value"] == pytest.approx(3.9)
    assert row["baseline_value"] == pytest.approx(3.3)
    assert row["target_date"] == datetime.date(2030, 6, 1)
    (earlier,) = summary_rows(period_end=datetime.date(2025, 12, 31), today=TODAY)["indicators"]
    assert earlier["latest_value"] == pytest.approx(3.4)
    assert earlier["latest_date"] == datetime.date(2024, 6, 1)
    assert earlier["progress"] == pytest.approx(0.14)


def _more_data(areas, count: int) -> None:
    for index in range(count):
        interview = InterviewFactory()
        FindingFactory(interview=interview, area=areas[index % 6])
        ProposalFactory(area=areas[index % 6])
        activity = ActivityFactory(areas=[areas[index % 6], areas[(index + 1) % 6]])
        MilestoneFactory(activity=activity)
        MeasurementFactory(indicator=IndicatorFactory())


def test_query_count_is_constant(areas):
    _more_data(areas, 1)
    with CaptureQueriesContext(connection) as small:
        summary_rows(today=TODAY)
    _more_data(areas, 12)
    with CaptureQueriesContext(connection) as large:
        rows = summary_rows(today=TODAY)
    assert len(rows["findings"]) == 13
    assert len(rows["activities"]) == 13
    assert len(large) == len(small) == 6
