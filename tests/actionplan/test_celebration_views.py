from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from freezegun import freeze_time

from actionplan.choices import ActivityStatus, CelebrationKind
from actionplan.models import Celebration
from actionplan.services import activity_save, measurement_add, milestone_save
from smeportal.accounts.roles import Role
from tests.factories import (
    ActivityFactory,
    CompanyFactory,
    ContactFactory,
    FindingFactory,
    GoalFactory,
    IndicatorFactory,
    InterviewFactory,
    MilestoneFactory,
    ProposalFactory,
    UserFactory,
)

TODAY = "2025-09-01"
LIST_URL = "actionplan:celebration_list"
SOLE_TRADER = "Anna Andersson Hårvård"
CONTACT = ("Greta Kontaktsson", "greta.kontakt@example.se", "016-999 99 99")


@pytest.fixture(autouse=True)
def _frozen_today():
    # Autouse, so the fixtures that create entries run on the frozen day as well.
    with freeze_time(TODAY):
        yield


def industry_label(code: str) -> str:
    from interviews.choices import Industry

    with translation.override("sv"):
        return str(Industry(code).label)


def finding_from(company):
    return FindingFactory(interview=InterviewFactory(company=company))


@pytest.fixture
def activity(db):
    """An activity realising a proposal backed by two companies, one of them a sole trader."""
    named = CompanyFactory(name="Synliga Bolaget AB", industry="F")
    ContactFactory(company=named, name=CONTACT[0], email=CONTACT[1], phone=CONTACT[2])
    sole_trader = CompanyFactory(name=SOLE_TRADER, industry="S", is_personal_data=True)
    proposal = ProposalFactory(title="Bygglovslots")
    # Two findings from the same company count as one company.
    proposal.evidence.add(finding_from(named), finding_from(named), finding_from(sole_trader))
    activity = ActivityFactory(title="Inför bygglovslots")
    activity.proposals.add(proposal)
    return activity


@pytest.fixture
def completed(activity):
    activity.status = ActivityStatus.DONE
    activity_save(activity=activity)
    return Celebration.objects.get(activity=activity, kind=CelebrationKind.ACTIVITY_DONE)


@pytest.fixture
def target_reached(activity):
    """An indicator measured by the goal that the activity serves reaches its target."""
    indicator = IndicatorFactory(name="Sammanfattande omdöme")
    goal = GoalFactory(plan=activity.plan)
    goal.indicators.add(indicator)
    activity.goal = goal
    activity.save()
    measurement_add(indicator=indicator, value=Decimal("4.1"), on=datetime.date(2025, 6, 1))
    return Celebration.objects.get(indicator=indicator)


def body_of(client, **params) -> str:
    response = client.get(reverse(LIST_URL), params)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("role_client", list(Role), indirect=True)
def test_every_role_reads_att_fira(role_client, completed):
    body = body_of(role_client)
    assert completed.title in body
    assert "1 september 2025" in body
    with translation.override("sv"):
        assert str(CelebrationKind.ACTIVITY_DONE.label) in body
    assert reverse("actionplan:activity_detail", args=[completed.activity_id]) in body
    assert industry_label("F") in body and industry_label("S") in body
    for personal in (SOLE_TRADER, *CONTACT):
        assert personal not in body


@pytest.mark.django_db
def test_the_council_sees_counts_and_industries_but_no_company_names(council_client, completed):
    body = body_of(council_client)
    with translation.override("sv"):
        counted = translation.ngettext(
            "Input from %(counter)s company", "Input from %(counter)s companies", 2
        ) % {"counter": 2}
    assert counted in body
    assert "Synliga Bolaget AB" not in body
    assert 'name="note"' not in body  # no marking for the council


@pytest.mark.django_db
def test_staff_see_company_names_except_sole_traders(developer_client, completed):
    body = body_of(developer_client)
    assert "Synliga Bolaget AB" in body
    assert SOLE_TRADER not in body
    assert 'name="note"' in body


