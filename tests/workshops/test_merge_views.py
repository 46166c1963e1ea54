from __future__ import annotations

import pytest
from django.urls import reverse

from smeportal.areas.models import PriorityArea
from tests.confirmations import post_confirmed
from tests.factories import FindingFactory, ProposalFactory, WorkshopGroupFactory
from workshops.models import Proposal
from workshops.services import proposals_merge


@pytest.fixture
def proposals(db):
    service = PriorityArea.objects.get(slug="service-och-samverkan")
    skills = PriorityArea.objects.get(slug="kompetensforsorjning")
    group = WorkshopGroupFactory(name="Bord 3", area=service)
    other_group = WorkshopGroupFactory(name="Bord 4", area=skills, workshop=group.workshop)
    return {
        "lots": ProposalFactory(group=group, title="Bygglovslots för små företag", votes=9),
        "lots2": ProposalFactory(group=group, title="En lots genom bygglovet", votes=4),
        "lots3": ProposalFactory(group=other_group, title="Lots för tillstånd", votes=2),
        "praktik": ProposalFactory(group=other_group, title="Praktikplatsbank", votes=6),
    }


def _url(proposals) -> str:
    return reverse("workshops:merge", args=[proposals["lots"].group.workshop_id])


@pytest.mark.django_db
def test_merge_page_lists_live_proposals_by_area(facilitator_client, proposals):
    proposals_merge(survivor=proposals["praktik"], duplicates=[proposals["lots3"]])
    response = facilitator_client.get(_url(proposals))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Bygglovslots för små företag" in body
    assert "Praktikplatsbank" in body
    assert "Lots för tillstånd" not in body  # already merged
    assert body.index("Service till företag") < body.index("Kompetensförsörjning")
    assert 'name="survivor"' in body and 'name="proposals"' in body


@pytest.mark.django_db
@pytest.mark.parametrize("client_name", ["facilitator_client", "admin_client"])
def test_merge_keeps_the_chosen_one_and_adds_votes(request, client_name, proposals):
    client = request.getfixturevalue(client_name)
    finding = FindingFactory()
    proposals["lots3"].evidence.add(finding)
    data = {
        "proposals": [proposals["lots"].pk, proposals["lots2"].pk, proposals["lots3"].pk],
        "survivor": proposals["lots"].pk,
    }
    asked = client.post(_url(proposals), data)
    assert asked.status_code == 200
    assert Proposal.objects.get(pk=proposals["lots2"].pk).merged_into_id is None
    assert "Slå ihop förslag" in asked.content.decode()
    response = post_confirmed(client, _url(proposals), data, follow=True)
    survivor = Proposal.objects.get(pk=proposals["lots"].pk)
    assert response.redirect_chain[-1][0] == reverse(
        "workshops:proposal_detail", args=[survivor.pk]
    )
    assert survivor.votes == 15
    assert list(survivor.evidence.all()) == [finding]
    body = response.content.decode()
    assert "15" in body and ("2 förslag" in body or "2 proposals" in body)
    for key in ("lots2", "lots3"):
        merged = Proposal.objects.get(pk=proposals[key].pk)
        assert (merged.merged_into_id, merged.status) == (survivor.pk, "sammanslagen")
    assert Proposal.objects.count() == 4


@pytest.mark.django_db
@pytest.mark.parametrize("client_name", ["council_client", "developer_client"])
def test_only_editors_may_merge(request, client_name, proposals):
    client = request.getfixturevalue(client_name)
    assert client.get(_url(proposals)).status_code == 403
    data = {
        "proposals": [proposals["lots"].pk, proposals["lots2"].pk],
        "survivor": proposals["lots"].pk,
    }
    assert client.post(_url(proposals), data).status_code == 403
    assert not Proposal.objects.filter(merged_into__isnull=False).exists()


