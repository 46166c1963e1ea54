"""Activities: the form, creation from proposals, the activity page and the progress update."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext

from actionplan.choices import ActivityStatus, CelebrationKind
from actionplan.models import Activity, Celebration
from smeportal.accounts.roles import Role
from smeportal.areas.models import PriorityArea
from tests.factories import (
    ActionPlanFactory,
    ActivityFactory,
    CompanyFactory,
    ContactFactory,
    FindingFactory,
    GoalFactory,
    InterviewFactory,
    MilestoneFactory,
    ProposalFactory,
    UserFactory,
    WorkshopFactory,
    WorkshopGroupFactory,
)
from tests.querycounts import page_queries
from workshops.choices import ProposalStatus

CREATE = reverse("actionplan:activity_create")
FROM_PROPOSALS = reverse("actionplan:activity_from_proposals")
PERSONAL = ("Greta Kontaktsson", "greta@example.se", "016-999 99 99", "Rå anteckning om VD:n")


def sv(text: str) -> str:
    with translation.override("sv"):
        return gettext(text)


def detail_url(activity) -> str:
    return reverse("actionplan:activity_detail", args=[activity.pk])


@pytest.fixture
def areas(db):
    return {area.slug: area for area in PriorityArea.objects.all()}


@pytest.fixture
def plan(db):
    return ActionPlanFactory()


@pytest.fixture
def workshop(db):
    return WorkshopFactory(title="Företagsdialog 11 november", date=date(2026, 11, 11))


@pytest.fixture
def proposals(workshop, areas):
    service = WorkshopGroupFactory(workshop=workshop, name="Bord 3",
                                   area=areas["service-och-samverkan"])  # fmt: skip
    skills = WorkshopGroupFactory(workshop=workshop, name="Bord 4",
                                  area=areas["kompetensforsorjning"])  # fmt: skip
    return {
        "lots": ProposalFactory(
            group=service,
            title="Bygglovslots för små företag",
            votes=14,
            description="En lots på bygglovsenheten.",
        ),  # fmt: skip
        "praktik": ProposalFactory(group=skills, title="Praktikplatsbank", votes=9),
        "rejected": ProposalFactory(
            group=service,
            title="Kommunal borgen",
            status="avslagen",
            rejection_reason="Kommunallagen",
        ),  # fmt: skip
        "in_plan": ProposalFactory(group=skills, title="Redan i planen", status="i_handlingsplan"),
    }


@pytest.fixture
def merged(proposals):
    return ProposalFactory(group=proposals["lots"].group, title="Dubblett om lots",
                           merged_into=proposals["lots"], status="sammanslagen")  # fmt: skip


def activity_data(plan, area_map, /, **changes) -> dict:
    data = {
        "plan": plan.pk,
        "title": "Bygglovslots",
        "description": "En lots för små företag.",
        "areas": [area_map["service-och-samverkan"].pk],
        "goal": "",
        "parent": "",
        "party_kind": "forvaltning",
        "party_name": "Bygglovsenheten",
        "contact_user": "",
        "municipality_part": "Anställer en lots",
        "municipality_owner": "Bygglovsenheten",
        "municipality_status": "pagar",
        "business_part": "Hänvisar medlemmar",
        "business_owner": "Företagarna Eskilstuna",
        "business_status": "ej_paborjad",
        "start_date": "2026-01-01",
        "due_date": "2027-06-30",
        "status": "pagar",
        "manual_progress": "20",
    }
    data.update(changes)
    return data


# --- Create and update ------------------------------------------------------------------------


def test_developer_creates_an_activity_with_all_fields(developer_client, developer, plan, areas,
                                                       proposals):  # fmt: skip
    goal = GoalFactory(plan=plan, area=areas["service-och-samverkan"])
    assert developer_client.get(CREATE).status_code == 200
    response = developer_client.post(
        CREATE,
        activity_data(
            plan, areas, goal=goal.pk, contact_user=developer.pk, proposals=[proposals["lots"].pk]
        ),  # fmt: skip
    )
    activity = Activity.objects.get()
    assert response.status_code == 302
    assert response["Location"] == detail_url(activity)
    assert activity.goal == goal
    assert activity.contact_user == developer
    assert activity.business_owner == "Företagarna Eskilstuna"
    assert list(activity.areas.all()) == [areas["service-och-samverkan"]]
    assert list(activity.proposals.all()) == [proposals["lots"]]
    proposals["lots"].refresh_from_db()
    assert proposals["lots"].status == ProposalStatus.IN_PLAN


def test_new_sub_activity_is_preselected_from_the_parent(developer_client, plan):
    parent = ActivityFactory(plan=plan)
    response = developer_client.get(f"{CREATE}?parent={parent.pk}")
    assert response.context["form"].initial == {"parent": parent.pk, "plan": plan.pk}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"areas": []}, "areas"),
        ({"manual_progress": "-1"}, "manual_progress"),
        ({"manual_progress": "101"}, "manual_progress"),
        ({"title": "x" * 201}, "title"),
        ({"party_name": ""}, "party_name"),
        ({"due_date": "2025-01-01"}, "due_date"),  # before the start
        ({"status": "okand"}, "status"),
        ({"contact_user": "99999"}, "contact_user"),
        ({"plan": "99999"}, "plan"),
        ({"start_date": "inte ett datum"}, "start_date"),
    ],
)
def test_bad_activity_is_a_400_and_nothing_is_saved(developer_client, plan, areas, changes, field):
    response = developer_client.post(CREATE, activity_data(plan, areas, **changes))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert 'id="form-errors"' in response.content.decode()
    assert not Activity.objects.exists()


def test_contact_user_must_be_staff(developer_client, plan, areas, council_member):
    response = developer_client.post(CREATE, activity_data(plan, areas,
                                                           contact_user=council_member.pk))  # fmt: skip
    assert response.status_code == 400
    assert "contact_user" in response.context["form"].errors


def test_goal_and_parent_must_belong_to_the_same_plan(developer_client, plan, areas):
    other_plan = ActionPlanFactory(title="Annan plan")
    response = developer_client.post(
        CREATE,
        activity_data(
            plan,
            areas,
            goal=GoalFactory(plan=other_plan).pk,
            parent=ActivityFactory(plan=other_plan).pk,
        ),  # fmt: skip
    )
    assert response.status_code == 400
    assert {"goal", "parent"} <= set(response.context["form"].errors)


def test_an_activity_cannot_be_part_of_itself_or_its_descendant(developer_client, plan, areas):
    activity = ActivityFactory(plan=plan, title="Huvudaktivitet")
    child = ActivityFactory(plan=plan, parent=activity)
    grandchild = ActivityFactory(plan=plan, parent=child)
    url = reverse("actionplan:activity_update", args=[activity.pk])
    for parent in (activity, grandchild):
        response = developer_client.post(url, activity_data(plan, areas, parent=parent.pk))
        assert response.status_code == 400
        assert "parent" in response.context["form"].errors
    activity.refresh_from_db()
    assert activity.parent is None
    assert activity.title == "Huvudaktivitet"


def test_developer_updates_an_activity(developer_client, plan, areas, proposals):
    activity = ActivityFactory(plan=plan, areas=[areas["upphandling"]])
    url = reverse("actionplan:activity_update", args=[activity.pk])
    assert developer_client.get(url).status_code == 200
    response = developer_client.post(
        url,
        activity_data(
            plan,
            areas,
            title="Ny titel",
            proposals=[proposals["praktik"].pk],
            areas=[areas["kompetensforsorjning"].pk],
        ),  # fmt: skip
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.title == "Ny titel"
    assert list(activity.areas.all()) == [areas["kompetensforsorjning"]]
    assert list(activity.proposals.all()) == [proposals["praktik"]]


def test_unknown_activity_is_404(developer_client):
    for name in ("activity_detail", "activity_update", "activity_progress"):
        assert developer_client.get(reverse(f"actionplan:{name}", args=[99999])).status_code == 404


@pytest.mark.parametrize("client_name", ["council_client", "facilitator_client"])
def test_readers_cannot_create_or_edit_activities(request, client_name, plan, areas, proposals):
    client = request.getfixturevalue(client_name)
    activity = ActivityFactory(plan=plan, title="Orörd")
    urls = [CREATE, FROM_PROPOSALS, reverse("actionplan:activity_update", args=[activity.pk])]
    for url in urls:
        assert client.get(url).status_code == 403
        data = activity_data(plan, areas, proposals=[proposals["lots"].pk])
        assert client.post(url, data).status_code == 403
    assert Activity.objects.count() == 1
    activity.refresh_from_db()
    assert activity.title == "Orörd"


# --- The proposal picker of the form ------------------------------------------------------------


def update_url(activity) -> str:
    return reverse("actionplan:activity_update", args=[activity.pk])


def test_form_lists_chosen_proposals_and_those_a_search_finds(developer_client, plan, proposals,
                                                              merged):  # fmt: skip
    response = developer_client.get(CREATE, {"proposal": proposals["praktik"].pk})
    body = response.content.decode()
    assert (
        f'value="{proposals["praktik"].pk}" id="proposal-{proposals["praktik"].pk}" checked' in body
    )
    assert "Bygglovslots för små företag" not in body  # no search yet: nothing else is drawn

    response = developer_client.get(
        CREATE, {"proposal": proposals["praktik"].pk, "proposal_q": "lots"}
    )
    body = response.content.decode()
    found = proposals["lots"]
    assert f'value="{found.pk}" id="proposal-{found.pk}">' in body  # found, not ticked
    assert f'name="proposal" value="{proposals["praktik"].pk}"' in body  # travels with a search
    assert "Dubblett om lots" not in body  # merged proposals are not offered
    assert (
        developer_client.get(CREATE, {"proposal_q": "borgen"})
        .content.decode()
        .count('name="proposals"')
        == 0
    )  # rejected ones neither


def test_search_is_bounded_and_says_so(developer_client, plan, workshop, areas):
    from actionplan.views.activities import PROPOSAL_PICK_LIMIT

    group = WorkshopGroupFactory(workshop=workshop, area=areas["upphandling"])
    ProposalFactory.create_batch(PROPOSAL_PICK_LIMIT + 1, group=group, title="Lots för alla")
    body = developer_client.get(CREATE, {"proposal_q": "lots"}).content.decode()
    assert body.count('name="proposals"') == PROPOSAL_PICK_LIMIT
    with translation.override("sv"):
        message = gettext("More proposals match than the %(count)s listed: narrow the search.") % {
            "count": PROPOSAL_PICK_LIMIT
        }
    assert message in body


def test_chosen_proposals_are_kept_however_many_others_match(developer_client, plan, workshop,
                                                             areas, proposals):  # fmt: skip
    # Many matches that sort before the chosen one (a lower area order, more votes).
    group = WorkshopGroupFactory(workshop=workshop, area=PriorityArea.objects.order_by("order")[0])
    ProposalFactory.create_batch(60, group=group, title="Praktik i skolan", votes=99)
    chosen = proposals["praktik"]
    activity = ActivityFactory(plan=plan)
    activity.proposals.add(chosen)
    body = developer_client.get(update_url(activity), {"proposal_q": "praktik"}).content.decode()
    assert f'value="{chosen.pk}" id="proposal-{chosen.pk}" checked' in body


def test_htmx_search_swaps_only_the_list_and_keeps_the_ticked_ones(developer_client, plan,
                                                                    proposals):  # fmt: skip
    activity = ActivityFactory(plan=plan)
    activity.proposals.add(proposals["lots"])
    # The linked proposal was unticked on the page and another one ticked: the page's ticks win.
    response = developer_client.get(
        update_url(activity),
        {"proposal_q": "planen", "proposals": proposals["praktik"].pk},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "<form" not in body and 'name="title"' not in body  # the list, not the page
    assert body.lstrip().startswith('<div id="proposal-pick">')
    praktik, in_plan = proposals["praktik"].pk, proposals["in_plan"].pk
    assert f'value="{praktik}" id="proposal-{praktik}" checked' in body
    assert f'value="{in_plan}" id="proposal-{in_plan}">' in body
    assert f'value="{proposals["lots"].pk}"' not in body
    assert 'id="proposal-pick-status" role="status" data-hx-swap-oob="innerHTML"' in body
    assert "HX-Request" in response["Vary"]
    with translation.override("sv"):
        found = ngettext("%(counter)s other proposal matches.",
                         "%(counter)s other proposals match.", 1) % {"counter": 1}  # fmt: skip
    assert found in body


def test_htmx_search_of_another_activity_is_refused_to_readers(facilitator_client, plan):
    activity = ActivityFactory(plan=plan)
    response = facilitator_client.get(
        update_url(activity), {"proposal_q": "a"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 403
    response = facilitator_client.get(CREATE, {"proposal_q": "a"}, headers={"HX-Request": "true"})
    assert response.status_code == 403


def test_a_failed_save_keeps_the_ticked_proposals(developer_client, plan, areas, proposals):
    data = activity_data(plan, areas, title="", proposals=[proposals["lots"].pk])
    response = developer_client.post(CREATE, data)
    assert response.status_code == 400
    lots = proposals["lots"].pk
    assert f'value="{lots}" id="proposal-{lots}" checked' in response.content.decode()


def test_parent_choices_are_the_plans_own_activities(developer_client, plan):
    own = ActivityFactory(plan=plan, title="I samma plan")
    ActivityFactory(plan=ActionPlanFactory(start_year=2030, end_year=2033), title="I en annan plan")
    body = developer_client.get(CREATE, {"plan": plan.pk}).content.decode()
    assert "I samma plan" in body
    assert "I en annan plan" not in body
    assert f'<option value="{own.pk}"' in body


def _form_queries(client, url: str, data: dict | None = None) -> int:
    return page_queries(client, url, data)[1]


def test_activity_form_runs_a_constant_number_of_queries(developer_client, plan, workshop, areas):
    group = WorkshopGroupFactory(workshop=workshop, area=areas["upphandling"])
    activity = ActivityFactory(plan=plan)

    def add(count: int):
        for _ in range(count):
            proposal = ProposalFactory(group=group, title="Lots")
            activity.proposals.add(proposal)
            ProposalFactory(group=group, title="Lots igen")
            ActivityFactory(plan=plan, parent=activity)
            GoalFactory(plan=plan)

    pages = [
        (CREATE, None),
        (CREATE, {"proposal_q": "lots"}),
        (update_url(activity), None),
        (update_url(activity), {"proposal_q": "lots"}),
    ]
    add(1)
    small = [_form_queries(developer_client, url, data) for url, data in pages]
    add(20)
    assert [_form_queries(developer_client, url, data) for url, data in pages] == small


# --- From proposals ---------------------------------------------------------------------------


def test_from_proposals_lists_live_proposals_not_in_the_plan(developer_client, plan, proposals,
                                                              merged):  # fmt: skip
    response = developer_client.get(FROM_PROPOSALS)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Bygglovslots för små företag" in body
    assert "Praktikplatsbank" in body
    assert "Företagsdialog 11 november, Bord 3" in body
    assert "Kommunal borgen" not in body  # rejected
    assert "Redan i planen" not in body
    assert "Dubblett om lots" not in body  # merged
    assert "3. Service till företag" in body  # grouped by area
    assert "checked" not in body.split('name="proposals"')[1].split(">")[0]


def test_one_proposal_preselected_prefills_the_title(developer_client, plan, proposals):
    lots = proposals["lots"]
    response = developer_client.get(f"{FROM_PROPOSALS}?proposal={lots.pk}")
    assert response.context["form"].initial["title"] == "Bygglovslots för små företag"
    assert f'value="{lots.pk}" id="proposal-{lots.pk}" checked' in response.content.decode()


def test_two_proposals_preselected_leave_the_title_empty(developer_client, plan, proposals):
    ids = [proposals["lots"].pk, proposals["in_plan"].pk]
    response = developer_client.get(f"{FROM_PROPOSALS}?proposal={ids[0]}&proposal={ids[1]}")
    assert "title" not in response.context["form"].initial
    body = response.content.decode()
    assert "Redan i planen" in body  # a chosen proposal is listed even when already in the plan
    for pk in ids:
        assert f'value="{pk}" id="proposal-{pk}" checked' in body


def test_nonsense_preselection_is_ignored(developer_client, plan, proposals):
    response = developer_client.get(f"{FROM_PROPOSALS}?proposal=abc&proposal=99999")
    assert response.status_code == 200


def test_activity_from_two_proposals_in_one_step(developer_client, plan, areas, proposals):
    chosen = [proposals["lots"], proposals["praktik"]]
    data = activity_data(plan, areas, title="Lots och praktik", areas=[],
                         proposals=[p.pk for p in chosen])  # fmt: skip
    response = developer_client.post(FROM_PROPOSALS, data)
    activity = Activity.objects.get()
    assert response.status_code == 302
    assert response["Location"] == detail_url(activity)
    assert set(activity.proposals.all()) == set(chosen)
    assert set(activity.areas.all()) == {areas["service-och-samverkan"],
                                         areas["kompetensforsorjning"]}  # fmt: skip
    for proposal in chosen:
        proposal.refresh_from_db()
        assert proposal.status == ProposalStatus.IN_PLAN
    page = developer_client.get(response["Location"])
    with translation.override("sv"):
        message = ngettext(
            "The activity was created; %(count)s proposal is now in the action plan.",
            "The activity was created; %(count)s proposals are now in the action plan.",
            2,
        ) % {"count": 2}
    assert message in page.content.decode()


def _assert_refused(response, text: str):
    assert response.status_code == 400
    assert text in response.content.decode()
    assert not Activity.objects.exists()


def test_from_proposals_without_a_proposal_is_refused(developer_client, plan, areas, proposals):
    response = developer_client.post(FROM_PROPOSALS, activity_data(plan, areas))
    _assert_refused(response, sv("Choose at least one proposal."))


def test_from_a_merged_proposal_is_refused(developer_client, plan, areas, proposals, merged):
    data = activity_data(plan, areas, proposals=[proposals["praktik"].pk, merged.pk])
    response = developer_client.post(FROM_PROPOSALS, data)
    _assert_refused(response, "Dubblett om lots")
    proposals["praktik"].refresh_from_db()
    assert proposals["praktik"].status == ProposalStatus.NEW


def test_from_a_rejected_proposal_is_refused(developer_client, plan, areas, proposals):
    data = activity_data(plan, areas, proposals=[proposals["rejected"].pk])
    _assert_refused(developer_client.post(FROM_PROPOSALS, data), "Kommunal borgen")


def test_from_an_unknown_proposal_is_refused(developer_client, plan, areas, proposals):
    data = activity_data(plan, areas, proposals=["99999"])
    _assert_refused(
        developer_client.post(FROM_PROPOSALS, data), sv("Choose proposals from the list.")
    )


# --- The activity page ------------------------------------------------------------------------


@pytest.fixture
def chain(plan, areas, proposals):
    """An activity realising two proposals, backed by findings from three companies."""
    service = areas["service-och-samverkan"]
    named_company = CompanyFactory(name="Namngivna Verkstaden AB", industry="C", size_class="10-49")
    contact = ContactFactory(company=named_company, name=PERSONAL[0], email=PERSONAL[1],
                             phone=PERSONAL[2])  # fmt: skip
    named = InterviewFactory(company=named_company, consent="med_namn", notes=PERSONAL[3])
    named.interviewees.set([contact])
    anonymous = InterviewFactory(
        company=CompanyFactory(name="Anonyma Bygg AB", industry="F", size_class="1-9"),
        consent="anonymt",
    )
    internal = InterviewFactory(
        company=CompanyFactory(name="Interna Butiken AB", industry="G", size_class="1-9"),
        consent="internt",
    )
    findings = {
        "named": FindingFactory(
            interview=named,
            area=service,
            text="Bygglovet tog fem månader",
            quote="Vi höll på att flytta till Västerås",
        ),  # fmt: skip
        "anonymous": FindingFactory(
            interview=anonymous,
            area=service,
            text="Olika besked",
            quote="Tre handläggare, tre svar",
        ),  # fmt: skip
        "internal": FindingFactory(
            interview=internal,
            area=areas["kompetensforsorjning"],
            type="ide",
            text="Praktik med gymnasiet",
            quote="Säg inte detta till någon",
        ),  # fmt: skip
        "secret": FindingFactory(
            interview=named, area=service, text="Planerar ny fabrik 2027", is_confidential=True
        ),  # fmt: skip
    }
    proposals["lots"].evidence.add(findings["named"], findings["anonymous"], findings["secret"])
    proposals["praktik"].evidence.add(findings["internal"], findings["named"])
    contact_user = UserFactory(username="kontakten", first_name="Karin", last_name="Kontaktsson",
                               role=Role.FACILITATOR)  # fmt: skip
    activity = ActivityFactory(plan=plan, title="Lots och praktik", contact_user=contact_user,
                               party_name="Näringslivskontoret",
                               municipality_owner="Kalle Kommunsson",
                               business_owner="Berit Bransch")  # fmt: skip
    activity.proposals.set([proposals["lots"], proposals["praktik"]])
    return {"activity": activity, "findings": findings}


@pytest.mark.django_db
@pytest.mark.parametrize("role_client", list(Role), indirect=True)
def test_every_role_reads_why_we_do_it(role_client, chain):
    response = role_client.get(detail_url(chain["activity"]))
    assert response.status_code == 200
    body = response.content.decode()
    assert sv("Why are we doing this?") in body
    assert "Bygglovslots för små företag" in body
    assert "Praktikplatsbank" in body
    assert "Företagsdialog 11 november (2026-11-11), Bord 3" in body
    with translation.override("sv"):
        summary = ngettext(
            "%(findings)s findings from %(counter)s company stand behind the proposals.",
            "%(findings)s findings from %(counter)s companies stand behind the proposals.",
            3,
        ) % {"findings": 4, "counter": 3}
    assert summary in body
    assert "Bygglovet tog fem månader" in body
    assert "Byggverksamhet" in body  # industries of the companies
    assert "1–9 anställda" in body
    for personal in PERSONAL:
        assert personal not in body


def test_developer_sees_companies_secrets_and_internal_quotes(developer_client, chain):
    body = developer_client.get(detail_url(chain["activity"])).content.decode()
    assert "Namngivna Verkstaden AB" in body
    assert "Planerar ny fabrik 2027" in body
    assert "Säg inte detta till någon" in body
    assert "Karin Kontaktsson" in body
    assert "Kalle Kommunsson" in body
    assert sv("History") in body


def test_council_sees_quotes_only_as_consent_allows_and_no_names_of_people(council_client, chain):
    body = council_client.get(detail_url(chain["activity"])).content.decode()
    assert "Vi höll på att flytta till Västerås" in body  # named consent: the company's name
    assert "Tre handläggare, tre svar" in body
    assert "Anonyma Bygg AB" not in body  # anonymous consent
    assert "Interna Butiken AB" not in body
    assert "Säg inte detta till någon" not in body  # internal only
    assert "Planerar ny fabrik 2027" not in body  # business secret
    assert "Karin Kontaktsson" not in body  # staff names
    assert "Kalle Kommunsson" not in body
    assert "Berit Bransch" not in body
    assert sv("History") not in body
    assert "Näringslivskontoret" in body
    assert reverse("interviews:interview_detail", args=[chain["findings"]["named"].interview_id]) \
        not in body  # fmt: skip
    with translation.override("sv"):
        hidden = ngettext(
            "%(counter)s further finding is a business secret and is not shown here.",
            "%(counter)s further findings are business secrets and are not shown here.",
            1,
        ) % {"counter": 1}
    assert hidden in body


def test_facilitator_sees_no_company_name_for_anonymous_quotes(facilitator_client, chain):
    body = facilitator_client.get(detail_url(chain["activity"])).content.decode()
    assert "Tre handläggare, tre svar" in body
    assert "Anonyma Bygg AB" not in body
    assert "Säg inte detta till någon" not in body
    assert "Planerar ny fabrik 2027" not in body


def test_page_shows_progress_basis_overdue_and_milestones(developer_client, plan):
    activity = ActivityFactory(plan=plan, due_date=timezone.localdate() - timedelta(days=1),
                               start_date=date(2025, 1, 1), status="pagar")  # fmt: skip
    MilestoneFactory(activity=activity, title="Lotsen anställd", is_done=True)
    MilestoneFactory(activity=activity, title="Tjugo företag lotsade")
    ActivityFactory(plan=plan, parent=activity, title="Förhandsmöte pilot", manual_progress=50)
    body = developer_client.get(detail_url(activity)).content.decode()
    with translation.override("sv"):
        assert ngettext("%(done)s of %(counter)s milestone done",
                        "%(done)s of %(counter)s milestones done", 2) % {"done": 1, "counter": 2} \
            in body  # fmt: skip
        assert gettext("Overdue") in body
        assert gettext("Not done") in body
        assert gettext("Done") in body
    assert "50 %" in body  # (100 + 0 + 50) / 3
    assert "Förhandsmöte pilot" in body
    assert reverse("actionplan:milestone_create", args=[activity.pk]) in body


def test_manual_progress_is_said_to_be_set_by_hand(developer_client, plan):
    activity = ActivityFactory(plan=plan, manual_progress=35)
    body = developer_client.get(detail_url(activity)).content.decode()
    assert "35 %" in body
    assert sv("set by hand") in body


def test_celebrations_of_the_activity_are_shown(developer_client, plan):
    activity = ActivityFactory(plan=plan)
    Celebration.objects.create(kind=CelebrationKind.ACTIVITY_DONE, activity=activity,
                               title="Aktiviteten klar: Lotsen", occurred_on=date(2026, 11, 1))  # fmt: skip
    body = developer_client.get(detail_url(activity)).content.decode()
    # Named from the activity, in the reader's language (Celebration.display_title).
    assert f"Aktivitet slutförd: {activity.title}" in body
    assert reverse("actionplan:celebration_list") in body


def test_mark_done_buttons_for_those_allowed(council_client, facilitator_client, chain):
    activity = chain["activity"]
    milestone = MilestoneFactory(activity=activity)
    url = reverse("actionplan:milestone_update", args=[milestone.pk])
    contact = chain["activity"].contact_user
    from django.test import Client

    contact_client = Client()
    contact_client.force_login(contact)
    assert url in contact_client.get(detail_url(activity)).content.decode()
    assert url not in council_client.get(detail_url(activity)).content.decode()
    assert url not in facilitator_client.get(detail_url(activity)).content.decode()


def _detail_queries(client, activity) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(detail_url(activity))
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("client_name", ["developer_client", "council_client"])
def test_activity_page_runs_a_constant_number_of_queries(request, client_name, plan, areas):
    client = request.getfixturevalue(client_name)
    activity = ActivityFactory(plan=plan, contact_user=UserFactory(role=Role.DEVELOPER))
    group = WorkshopGroupFactory(area=areas["upphandling"])

    def add(count: int):
        for _ in range(count):
            proposal = ProposalFactory(group=group)
            activity.proposals.add(proposal)
            proposal.evidence.add(FindingFactory(area=areas["upphandling"], quote="Citat"))
            MilestoneFactory(activity=activity, is_done=True)
            ActivityFactory(plan=plan, parent=activity)

    add(1)
    small = _detail_queries(client, activity)
    add(9)
    assert _detail_queries(client, activity) == small


@pytest.mark.parametrize("client_name", ["developer_client", "council_client"])
def test_the_findings_behind_an_activity_are_listed_a_page_at_a_time(
    request, client_name, plan, areas
):
    from actionplan.views.activities import FINDINGS_PAGE_SIZE

    client = request.getfixturevalue(client_name)
    activity = ActivityFactory(plan=plan)
    proposal = ProposalFactory(group=WorkshopGroupFactory(area=areas["upphandling"]))
    activity.proposals.add(proposal)
    proposal.evidence.add(
        *(FindingFactory(area=areas["upphandling"]) for _ in range(FINDINGS_PAGE_SIZE + 3)),
        FindingFactory(area=areas["upphandling"], is_confidential=True, text="Hemlig plan"),
    )
    first = client.get(detail_url(activity))
    second = client.get(detail_url(activity), {"page": 2})
    internal = client_name == "developer_client"

    assert len(first.context["findings"]) == FINDINGS_PAGE_SIZE
    assert len(second.context["findings"]) == 3 + (1 if internal else 0)
    assert first.context["finding_page"].paginator.num_pages == 2
    assert first.context["hidden_finding_count"] == (0 if internal else 1)
    listed = {f.pk for f in first.context["findings"]} | {f.pk for f in second.context["findings"]}
    assert len(listed) == FINDINGS_PAGE_SIZE + 3 + (1 if internal else 0)
    assert ("Hemlig plan" in second.content.decode()) is internal
    assert 'href="?page=2"' in first.content.decode()
    assert client.get(detail_url(activity), {"page": "x"}).status_code == 200


def test_the_findings_behind_an_activity_are_listed_area_by_area_across_pages(
    developer_client, plan, areas
):
    from actionplan.selectors import ACTIVITY_FINDING_ORDER
    from actionplan.views.activities import FINDINGS_PAGE_SIZE
    from interviews.models import Finding

    activity = ActivityFactory(plan=plan)
    proposal = ProposalFactory(group=WorkshopGroupFactory(area=areas["upphandling"]))
    activity.proposals.add(proposal)
    proposal.evidence.add(
        *(
            FindingFactory(area=area, type=kind, importance=importance)
            for area in (areas["upphandling"], areas["kompetensforsorjning"])
            for kind in ("styrka", "utmaning", "ide")
            for importance in (1, 3, 2)
            for _ in range(2)
        )
    )
    pages = [
        developer_client.get(detail_url(activity), {"page": number}).context["findings"]
        for number in (1, 2)
    ]
    listed = [finding.pk for page in pages for finding in page]

    assert len(pages[0]) == FINDINGS_PAGE_SIZE
    expected = Finding.objects.filter(proposals=proposal).order_by(*ACTIVITY_FINDING_ORDER)
    assert listed == [finding.pk for finding in expected]
    assert [f.area.order for f in pages[1]] == sorted(f.area.order for f in pages[1])


# --- Progress update ---------------------------------------------------------------------------


def progress_url(activity) -> str:
    return reverse("actionplan:activity_progress", args=[activity.pk])


def test_contact_user_updates_progress_of_their_own_activity(chain):
    from django.test import Client

    activity = chain["activity"]
    client = Client()
    client.force_login(activity.contact_user)
    assert client.get(progress_url(activity)).status_code == 200
    response = client.post(progress_url(activity), {"status": "pagar", "manual_progress": "65"})
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.manual_progress == 65
    other = ActivityFactory(plan=activity.plan)
    assert client.get(progress_url(other)).status_code == 403
    assert (
        client.post(progress_url(other), {"status": "klar", "manual_progress": "100"}).status_code
        == 403
    )
    other.refresh_from_db()
    assert other.status == ActivityStatus.ONGOING


@pytest.mark.parametrize("client_name", ["council_client", "facilitator_client"])
def test_others_cannot_update_progress(request, client_name, plan):
    client = request.getfixturevalue(client_name)
    activity = ActivityFactory(plan=plan)
    assert client.get(progress_url(activity)).status_code == 403
    assert (
        client.post(
            progress_url(activity), {"status": "klar", "manual_progress": "100"}
        ).status_code
        == 403
    )


def test_progress_done_is_celebrated(developer_client, plan):
    activity = ActivityFactory(plan=plan)
    developer_client.post(progress_url(activity), {"status": "klar", "manual_progress": "100"})
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.DONE
    assert (
        Celebration.objects.filter(activity=activity, kind=CelebrationKind.ACTIVITY_DONE).count()
        == 1
    )


@pytest.mark.parametrize(
    "data",
    [
        {"status": "pagar", "manual_progress": "101"},
        {"status": "pagar", "manual_progress": "-5"},
        {"status": "pagar", "manual_progress": "mycket"},
        {"status": "okand", "manual_progress": "10"},
    ],
)
def test_bad_progress_is_a_400(developer_client, plan, data):
    activity = ActivityFactory(plan=plan, manual_progress=10)
    response = developer_client.post(progress_url(activity), data)
    assert response.status_code == 400
    assert 'id="form-errors"' in response.content.decode()
    activity.refresh_from_db()
    assert activity.manual_progress == 10


def test_progress_form_says_when_the_hand_set_value_is_not_used(developer_client, plan):
    activity = ActivityFactory(plan=plan)
    MilestoneFactory(activity=activity)
    body = developer_client.get(progress_url(activity)).content.decode()
    assert "alert-info" in body
    plain = ActivityFactory(plan=plan)
    assert "alert-info" not in developer_client.get(progress_url(plain)).content.decode()


def test_an_activity_with_open_items_cannot_be_marked_done(developer_client, plan):
    """Not "klar" beside work still to do: each open milestone and sub-activity is named by
    count; once they are done (or the sub-activity cancelled), it can be."""
    activity = ActivityFactory(plan=plan)
    first = MilestoneFactory(activity=activity, is_done=False)
    MilestoneFactory(activity=activity, is_done=False)
    child = ActivityFactory(plan=plan, parent=activity, status="pagar")
    response = developer_client.post(progress_url(activity), {"status": "klar"})
    assert response.status_code == 400
    body = response.content.decode()
    assert (
        "Aktiviteten kan inte markeras som klar än: 2 delmål är inte klara och 1 delaktivitet"
        in body
    )
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.ONGOING
    assert not Celebration.objects.filter(activity=activity, kind=CelebrationKind.ACTIVITY_DONE)

    activity.milestones.update(is_done=True)
    child.status = "avbruten"
    child.save()
    response = developer_client.post(progress_url(activity), {"status": "klar"})
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.DONE
    # Done means its milestones are too: none can be reopened or added open.
    url = reverse("actionplan:milestone_update", args=[first.pk])
    response = developer_client.post(url, {"title": first.title, "date": first.date, "is_done": ""})
    assert response.status_code == 400
    assert "Aktiviteten är klar" in response.content.decode()
    first.refresh_from_db()
    assert first.is_done


def test_progress_may_be_left_empty_and_is_not_asked_for_when_calculated(developer_client, plan):
    plain = ActivityFactory(plan=plan, manual_progress=40)
    response = developer_client.post(
        progress_url(plain), {"status": "pagar", "manual_progress": ""}
    )
    assert response.status_code == 302
    plain.refresh_from_db()
    assert plain.manual_progress == 40  # left empty: the value stays

    calculated = ActivityFactory(plan=plan, manual_progress=10)
    MilestoneFactory(activity=calculated, is_done=True)
    for url in (progress_url(calculated), update_url(calculated)):
        body = developer_client.get(url).content.decode()
        field = body.split('name="manual_progress"', 1)[1].split(">", 1)[0]
        assert "disabled" in field and "required" not in field
        assert "Beräknas från aktivitetens delmål och delaktiviteter" in body
    response = developer_client.post(
        progress_url(calculated), {"status": "pagar", "manual_progress": "90"}
    )
    assert response.status_code == 302
    calculated.refresh_from_db()
    assert calculated.manual_progress == 10  # a disabled field is not changed by a post


def test_without_a_plan_the_form_says_to_create_one_first(developer_client, proposals):
    for url in (CREATE, FROM_PROPOSALS):
        body = developer_client.get(url).content.decode()
        assert sv("There is no action plan yet.") in body
        assert reverse("actionplan:plan_create") in body


def test_from_proposals_lists_the_first_few_per_area_and_one_area_a_page_at_a_time(
    developer_client, plan, proposals, areas
):
    from actionplan.views.activities import CHOICES_PER_AREA, PAGE_SIZE

    skills = areas["kompetensforsorjning"]
    group = proposals["praktik"].group
    extra = [
        ProposalFactory(group=group, title=f"Förslag {n:03}", votes=1) for n in range(PAGE_SIZE + 1)
    ]
    chosen = extra[-1]  # low in the ranking, but chosen: always listed and ticked
    response = developer_client.get(FROM_PROPOSALS, {"proposal": chosen.pk})
    listed = [p for p in response.context["proposals"] if p.area_id == skills.pk]
    assert len(listed) == CHOICES_PER_AREA + 1
    assert listed[0] == proposals["praktik"]  # most votes first
    body = response.content.decode()
    assert f'value="{chosen.pk}" id="proposal-{chosen.pk}" checked' in body
    total = PAGE_SIZE + 2  # praktik and the extra ones; "Redan i planen" is in the plan
    assert f'href="?area={skills.pk}&amp;proposal={chosen.pk}"' in body
    assert f"Alla {total} förslag inom" in body

    one_area = developer_client.get(FROM_PROPOSALS, {"area": skills.pk, "proposal": chosen.pk})
    assert {p.area_id for p in one_area.context["proposals"]} == {skills.pk}
    assert len(one_area.context["proposals"]) == PAGE_SIZE + 1  # the page, and the chosen one
    assert f'href="?area={skills.pk}&amp;proposal={chosen.pk}&amp;page=2"' in (
        one_area.content.decode()
    )


def test_from_proposals_costs_the_same_queries_for_3_and_30_proposals(
    developer_client, plan, workshop, areas
):
    from tests.querycounts import page_queries

    def add(count):
        for area in list(areas.values())[:3]:
            group = WorkshopGroupFactory(workshop=workshop, area=area)
            for _ in range(count):
                proposal = ProposalFactory(group=group)
                proposal.evidence.add(FindingFactory(area=area))

    add(1)
    _response, few = page_queries(developer_client, FROM_PROPOSALS)
    add(10)
    _response, many = page_queries(developer_client, FROM_PROPOSALS)
    assert many == few


def test_the_activity_history_names_who_changed_the_activity_and_its_milestones(
    developer_client, developer, chain
):
    activity = chain["activity"]
    milestone = MilestoneFactory(activity=activity, title="Första mötet")
    milestone.title = "Första mötet med byggföretagen"
    milestone._history_user = developer
    milestone.save()

    response = developer_client.get(reverse("actionplan:activity_history", args=[activity.pk]))

    body = response.content.decode()
    assert "Första mötet → Första mötet med byggföretagen" in body
    assert str(developer) in body
    assert detail_url(activity) in body  # the way back


def test_the_council_follows_the_plan_without_its_history(council_client, chain):
    url = reverse("actionplan:activity_history", args=[chain["activity"].pk])
    assert council_client.get(url).status_code == 403


def test_an_activity_from_proposals_starts_with_their_areas_and_the_plans_goal(
    developer_client, plan, proposals
):
    """The form is filled in from the proposals: their areas and, when the plan has exactly one
    goal for their one area, that goal."""
    first = proposals["lots"]
    goal = GoalFactory(plan=plan, area=first.area, title="Fler företag får rätt hjälp")
    GoalFactory(plan=plan, area=PriorityArea.objects.exclude(pk=first.area_id).first())
    response = developer_client.get(FROM_PROPOSALS, {"proposal": first.pk})
    form = response.context["form"]
    assert form.initial["areas"] == [first.area_id]
    assert form.initial["goal"] == goal.pk
    body = response.content.decode()
    assert f'<option value="{goal.pk}" selected>' in body
    # A second goal for the area: which one is for the user to say.
    GoalFactory(plan=plan, area=first.area)
    form = developer_client.get(FROM_PROPOSALS, {"proposal": first.pk}).context["form"]
    assert "goal" not in form.initial