@pytest.mark.django_db
def test_an_entry_names_a_bounded_number_of_companies(developer_client, completed):
    from actionplan.selectors_indicators import COMPANY_NAMES_SHOWN

    proposal = completed.activity.proposals.get()
    extra = 3
    for number in range(COMPANY_NAMES_SHOWN + extra):
        proposal.evidence.add(finding_from(CompanyFactory(name=f"Bolag {number:02d} AB")))
    body = body_of(developer_client)
    assert body.count("Bolag ") == COMPANY_NAMES_SHOWN  # the first in order of name
    with translation.override("sv"):
        more = translation.ngettext(
            "and %(counter)s more company", "and %(counter)s more companies", extra + 1
        ) % {"counter": extra + 1}
    assert more in body


@pytest.mark.django_db
def test_an_indicator_entry_counts_the_companies_behind_its_goals_activities(
    council_client, target_reached
):
    body = body_of(council_client)
    entry = body.split(f'id="celebration-{target_reached.pk}"', 1)[1].split("</li>", 1)[0]
    assert reverse("actionplan:indicator_detail", args=[target_reached.indicator_id]) in entry
    assert industry_label("F") in entry
    with translation.override("sv"):
        assert str(CelebrationKind.TARGET_REACHED.label) in entry


@pytest.mark.django_db
def test_a_milestone_entry_links_its_activity(developer_client, activity):
    milestone = MilestoneFactory(activity=activity, title="Lotsen anställd")
    milestone.is_done = True
    milestone_save(milestone=milestone)
    body = body_of(developer_client)
    assert "Lotsen anställd" in body
    assert reverse("actionplan:activity_detail", args=[activity.pk]) in body
    assert "Synliga Bolaget AB" in body


@pytest.mark.django_db
def test_entries_are_newest_first_and_filtered(developer_client, completed, target_reached):
    # The target was reached on 1 June, the activity completed on 1 September.
    body = body_of(developer_client)
    assert body.index(completed.title) < body.index(target_reached.title)
    completed.is_celebrated = True
    completed.save()
    not_yet = body_of(developer_client, visa="ej-firade")
    assert target_reached.title in not_yet and completed.title not in not_yet
    done = body_of(developer_client, visa="firade")
    assert completed.title in done and target_reached.title not in done
    assert completed.title in body_of(developer_client, visa="okänt")


@pytest.mark.django_db
def test_the_list_runs_a_constant_number_of_queries(developer_client):
    def add_entries(count: int):
        for _index in range(count):
            proposal = ProposalFactory()
            proposal.evidence.add(finding_from(CompanyFactory()))
            activity = ActivityFactory(status=ActivityStatus.DONE)
            activity.proposals.add(proposal)
            Celebration.objects.create(
                kind=CelebrationKind.ACTIVITY_DONE,
                activity=activity,
                title=f"Klart: {activity.title}",
                occurred_on=datetime.date(2025, 5, 1),
                is_celebrated=True,
                celebrated_by=UserFactory(),
                celebrated_at=datetime.datetime(2025, 5, 2, tzinfo=datetime.UTC),
            )
            indicator = IndicatorFactory()
            goal = GoalFactory()
            goal.indicators.add(indicator)
            ActivityFactory(goal=goal).proposals.add(proposal)
            Celebration.objects.create(
                kind=CelebrationKind.TARGET_REACHED,
                indicator=indicator,
                title=f"Målet nått: {indicator.name}",
                occurred_on=datetime.date(2025, 4, 1),
            )

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            body_of(developer_client)
        return len(queries)

    add_entries(2)
    few = count_queries()
    add_entries(10)
    assert count_queries() == few


# --- Marking as celebrated ------------------------------------------------------------------


def mark_url(celebration) -> str:
    return reverse("actionplan:celebration_mark", args=[celebration.pk])