def _bad_inputs(proposals):
    stranger = ProposalFactory(title="Annan workshop")
    merged = ProposalFactory(group=proposals["lots"].group, title="Redan ihopslagen")
    proposals_merge(survivor=proposals["praktik"], duplicates=[merged])
    lots, lots2 = proposals["lots"].pk, proposals["lots2"].pk
    return {
        "nothing": {},
        "only one": {"proposals": [lots], "survivor": lots},
        "no survivor": {"proposals": [lots, lots2]},
        "survivor not ticked": {"proposals": [lots, lots2], "survivor": proposals["praktik"].pk},
        "other workshop": {"proposals": [lots, stranger.pk], "survivor": lots},
        "other workshop survivor": {"proposals": [lots, stranger.pk], "survivor": stranger.pk},
        "already merged": {"proposals": [lots, merged.pk], "survivor": lots},
        "not a number": {"proposals": [lots, "x"], "survivor": lots},
        "unknown id": {"proposals": [lots, 999999], "survivor": lots},
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    "case",
    [
        "nothing",
        "only one",
        "no survivor",
        "survivor not ticked",
        "other workshop",
        "other workshop survivor",
        "already merged",
        "not a number",
        "unknown id",
    ],
)
def test_bad_merge_is_400_and_changes_nothing(facilitator_client, proposals, case):
    data = _bad_inputs(proposals)[case]
    before = list(
        Proposal.objects.order_by("pk").values_list("pk", "votes", "merged_into", "status")
    )
    response = facilitator_client.post(_url(proposals), data)
    assert response.status_code == 400
    assert "form-errors" in response.content.decode()
    after = list(
        Proposal.objects.order_by("pk").values_list("pk", "votes", "merged_into", "status")
    )
    assert after == before


@pytest.mark.django_db
def test_bad_merge_keeps_the_ticks(facilitator_client, proposals):
    lots, lots2 = proposals["lots"].pk, proposals["lots2"].pk
    body = facilitator_client.post(_url(proposals), {"proposals": [lots, lots2]}).content.decode()
    assert f'value="{lots}" id="merge-{lots}" checked' in body


@pytest.mark.django_db
def test_unknown_workshop_is_404(facilitator_client):
    url = reverse("workshops:merge", args=[99999])
    assert facilitator_client.get(url).status_code == 404
    assert facilitator_client.post(url, {}).status_code == 404


@pytest.mark.django_db
def test_merge_page_runs_a_constant_number_of_queries(
    facilitator_client, proposals, django_assert_max_num_queries
):
    url = _url(proposals)
    facilitator_client.get(url)
    with django_assert_max_num_queries(8) as small:
        assert facilitator_client.get(url).status_code == 200
    group = proposals["lots"].group
    for number in range(20):
        proposal = ProposalFactory(group=group, title=f"Förslag {number}")
        proposal.evidence.add(FindingFactory())
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert facilitator_client.get(url).status_code == 200


# --- Across areas, into the plan, and undone -----------------------------------------------------


def _undo_url(survivor) -> str:
    from workshops.models import ProposalMerge

    merge = ProposalMerge.objects.filter(survivor=survivor, undone_at__isnull=True).latest("pk")
    return reverse("workshops:merge_undo", args=[merge.pk])


@pytest.mark.django_db
def test_merging_across_areas_and_out_of_the_plan_warns_first(facilitator_client, proposals):
    from tests.factories import ActivityFactory

    activity = ActivityFactory(title="Lotsfunktion")
    activity.proposals.add(proposals["lots3"])
    proposals["lots3"].status = "i_handlingsplan"
    proposals["lots3"].save()
    data = {
        "proposals": [proposals["lots"].pk, proposals["lots3"].pk],
        "survivor": proposals["lots"].pk,
    }
    asked = facilitator_client.post(_url(proposals), data).content.decode()
    assert "olika prioriterade områden" in asked
    assert "redan i handlingsplanen" in asked
    post_confirmed(facilitator_client, _url(proposals), data)
    survivor = Proposal.objects.get(pk=proposals["lots"].pk)
    # The plan's activity now names the proposal that lives on, not the merged one.
    assert list(activity.proposals.all()) == [survivor]
    assert survivor.status == "i_handlingsplan"


@pytest.mark.django_db
def test_a_lineage_ends_at_the_final_survivor(facilitator_client, proposals):
    proposals_merge(survivor=proposals["lots2"], duplicates=[proposals["lots3"]])
    proposals_merge(survivor=proposals["lots"], duplicates=[proposals["lots2"]])
    first = Proposal.objects.get(pk=proposals["lots3"].pk)
    assert first.merged_into_id == proposals["lots"].pk
    body = facilitator_client.get(
        reverse("workshops:proposal_detail", args=[first.pk])
    ).content.decode()
    assert reverse("workshops:proposal_detail", args=[proposals["lots"].pk]) in body


