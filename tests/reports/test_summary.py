"""The summary service: every figure of a small hand-made data set, the period, privacy, queries.

The data set (today is frozen at 2025-11-29):

Companies: Alfa (industry C, 10–49), Beta (F, 1–9) and a sole trader Kalle (C, 0 employees).
Interviews: I1 Alfa 2025-03-10 grade 2 med_namn, I2 Alfa 2025-09-15 grade 4 internt,
I3 Beta 2025-05-20 grade 5 anonymt, I4 Kalle 2025-06-01 no grade med_namn.
Findings in area 3 (service): F1 I1 challenge (key quote, named), F2 I1 challenge confidential
(key quote), F3 I2 idea (key quote, internal consent), F4 I3 challenge (key quote, anonymous),
F6 I4 challenge (key quote, sole trader), F8 I2 idea (quote, not key), F10 I2 challenge.
Findings in area 1 (dialogue): F5 I3 strength (key quote without quote), F7 I4 challenge.
F9 I3 in an archived area.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from freezegun import freeze_time

from actionplan.models import Celebration
from reports.summary import summary_compute
from smeportal.areas.models import PriorityArea
from tests.factories import (
    ActionPlanFactory,
    ActivityFactory,
    CompanyFactory,
    ContactFactory,
    FindingFactory,
    GoalFactory,
    IndicatorFactory,
    InterviewFactory,
    MeasurementFactory,
    MilestoneFactory,
    PriorityAreaFactory,
    ProposalFactory,
    UserFactory,
    WorkshopFactory,
    WorkshopGroupFactory,
)

pytestmark = pytest.mark.django_db

QUERIES = 13
SECRETS = [
    "Greta Garbosson",  # contact person
    "greta.garbosson@example.invalid",
    "016-555 12 34",
    "HEMLIG ANTECKNING",  # interview notes
    "Kalle Karlssons Firma",  # the sole trader's name is personal data
    "640823-3234",
    "KONFIDENTIELL SYNPUNKT",  # a confidential finding's text and quote
    "KONFIDENTIELLT CITAT",
    "INTERNT CITAT",  # a quote without consent
    "Ulla",  # users: interviewer, contact user, owner, who celebrated
    "Utvecklarsson",
    "ulla.utvecklare",
]


@pytest.fixture(autouse=True)
def _today():
    # 14:00 in Stockholm; "overdue" is judged against this day.
    with freeze_time("2025-11-29 13:00:00"):
        yield


def _areas():
    ordered = list(PriorityArea.objects.filter(is_archived=False).order_by("order"))
    return ordered[0], ordered[1], ordered[2]


@pytest.fixture
def data():
    dialogue, attractivity, service = _areas()
    archived = PriorityAreaFactory(name="Gammalt område", is_archived=True)
    user = UserFactory(username="ulla.utvecklare", first_name="Ulla", last_name="Utvecklarsson")

    alfa = CompanyFactory(name="Alfa Verkstad AB", industry="C", size_class="10-49")
    beta = CompanyFactory(name="Beta Bygg AB", industry="F", size_class="1-9")
    kalle = CompanyFactory(
        name="Kalle Karlssons Firma",
        organisation_number="640823-3234",
        is_personal_data=True,
        industry="C",
        size_class="0",
    )
    greta = ContactFactory(
        company=alfa,
        name="Greta Garbosson",
        email="greta.garbosson@example.invalid",
        phone="016-555 12 34",
    )

    def interview(company, day, grade, consent):
        return InterviewFactory(
            company=company,
            date=day,
            grade=grade,
            consent=consent,
            notes="HEMLIG ANTECKNING om ekonomin",
            interviewers=[user],
        )

    i1 = interview(alfa, date(2025, 3, 10), 2, "med_namn")
    i1.interviewees.add(greta)
    i2 = interview(alfa, date(2025, 9, 15), 4, "internt")
    i3 = interview(beta, date(2025, 5, 20), 5, "anonymt")
    i4 = interview(kalle, date(2025, 6, 1), None, "med_namn")

    def finding(interview_, area, type_, text, importance=2, **kwargs):
        return FindingFactory(
            interview=interview_, area=area, type=type_, text=text, importance=importance, **kwargs
        )

    f1 = finding(
        i1, service, "utmaning", "Bygglovet tog fyra månader", 3,
        quote="Fyra månader för ett skärmtak!", is_key_quote=True,
    )  # fmt: skip
    f2 = finding(
        i1, service, "utmaning", "KONFIDENTIELL SYNPUNKT om en kund", 2,
        quote="KONFIDENTIELLT CITAT", is_key_quote=True, is_confidential=True,
    )  # fmt: skip
    f3 = finding(
        i2, service, "ide", "Frukostmöten med förvaltningen", 2,
        quote="INTERNT CITAT", is_key_quote=True,
    )  # fmt: skip
    f4 = finding(
        i3, service, "utmaning", "Tillsynen ger inga råd", 3,
        quote="Tillsyn borde vara rådgivning.", is_key_quote=True,
    )  # fmt: skip
    f5 = finding(i3, dialogue, "styrka", "Lotsen är bra", 1, is_key_quote=True)
    f6 = finding(
        i4, service, "utmaning", "Handläggarna ger olika besked", 1,
        quote="Jag fick tre olika svar.", is_key_quote=True,
    )  # fmt: skip
    finding(i4, dialogue, "utmaning", "Svårt att nå kommunen på telefon", 2)  # F7
    finding(i2, service, "ide", "En e-tjänst för allt", 2, quote="Bara ett formulär, tack.")
    finding(i3, archived, "styrka", "Gammal styrka", 2)  # F9
    finding(i2, service, "utmaning", "Tillsynsavgiften är oklar", 3)  # F10

    w1 = WorkshopFactory(date=date(2025, 11, 11))
    w2 = WorkshopFactory(date=date(2024, 5, 15))
    g1 = WorkshopGroupFactory(workshop=w1, area=service, facilitator=user)
    g2 = WorkshopGroupFactory(workshop=w1, area=dialogue)
    g3 = WorkshopGroupFactory(workshop=w2, area=service)

    def proposal(group, title, actor, status, votes, evidence=(), **kwargs):
        created = ProposalFactory(
            group=group, title=title, actor=actor, status=status, votes=votes, created_by=user,
            **kwargs,
        )  # fmt: skip
        created.evidence.set(evidence)
        return created

    p1 = proposal(g1, "Bygglovslots", "kommunen", "i_handlingsplan", 10, [f1])
    p2 = proposal(g1, "Samlad tillsyn", "tillsammans", "ny", 7, [f2, f4])
    proposal(g1, "Företagsfrukost", "naringslivet", "under_beredning", 12, [f3])
    proposal(g1, "Avslaget förslag", "kommunen", "avslagen", 3)
    proposal(g1, "Dubblett", "kommunen", "sammanslagen", 20, merged_into=p2)
    proposal(g3, "Gammalt förslag", "kommunen", "ny", 5)
    p7 = proposal(g2, "Företagslots", "tillsammans", "i_handlingsplan", 4, [f5])

    plan = ActionPlanFactory()
    ac1 = ActivityFactory(
        plan=plan, title="Försenad e-tjänst", areas=[service], status="pagar",
        manual_progress=35, due_date=date(2025, 10, 31), contact_user=user,
    )  # fmt: skip
    ac2 = ActivityFactory(
        plan=plan, title="Lotsfunktion", areas=[service, dialogue], status="pagar",
        manual_progress=90, due_date=date(2026, 6, 30),
    )  # fmt: skip
    for done in (True, False, True, False):
        MilestoneFactory(activity=ac2, is_done=done)
    ac3 = ActivityFactory(
        plan=plan, title="Bygglovslots införd", areas=[service], status="klar",
        manual_progress=0, due_date=date(2025, 6, 30),
    )  # fmt: skip
    ActivityFactory(
        plan=plan, title="Avbruten mässa", areas=[service], status="avbruten",
        manual_progress=10, due_date=date(2025, 1, 31),
    )  # fmt: skip
    ActivityFactory(
        plan=plan, parent=ac2, title="Lotsens telefonlinje", areas=[dialogue],
        status="planerad", manual_progress=0, due_date=date(2025, 11, 1),
    )  # fmt: skip
    ac1.proposals.add(p1)
    ac2.proposals.add(p7)

    def indicator(name, direction, baseline, target, measurements=()):
        created = IndicatorFactory(
            name=name, unit="enhet", direction=direction,
            baseline_value=Decimal(baseline), baseline_date=date(2020, 1, 1),
            target_value=Decimal(target), target_date=date(2030, 1, 1), owner=user,
        )  # fmt: skip
        for day, value in measurements:
            MeasurementFactory(indicator=created, date=day, value=Decimal(value), created_by=user)
        return created

    in1 = indicator(
        "A Nöjd kund-index", "hogre", "60", "80",
        [(date(2023, 1, 1), "65"), (date(2025, 1, 1), "72")],
    )  # fmt: skip
    in2 = indicator("B Handläggningstid", "lagre", "100", "50", [(date(2025, 1, 1), "90")])
    in3 = indicator("C Placering", "lagre", "200", "100", [(date(2025, 1, 1), "155")])
    in4 = indicator("D Nya företag", "hogre", "10", "20")
    GoalFactory(plan=plan, area=service).indicators.set([in1, in2, in4])
    GoalFactory(plan=plan, area=dialogue).indicators.set([in3, in1])

    Celebration.objects.create(
        kind="aktivitet", title="Bygglovslotsen är införd", occurred_on=date(2025, 10, 1),
        activity=ac3, is_celebrated=True, celebrated_by=user,
    )  # fmt: skip
    Celebration.objects.create(
        kind="delmal", title="Lotsen bemannad", occurred_on=date(2024, 3, 1),
        milestone=ac2.milestones.first(),
    )  # fmt: skip
    return SimpleNamespace(
        dialogue=dialogue, attractivity=attractivity, service=service, in1=in1, in2=in2,
        in3=in3, in4=in4, f6=f6,
    )  # fmt: skip


def area_of(result, area):
    return next(row for row in result["areas"] if row["id"] == area.pk)


# --- The whole structure --------------------------------------------------------------------------


def test_header_totals_and_active_areas_in_order(data):
    result = summary_compute()

    assert result["taken_at"] == "2025-11-29T14:00:00+01:00"
    assert result["period"] == {"start": None, "end": None}
    assert result["totals"] == {
        "interviews": 4,
        "companies": 3,
        "findings": 10,  # all areas, the archived one and confidential findings included
        "proposals": 6,  # live ones: the merged duplicate is left out
        "activities": 5,
        "indicators": 4,
        "average_grade": 3.67,  # (2 + 4 + 5) / 3, the missing grade ignored
    }
    assert [row["id"] for row in result["areas"]] == list(
        PriorityArea.objects.filter(is_archived=False)
        .order_by("order")
        .values_list("pk", flat=True)
    )
    assert len(result["areas"]) == 6
    dialogue = area_of(result, data.dialogue)
    assert {key: dialogue[key] for key in ("slug", "order", "name", "name_en", "colour")} == {
        "slug": data.dialogue.slug,
        "order": data.dialogue.order,
        "name": data.dialogue.name,
        "name_en": data.dialogue.name_en,
        "colour": data.dialogue.colour,
    }


def test_interviews_companies_and_findings_of_an_area(data):
    service = area_of(summary_compute(), data.service)

    assert service["interviews"] == 4
    assert service["companies"] == 3
    assert service["company_share"] == 1.0
    assert service["findings_by_type"] == {"utmaning": 5, "ide": 2, "styrka": 0}
    assert service["average_grade"] == 3.67

    dialogue = area_of(summary_compute(), data.dialogue)
    assert dialogue["interviews"] == 2  # I3 and I4
    assert dialogue["companies"] == 2  # Beta and Kalle
    assert dialogue["company_share"] == 0.6667
    assert dialogue["findings_by_type"] == {"utmaning": 1, "ide": 0, "styrka": 1}
    assert dialogue["average_grade"] == 5.0  # Beta's 5; Kalle gave no grade


def test_shares_by_industry_and_size_class_with_swedish_labels(data):
    dialogue = area_of(summary_compute(), data.dialogue)

    assert dialogue["share_by_industry"] == [
        {"code": "C", "label": "C – Tillverkning", "companies": 1, "interviewed": 2, "share": 0.5},
        {"code": "F", "label": "F – Byggverksamhet", "companies": 1, "interviewed": 1,
         "share": 1.0},
    ]  # fmt: skip
    assert dialogue["share_by_size"] == [
        {"code": "0", "label": "0 anställda", "companies": 1, "interviewed": 1, "share": 1.0},
        {"code": "1-9", "label": "1–9 anställda", "companies": 1, "interviewed": 1, "share": 1.0},
        {"code": "10-49", "label": "10–49 anställda", "companies": 0, "interviewed": 1,
         "share": 0.0},
    ]  # fmt: skip


def test_labels_are_swedish_whatever_the_active_language(data):
    with translation.override("en"):
        dialogue = area_of(summary_compute(), data.dialogue)

    assert dialogue["share_by_industry"][0]["label"] == "C – Tillverkning"


def test_key_quotes_follow_the_consent_for_the_council(data):
    service = area_of(summary_compute(), data.service)

    # Most important first, then the most recent; confidential and internal ones are left out.
    assert service["key_quotes"] == [
        {"text": "Tillsyn borde vara rådgivning.", "attribution": "ett företag inom F – Byggverksamhet"},
        {"text": "Fyra månader för ett skärmtak!", "attribution": "Alfa Verkstad AB"},
        # The sole trader agreed to be named, but a sole trader's name is personal data.
        {"text": "Jag fick tre olika svar.", "attribution": "ett företag inom C – Tillverkning"},
    ]  # fmt: skip
    assert area_of(summary_compute(), data.dialogue)["key_quotes"] == []  # key quote without quote


def test_proposals_by_actor_and_status_with_votes(data):
    service = area_of(summary_compute(), data.service)

    assert service["proposals_by_actor"] == {"kommunen": 3, "naringslivet": 1, "tillsammans": 1}
    assert service["proposals_by_status"] == {
        "ny": 2,
        "under_beredning": 1,
        "i_handlingsplan": 1,
        "avslagen": 1,
        "sammanslagen": 0,
    }
    assert service["proposal_votes"] == 37  # 10 + 7 + 12 + 3 + 5; the merged one's 20 not
    assert service["top_proposals"] == [
        {"title": "Företagsfrukost", "votes": 12, "actor": "naringslivet",
         "status": "under_beredning"},
        {"title": "Bygglovslots", "votes": 10, "actor": "kommunen", "status": "i_handlingsplan"},
        {"title": "Samlad tillsyn", "votes": 7, "actor": "tillsammans", "status": "ny"},
        {"title": "Gammalt förslag", "votes": 5, "actor": "kommunen", "status": "ny"},
        {"title": "Avslaget förslag", "votes": 3, "actor": "kommunen", "status": "avslagen"},
    ]  # fmt: skip

    dialogue = area_of(summary_compute(), data.dialogue)
    assert dialogue["proposals_by_actor"] == {"kommunen": 0, "naringslivet": 0, "tillsammans": 1}
    assert dialogue["proposal_votes"] == 4


def test_activities_by_status_progress_and_overdue(data):
    service = area_of(summary_compute(), data.service)

    assert service["activities_by_status"] == {
        "planerad": 0,
        "pagar": 2,
        "klar": 1,
        "pausad": 0,
        "avbruten": 1,
    }
    # 35 (hand-set), 40 (two of four milestones and a sub-activity at 0), 100 (done); the
    # cancelled one is left out.
    assert service["activities_average_progress"] == 58.3
    assert service["activities_on_track"] == 2
    assert service["activities_overdue"] == 1
    assert service["overdue_activities"] == [
        {"title": "Försenad e-tjänst", "due_date": "2025-10-31"}
    ]

    dialogue = area_of(summary_compute(), data.dialogue)  # the shared activity counts here too
    assert dialogue["activities_by_status"]["pagar"] == 1
    assert dialogue["activities_by_status"]["planerad"] == 1
    assert dialogue["activities_average_progress"] == 20.0
    assert dialogue["activities_on_track"] == 1
    assert dialogue["overdue_activities"] == [
        {"title": "Lotsens telefonlinje", "due_date": "2025-11-01"}
    ]


def test_indicators_of_an_area_through_its_goals(data):
    service = area_of(summary_compute(), data.service)

    assert service["indicators"] == [
        {"id": data.in1.pk, "name": "A Nöjd kund-index", "unit": "enhet", "direction": "hogre",
         "latest_value": 72.0, "latest_date": "2025-01-01", "progress": 0.6, "status": "i_fas",
         "target_value": 80.0, "target_date": "2030-01-01"},
        {"id": data.in2.pk, "name": "B Handläggningstid", "unit": "enhet", "direction": "lagre",
         "latest_value": 90.0, "latest_date": "2025-01-01", "progress": 0.2, "status": "efter",
         "target_value": 50.0, "target_date": "2030-01-01"},
        {"id": data.in4.pk, "name": "D Nya företag", "unit": "enhet", "direction": "hogre",
         "latest_value": None, "latest_date": None, "progress": None, "status": "ingen_matning",
         "target_value": 20.0, "target_date": "2030-01-01"},
    ]  # fmt: skip
    assert service["indicators_by_status"] == {
        "i_fas": 1,
        "risk": 0,
        "efter": 1,
        "behover_uppdateras": 0,
        "ingen_matning": 1,
    }

    dialogue = area_of(summary_compute(), data.dialogue)
    assert [row["name"] for row in dialogue["indicators"]] == ["A Nöjd kund-index", "C Placering"]
    assert dialogue["indicators"][1]["progress"] == 0.45
    assert dialogue["indicators_by_status"] == {
        "i_fas": 1,
        "risk": 1,
        "efter": 0,
        "behover_uppdateras": 0,
        "ingen_matning": 0,
    }


def test_coverage_gaps(data):
    service = area_of(summary_compute(), data.service)

    assert service["gaps"] == {
        # F6 and F10; F1 and F4 have proposals, F2 is confidential.
        "challenges_without_proposal": 2,
        "challenge_examples": ["Tillsynsavgiften är oklar", "Handläggarna ger olika besked"],
        "proposals_outside_plan": 3,
        # Two companies behind "Samlad tillsyn" (the confidential finding counts as a number).
        "proposal_examples": [
            {"title": "Samlad tillsyn", "companies": 2, "votes": 7},
            {"title": "Företagsfrukost", "companies": 1, "votes": 12},
            {"title": "Gammalt förslag", "companies": 0, "votes": 5},
        ],
    }
    assert area_of(summary_compute(), data.dialogue)["gaps"] == {
        "challenges_without_proposal": 1,
        "challenge_examples": ["Svårt att nå kommunen på telefon"],
        "proposals_outside_plan": 0,
        "proposal_examples": [],
    }


def test_an_area_without_anything(data):
    empty = area_of(summary_compute(), data.attractivity)

    assert empty["interviews"] == 0
    assert empty["companies"] == 0
    assert empty["company_share"] == 0.0
    assert empty["findings_by_type"] == {"utmaning": 0, "ide": 0, "styrka": 0}
    assert [row["share"] for row in empty["share_by_industry"]] == [0.0, 0.0]
    assert empty["average_grade"] is None
    assert empty["key_quotes"] == []
    assert empty["proposal_votes"] == 0
    assert empty["top_proposals"] == []
    assert empty["activities_average_progress"] is None
    assert empty["activities_on_track"] == 0
    assert empty["overdue_activities"] == []
    assert empty["indicators"] == []
    assert empty["indicators_by_status"] == {
        "i_fas": 0,
        "risk": 0,
        "efter": 0,
        "behover_uppdateras": 0,
        "ingen_matning": 0,
    }


def test_indicator_trends_and_celebrations(data):
    result = summary_compute()

    assert [row["name"] for row in result["indicator_trends"]] == [
        "A Nöjd kund-index",
        "B Handläggningstid",
        "C Placering",
        "D Nya företag",
    ]
    assert result["indicator_trends"][0] == {
        "id": data.in1.pk,
        "name": "A Nöjd kund-index",
        "unit": "enhet",
        "direction": "hogre",
        "status": "i_fas",
        "baseline": ["2020-01-01", 60.0],
        "target": ["2030-01-01", 80.0],
        "measurements": [["2023-01-01", 65.0], ["2025-01-01", 72.0]],
    }
    assert result["indicator_trends"][3]["measurements"] == []
    # The facts go with each entry, so that the dashboard words it in the reader's language.
    assert [
        {key: row[key] for key in ("title", "occurred_on", "kind", "is_celebrated")}
        for row in result["celebrations"]
    ] == [
        {"title": "Bygglovslotsen är införd", "occurred_on": "2025-10-01", "kind": "aktivitet",
         "is_celebrated": True},
        {"title": "Lotsen bemannad", "occurred_on": "2024-03-01", "kind": "delmal",
         "is_celebrated": False},
    ]  # fmt: skip
    first = result["celebrations"][0]
    assert (first["activity_title"], first["milestone_title"], first["value"]) == (
        "Bygglovslots införd",
        None,
        None,
    )


# --- The period -----------------------------------------------------------------------------------


def test_period_start_filters_interviews_findings_quotes_and_proposals(data):
    result = summary_compute(period_start=date(2025, 4, 1))

    assert result["period"] == {"start": "2025-04-01", "end": None}
    assert result["totals"]["interviews"] == 3  # I1 (March) is before the period
    assert result["totals"]["companies"] == 3
    assert result["totals"]["average_grade"] == 4.5
    assert result["totals"]["proposals"] == 5  # the 2024 workshop's proposal is left out
    assert result["totals"]["activities"] == 5  # the plan's state: not filtered
    service = area_of(result, data.service)
    assert service["interviews"] == 3
    assert service["findings_by_type"] == {"utmaning": 3, "ide": 2, "styrka": 0}
    assert service["average_grade"] == 4.5  # Alfa's I2 (4) and Beta's I3 (5)
    assert [quote["text"] for quote in service["key_quotes"]] == [
        "Tillsyn borde vara rådgivning.",
        "Jag fick tre olika svar.",
    ]
    assert service["proposal_votes"] == 32
    assert service["gaps"]["proposals_outside_plan"] == 2
    assert [row["title"] for row in result["celebrations"]] == ["Bygglovslotsen är införd"]


def test_period_end_ignores_later_measurements(data):
    result = summary_compute(period_end=date(2024, 6, 30))

    assert result["totals"]["interviews"] == 0
    assert result["totals"]["average_grade"] is None
    service = area_of(result, data.service)
    assert service["company_share"] is None  # nobody was interviewed
    assert service["share_by_industry"] == []
    assert service["proposal_votes"] == 5  # only the 2024 workshop
    first = service["indicators"][0]
    assert (first["latest_value"], first["latest_date"]) == (65.0, "2023-01-01")
    assert first["progress"] == 0.25
    # At the end of June 2024 the yearly indicator's value from January 2023 is stale.
    assert first["status"] == "behover_uppdateras"
    assert service["indicators"][1]["status"] == "ingen_matning"
    assert result["indicator_trends"][0]["measurements"] == [["2023-01-01", 65.0]]
    assert [row["title"] for row in result["celebrations"]] == ["Lotsen bemannad"]


def test_an_indicator_is_fresh_or_stale_as_of_the_period_end(data):
    """January 2023's value, for a yearly indicator: fresh at the end of 2023 (at risk: 0.25
    against 0.30 expected on that date), stale half a year later, whenever the report runs."""
    ends = {date(2023, 12, 31): "risk", date(2024, 1, 2): "behover_uppdateras"}
    for period_end, status in ends.items():
        service = area_of(summary_compute(period_end=period_end), data.service)
        assert service["indicators"][0]["status"] == status
        assert service["indicators_by_status"][status] == 1


# --- Privacy, serialisation and queries -----------------------------------------------------------


def test_no_personal_data_or_secrets_anywhere(data):
    dumped = json.dumps(summary_compute(), ensure_ascii=False)

    for secret in SECRETS:
        assert secret not in dumped, secret


def test_result_is_plain_json(data):
    result = summary_compute()

    assert json.loads(json.dumps(result)) == result


def test_an_empty_database_gives_an_empty_summary(db):
    result = summary_compute()

    assert json.loads(json.dumps(result)) == result
    assert result["totals"]["interviews"] == 0
    assert result["areas"][0]["company_share"] is None
    assert result["indicator_trends"] == []
    assert result["celebrations"] == []


def _queries() -> int:
    with CaptureQueriesContext(connection) as context:
        summary_compute()
    return len(context.captured_queries)


def test_a_fixed_number_of_queries_however_much_data(data, django_assert_max_num_queries):
    with django_assert_max_num_queries(QUERIES):
        summary_compute()
    small = _queries()

    # Ten times as much of everything, and more than ten celebrations.
    companies = CompanyFactory.create_batch(10, industry="G", size_class="1-9")
    for company in companies:
        interview = InterviewFactory(company=company, date=date(2025, 8, 1), consent="med_namn")
        for area in (data.dialogue, data.service):
            FindingFactory(interview=interview, area=area, quote="Citat", is_key_quote=True)
    for _ in range(10):
        proposal = ProposalFactory(group=WorkshopGroupFactory(area=data.service), votes=2)
        proposal.evidence.set([data.f6])
        activity = ActivityFactory(areas=[data.dialogue, data.service])
        MilestoneFactory(activity=activity)
        indicator = IndicatorFactory()
        MeasurementFactory(indicator=indicator)
        GoalFactory(area=data.service).indicators.add(indicator)
        Celebration.objects.create(kind="aktivitet", title="Firat", occurred_on=date(2025, 11, 1))

    with django_assert_max_num_queries(QUERIES):
        result = summary_compute()
    assert _queries() == small
    assert result["totals"]["interviews"] == 14
    assert len(result["celebrations"]) == 10
    assert len(area_of(result, data.service)["top_proposals"]) == 5


# --- Bounded texts (issue 12): the snapshot does not grow with the interviews ---------------------


def test_key_quotes_are_capped_per_area_and_counted_in_full(db):
    from reports.summary import KEY_QUOTES

    area = PriorityArea.objects.order_by("order").first()
    company = CompanyFactory(name="Citatbolaget AB", industry="C")
    for index in range(KEY_QUOTES + 3):
        interview = InterviewFactory(
            company=company, date=date(2025, 1, 1 + index), consent="med_namn"
        )
        FindingFactory(
            interview=interview, area=area, quote=f"Citat {index:02d}", is_key_quote=True
        )
    # Not visible to the council: neither shown nor counted.
    FindingFactory(
        interview=InterviewFactory(company=company, date=date(2025, 2, 1), consent="internt"),
        area=area,
        quote="INTERNT CITAT",
        is_key_quote=True,
    )

    result = area_of(summary_compute(), area)

    # The most recent first (same importance), at most KEY_QUOTES of them.
    assert [quote["text"] for quote in result["key_quotes"]] == [
        f"Citat {index:02d}" for index in range(KEY_QUOTES + 2, 2, -1)
    ]
    assert result["key_quotes_total"] == KEY_QUOTES + 3
    assert {quote["attribution"] for quote in result["key_quotes"]} == {"Citatbolaget AB"}


def test_challenge_examples_are_distinct_texts_in_order_of_their_first_finding(db):
    area = PriorityArea.objects.order_by("order").first()
    # One text said by twelve companies, most important: shown once, first.
    for index in range(12):
        FindingFactory(
            interview=InterviewFactory(date=date(2025, 3, 1 + index)),
            area=area,
            text="Bygglovet tar för lång tid",
            importance=3,
        )
    for index in range(6):
        FindingFactory(
            interview=InterviewFactory(date=date(2025, 4, 1 + index)),
            area=area,
            text=f"Utmaning {index}",
            importance=2,
        )
    # An answered challenge and an idea are no examples.
    answered = FindingFactory(area=area, text="Besvarad utmaning", importance=3)
    ProposalFactory(group=WorkshopGroupFactory(area=area)).evidence.set([answered])
    FindingFactory(area=area, type="ide", text="En idé", importance=3)

    gaps = area_of(summary_compute(), area)["gaps"]

    assert gaps["challenges_without_proposal"] == 18
    assert gaps["challenge_examples"] == [
        "Bygglovet tar för lång tid",
        "Utmaning 5",
        "Utmaning 4",
        "Utmaning 3",
        "Utmaning 2",
    ]


def test_overdue_activities_are_listed_up_to_the_cap_and_counted_in_full(db):
    from reports.summary import OVERDUE_ACTIVITIES

    area = PriorityArea.objects.order_by("order").first()
    for index in range(OVERDUE_ACTIVITIES + 2):
        ActivityFactory(
            title=f"Försenad {index:02d}", areas=[area], due_date=date(2025, 1, 1 + index)
        )

    result = area_of(summary_compute(), area)

    assert result["activities_overdue"] == OVERDUE_ACTIVITIES + 2
    assert [row["title"] for row in result["overdue_activities"]] == [
        f"Försenad {index:02d}" for index in range(OVERDUE_ACTIVITIES)
    ]


def test_the_snapshot_does_not_grow_with_the_interviews(db):
    """Four times the interviews, findings, quotes and proposals: the same lists, the same size
    (give or take the digits of the larger counts)."""
    areas = list(PriorityArea.objects.filter(is_archived=False).order_by("order"))

    def add(count: int) -> None:
        for index in range(count):
            interview = InterviewFactory(date=date(2025, 1, 1 + index % 28), consent="anonymt")
            for area in areas:
                finding = FindingFactory(
                    interview=interview,
                    area=area,
                    text=f"Utmaning {index} i {area.slug}",
                    quote=f"Citat {index} om {area.slug}",
                    is_key_quote=True,
                )
                if index % 3 == 0:
                    proposal = ProposalFactory(
                        group=WorkshopGroupFactory(area=area), title=f"Förslag {index}"
                    )
                    proposal.evidence.set([finding])

    def lengths(result: dict) -> list[int]:
        return [
            len(area[key])
            for area in result["areas"]
            for key in ("key_quotes", "top_proposals", "overdue_activities")
        ] + [
            len(area["gaps"][key])
            for area in result["areas"]
            for key in ("challenge_examples", "proposal_examples")
        ]

    add(15)
    small = summary_compute()
    add(45)
    large = summary_compute()

    assert large["totals"]["interviews"] == 4 * small["totals"]["interviews"]
    assert lengths(large) == lengths(small)
    assert all(area["key_quotes_total"] == 60 for area in large["areas"])
    small_size = len(json.dumps(small, ensure_ascii=False))
    large_size = len(json.dumps(large, ensure_ascii=False))
    assert large_size < small_size * 1.05
