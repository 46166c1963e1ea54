"""The audit trail: who created, changed, archived or deleted what, for administrators only."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from interviews.models import Company
from interviews.services import company_save, finding_archive
from tests.factories import (
    ActivityFactory,
    CompanyFactory,
    ContactFactory,
    FindingFactory,
    FollowUpFactory,
    IndicatorFactory,
    InterviewFactory,
    MeasurementFactory,
    ProposalFactory,
    UserFactory,
)

URL = reverse("audit:audit_list")


def _rows(response):
    return response.context["rows"]


@pytest.mark.django_db
@pytest.mark.parametrize("fixture", ["developer_client", "facilitator_client", "council_client"])
def test_only_administrators_read_the_audit_trail(request, fixture):
    client = request.getfixturevalue(fixture)
    assert client.get(URL).status_code == 403
    body = client.get(reverse("core:home")).content.decode()
    assert "Granskningslogg" not in body


@pytest.mark.django_db
def test_administrator_finds_the_trail_in_the_menu(admin_client):
    body = admin_client.get(reverse("core:home")).content.decode()
    assert "Granskningslogg" in body
    assert admin_client.get(URL).status_code == 200


@pytest.mark.django_db
def test_every_audited_model_shows_up_newest_first(admin_client):
    interview = InterviewFactory()
    FindingFactory(interview=interview)
    FollowUpFactory(interview=interview)
    ContactFactory(company=interview.company)
    ProposalFactory()
    ActivityFactory()
    MeasurementFactory(indicator=IndicatorFactory())

    rows = _rows(admin_client.get(URL))

    assert {row.object_type for row in rows} >= {
        "Företag",
        "Kontaktperson",
        "Intervju",
        "Synpunkt",
        "Uppföljning",
        "Förslag",
        "Aktivitet",
        "Mätetal",
        "Mätning",
    }
    assert [row.when for row in rows] == sorted((row.when for row in rows), reverse=True)


@pytest.mark.django_db
def test_a_change_shows_who_and_which_fields(admin_client, developer, client):
    company = CompanyFactory(name="Gamla Verkstaden AB")
    client.force_login(developer)
    response = client.post(
        reverse("interviews:company_update", args=[company.pk]),
        {
            "name": "Nya Verkstaden AB",
            "organisation_number": company.organisation_number,
            "industry": company.industry,
            "size_class": company.size_class,
            "district": company.district,
            "website": "",
            "notes": "",
        },
    )
    assert response.status_code == 302

    body = admin_client.get(URL).content.decode()
    newest = _rows(admin_client.get(URL))[0]
    assert newest.who == str(developer)
    assert newest.action == "Ändrad"
    assert newest.object_label == "Nya Verkstaden AB"
    assert [(change.old, change.new) for change in newest.changes] == [
        ("Gamla Verkstaden AB", "Nya Verkstaden AB")
    ]
    assert "Gamla Verkstaden AB → Nya Verkstaden AB" in body


@pytest.mark.django_db
def test_archiving_is_shown_as_archived(admin_client, developer):
    finding = FindingFactory(text="Synpunkt som togs bort")
    finding_archive(finding=finding, user=developer)
    newest = _rows(admin_client.get(URL))[0]
    assert newest.action == "Arkiverad"
    assert newest.object_type == "Synpunkt"
    assert newest.object_label == "Synpunkt som togs bort"


@pytest.mark.django_db
def test_filter_by_user_object_type_and_date(admin_client, developer):
    CompanyFactory(name="Systemets företag AB")
    mine = CompanyFactory(name="Utvecklarens företag AB")
    mine.history.update(history_user=developer)
    ContactFactory(company=mine)

    by_user = _rows(admin_client.get(URL, {"user": developer.pk}))
    assert [row.object_label for row in by_user] == ["Utvecklarens företag AB"]

    by_type = _rows(admin_client.get(URL, {"object_type": "interviews.company"}))
    assert {row.object_type for row in by_type} == {"Företag"}
    assert len(by_type) == 2

    today = timezone.localdate()
    assert len(_rows(admin_client.get(URL, {"date_from": today, "date_to": today}))) == 3
    tomorrow = today + datetime.timedelta(days=1)
    response = admin_client.get(URL, {"date_from": tomorrow})
    assert _rows(response) == []
    assert "Inga ändringar matchar filtret." in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params",
    [
        {"date_from": "2025-05-02", "date_to": "2025-05-01"},
        {"object_type": "auth.user"},
        {"user": "999999"},
        {"date_from": "inte-ett-datum"},
    ],
)
def test_bad_filters_are_form_errors(admin_client, params):
    response = admin_client.get(URL, params)
    assert response.status_code == 400
    assert "Formuläret innehåller fel" in response.content.decode()


@pytest.mark.django_db
def test_the_page_is_paginated_by_twenty_five(admin_client):
    for _ in range(30):
        company_save(company=CompanyFactory.build())
    first = admin_client.get(URL)
    assert len(_rows(first)) == 25
    assert first.context["page_obj"].paginator.count == 30
    assert len(_rows(admin_client.get(URL, {"page": 2}))) == 5


def _make_history(count: int) -> None:
    for _ in range(count):
        interview = InterviewFactory(interviewers=[UserFactory()])
        finding = FindingFactory(interview=interview)
        finding.text += " (ändrad)"
        finding.save()
        FollowUpFactory(interview=interview)
        proposal = ProposalFactory()
        proposal.evidence.add(finding)
        MeasurementFactory(indicator=IndicatorFactory())
        ActivityFactory()


@pytest.mark.django_db
def test_queries_do_not_grow_with_the_data(admin_client, django_assert_max_num_queries):
    from audit.views import AUDIT_PAGE_SIZE

    _make_history(2)
    with django_assert_max_num_queries(15) as small:
        admin_client.get(URL)
    _make_history(12)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = admin_client.get(URL)
    assert len(_rows(response)) == AUDIT_PAGE_SIZE
    assert Company.history.count() > 12


@pytest.mark.django_db
def test_linking_a_proposal_to_an_activity_is_recorded(admin_client):
    activity = ActivityFactory()
    proposal = ProposalFactory(title="Bygglovslots varje vecka")
    activity.proposals.add(proposal)

    newest = _rows(admin_client.get(URL, {"object_type": "actionplan.activity"}))[0]
    assert newest.action == "Ändrad"
    assert [(change.added, change.removed) for change in newest.link_changes] == [
        (["Bygglovslots varje vecka"], [])
    ]
    body = admin_client.get(URL).content.decode()
    assert "tillagd: Bygglovslots varje vecka" in body


@pytest.mark.django_db
def test_the_trail_is_counted_and_paged_up_to_a_cap(admin_client):
    """700,000 history records at scale: the page counts at most the cap and says so."""
    from audit.views import AUDIT_CAP, AUDIT_PAGE_SIZE

    company = CompanyFactory()
    record = company.history.get()
    start = record.history_date
    Company.history.model.objects.bulk_create(
        Company.history.model(
            id=company.pk,
            name=f"{company.name} {n}",
            organisation_number=company.organisation_number,
            industry=company.industry,
            size_class=company.size_class,
            district=company.district,
            created_at=company.created_at,
            updated_at=company.updated_at,
            history_date=start + datetime.timedelta(seconds=n + 1),
            history_type="~",
        )
        for n in range(AUDIT_CAP)
    )
    last = AUDIT_CAP // AUDIT_PAGE_SIZE
    response = admin_client.get(URL, {"page": last})
    page = response.context["page_obj"]
    assert page.paginator.is_capped and page.number == page.paginator.num_pages == last
    assert len(_rows(response)) == AUDIT_PAGE_SIZE
    assert f"Fler än {AUDIT_CAP} ändringar" in response.content.decode()


@pytest.mark.django_db
def test_the_previous_record_is_found_by_max_not_by_a_limited_sort(admin_client, developer):
    """ORDER BY history_id DESC LIMIT 1 had Postgres walk the whole history backwards for a
    record without a predecessor (130 ms a row at 600,000 finding records)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    finding = FindingFactory(text="Före")
    finding.text = "Efter"
    finding.save()
    with CaptureQueriesContext(connection) as captured:
        response = admin_client.get(URL, {"object_type": "interviews.finding"})
    reading = [
        q["sql"]
        for q in captured.captured_queries
        if '"interviews_historicalfinding"' in q["sql"] and "previous_history_id" in q["sql"]
    ]
    assert reading and all("MAX(" in sql and not re.search(r"LIMIT 1\b", sql) for sql in reading)
    changed = next(row for row in _rows(response) if row.changes)
    assert [(c.old, c.new) for c in changed.changes] == [("Före", "Efter")]