@pytest.mark.django_db
def test_undo_restores_votes_evidence_statuses_lineage_and_plan_exactly(
    facilitator_client, proposals
):
    from tests.factories import ActivityFactory
    from workshops.models import ProposalMerge

    shared, own, brought = FindingFactory(), FindingFactory(), FindingFactory()
    proposals["lots"].evidence.add(shared, own)
    proposals["lots2"].evidence.add(shared, brought)
    proposals_merge(survivor=proposals["lots2"], duplicates=[proposals["lots3"]])
    activity = ActivityFactory(title="Lotsfunktion")
    activity.proposals.add(proposals["lots2"])
    Proposal.objects.filter(pk=proposals["lots2"].pk).update(status="i_handlingsplan")
    before = {
        p.pk: (p.votes, p.status, p.merged_into_id, set(p.evidence.values_list("pk", flat=True)))
        for p in Proposal.objects.all()
    }
    data = {
        "proposals": [proposals["lots"].pk, proposals["lots2"].pk],
        "survivor": proposals["lots"].pk,
    }
    post_confirmed(facilitator_client, _url(proposals), data)
    survivor = Proposal.objects.get(pk=proposals["lots"].pk)
    assert survivor.votes == 9 + 4 + 2
    assert Proposal.objects.get(pk=proposals["lots3"].pk).merged_into_id == survivor.pk

    page = facilitator_client.get(reverse("workshops:proposal_detail", args=[survivor.pk]))
    assert "Ångra sammanslagningen" in page.content.decode()
    asked = facilitator_client.post(_undo_url(survivor))
    assert asked.status_code == 200 and "Vill du ångra sammanslagningen?" in asked.content.decode()
    assert Proposal.objects.get(pk=proposals["lots2"].pk).merged_into_id == survivor.pk
    url = _undo_url(survivor)
    response = post_confirmed(facilitator_client, url, follow=True)
    assert "Sammanslagningen ångrades" in response.content.decode()

    after = {
        p.pk: (p.votes, p.status, p.merged_into_id, set(p.evidence.values_list("pk", flat=True)))
        for p in Proposal.objects.all()
    }
    assert after == before
    assert list(activity.proposals.all()) == [Proposal.objects.get(pk=proposals["lots2"].pk)]
    merge = ProposalMerge.objects.filter(survivor=survivor).latest("pk")
    assert merge.undone_at is not None and merge.undone_by.username == "processledare"
    again = facilitator_client.post(url)
    assert again.status_code == 409
    assert "redan ångrats" in again.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("change", ["votes", "evidence", "merged_on"])
def test_undo_is_refused_once_something_is_built_on_the_result(
    facilitator_client, proposals, change
):
    survivor = proposals["lots"]
    proposals_merge(survivor=survivor, duplicates=[proposals["lots2"]])
    url = _undo_url(survivor)
    if change == "votes":
        Proposal.objects.filter(pk=survivor.pk).update(votes=20)
    elif change == "evidence":
        Proposal.objects.get(pk=survivor.pk).evidence.add(FindingFactory())
    else:
        proposals_merge(
            survivor=proposals["praktik"], duplicates=[Proposal.objects.get(pk=survivor.pk)]
        )
    page = facilitator_client.get(reverse("workshops:proposal_detail", args=[survivor.pk]))
    if change != "merged_on":
        assert "Det går inte längre att ångra:" in page.content.decode()
    response = facilitator_client.post(url)
    assert response.status_code == 409
    assert "Sammanslagningen kan inte ångras" in response.content.decode()
    # Nothing was undone: the duplicate is still merged (into the final survivor).
    final = proposals["praktik"] if change == "merged_on" else survivor
    assert Proposal.objects.get(pk=proposals["lots2"].pk).merged_into_id == final.pk


@pytest.mark.django_db
@pytest.mark.parametrize("client_name", ["council_client", "developer_client"])
def test_only_editors_may_undo_a_merge(request, client_name, proposals):
    client = request.getfixturevalue(client_name)
    proposals_merge(survivor=proposals["lots"], duplicates=[proposals["lots2"]])
    assert client.post(_undo_url(proposals["lots"])).status_code == 403
    body = client.get(reverse("workshops:proposal_detail", args=[proposals["lots"].pk]))
    assert "Ångra sammanslagningen" not in body.content.decode()


@pytest.mark.django_db
def test_the_migration_points_old_chains_at_the_final_survivor(proposals):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("workshops.migrations.0008_proposal_merge")
    Proposal.objects.filter(pk=proposals["lots2"].pk).update(merged_into=proposals["lots"])
    Proposal.objects.filter(pk=proposals["lots3"].pk).update(merged_into=proposals["lots2"])
    migration.point_to_the_final_survivor(apps, None)
    assert Proposal.objects.get(pk=proposals["lots3"].pk).merged_into_id == proposals["lots"].pk
    assert Proposal.objects.get(pk=proposals["lots2"].pk).merged_into_id == proposals["lots"].pk