@pytest.mark.django_db
def test_a_developer_marks_an_entry_celebrated_and_undoes_it(
    developer_client, developer, completed
):
    response = developer_client.post(
        mark_url(completed),
        {"celebrated": "1", "note": "Nyhetsbrevet i september", "visa": "ej-firade"},
    )
    assert response.status_code == 302
    assert response.url.endswith(f"?visa=ej-firade#celebration-{completed.pk}")
    completed.refresh_from_db()
    assert completed.is_celebrated
    assert completed.note == "Nyhetsbrevet i september"
    assert completed.celebrated_by == developer
    body = body_of(developer_client)
    assert "Nyhetsbrevet i september" in body
    assert str(developer) in body

    response = developer_client.post(mark_url(completed), {"celebrated": "0"})
    assert response.status_code == 302
    completed.refresh_from_db()
    assert not completed.is_celebrated and completed.celebrated_by is None


@pytest.mark.django_db
def test_the_council_does_not_see_who_marked_it(council_client, completed):
    marker = UserFactory(first_name="Mona", last_name="Markersson", role=Role.DEVELOPER)
    completed.is_celebrated = True
    completed.celebrated_by = marker
    completed.celebrated_at = datetime.datetime(2025, 9, 1, 10, tzinfo=datetime.UTC)
    completed.note = "Berättat på rådsmötet"
    completed.save()
    body = body_of(council_client)
    assert "Markersson" not in body
    assert "Berättat på rådsmötet" in body


@pytest.mark.django_db
@pytest.mark.parametrize("role_client", [Role.COUNCIL, Role.FACILITATOR], indirect=True)
def test_others_cannot_mark(role_client, completed):
    response = role_client.post(mark_url(completed), {"celebrated": "1", "note": "Nej"})
    assert response.status_code == 403
    assert role_client.get(mark_url(completed)).status_code == 403
    completed.refresh_from_db()
    assert not completed.is_celebrated


@pytest.mark.django_db
def test_marking_an_unknown_entry_is_404(developer_client):
    url = reverse("actionplan:celebration_mark", args=[999999])
    assert developer_client.post(url, {"celebrated": "1"}).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data", [{"celebrated": "1", "note": "x" * 501}, {"celebrated": "kanske"}, {}]
)
def test_bad_input_is_a_form_error_and_changes_nothing(admin_client, completed, data):
    response = admin_client.post(mark_url(completed), data)
    assert response.status_code == 400
    assert 'id="form-errors"' in response.content.decode()
    completed.refresh_from_db()
    assert not completed.is_celebrated and completed.note == ""


@pytest.mark.django_db
def test_the_standalone_mark_form(admin_client, completed):
    response = admin_client.get(mark_url(completed))
    assert response.status_code == 200
    assert 'name="note"' in response.content.decode()


@pytest.mark.django_db
def test_an_entry_reads_in_the_readers_language(developer_client):
    """The title is built from what happened (the activity, the milestone, the indicator and
    its value), not the Swedish sentence stored when it happened."""
    from decimal import Decimal

    from actionplan.services import activity_save, measurement_add
    from tests.factories import ActivityFactory, IndicatorFactory

    activity = ActivityFactory(title="Bygglovslots")
    activity.status = "klar"
    activity_save(activity=activity)
    indicator = IndicatorFactory(
        name="NKI", baseline_value=Decimal("60"), target_value=Decimal("70")
    )
    measurement_add(
        indicator=indicator, value=Decimal("71.5"), on=indicator.baseline_date.replace(year=2025)
    )
    url = reverse("actionplan:celebration_list")
    swedish = developer_client.get(url).content.decode()
    assert "Aktivitet slutförd: Bygglovslots" in swedish
    assert "Målet nått: NKI är 71,5" in swedish
    developer_client.cookies["django_language"] = "en"
    english = developer_client.get(url).content.decode()
    assert "Activity completed: Bygglovslots" in english
    assert "Target reached: NKI is 71.5" in english