@pytest.mark.django_db
def test_queries_do_not_depend_on_which_models_are_on_the_page(admin_client):
    """The demo's first page holds other models than the scale data set's: same queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.querycounts import page_queries

    CompanyFactory()
    _response, companies_only = page_queries(admin_client, URL)
    _make_history(3)
    response, every_model = page_queries(admin_client, URL)
    assert len({row.object_type for row in _rows(response)}) >= 8
    assert every_model == companies_only
    # Filtered to one type, the other types' tables are not read.
    with CaptureQueriesContext(connection) as captured:
        admin_client.get(URL, {"object_type": "interviews.finding"})
    assert len(captured.captured_queries) <= every_model
    read = " ".join(query["sql"] for query in captured.captured_queries)
    assert '"interviews_historicalfinding"' in read
    assert '"interviews_historicalcompany"' not in read
    assert '"workshops_historicalproposal"' not in read


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params",
    [
        {"object_type": "interviews.finding"},
        {"date_from": "2026-01-01", "date_to": "2026-12-31"},
        {"page": "2"},
        "user",
    ],
)
def test_filtered_and_later_pages_do_not_grow_in_queries(admin_client, administrator, params):
    """The bench's variants of the trail (a type, half a year, a deep page, one user) cost the
    same at demo size and at scale."""
    from tests.querycounts import page_queries

    if params == "user":
        params = {"user": administrator.pk}
    _make_history(4)
    _response, small = page_queries(admin_client, URL, params)
    _make_history(12)
    response, large = page_queries(admin_client, URL, params)
    assert large == small
    assert response.context["page_obj"].paginator.count > 0 or "user" in params
