from __future__ import annotations

import re

import pytest
from django.urls import reverse

from smeportal.accounts.roles import Role
from smeportal.areas.models import PriorityArea
from tests.factories import ProposalFactory, UserFactory, WorkshopFactory, WorkshopGroupFactory
from workshops.models import Workshop

WORKSHOP_DATA = {
    "title": "Företagsdialog 11 november",
    "date": "2025-11-11",
    "place": "Munktellarenan",
    "description": "Resultaten från 60 intervjuer och grupparbete per område.",
    "status": "genomford",
    "participants_total": "80",
    "participants_companies": "55",
    "participants_municipality": "20",
    "participants_other": "5",
}


def areas() -> list[PriorityArea]:
    return list(PriorityArea.objects.filter(is_archived=False).order_by("order"))


@pytest.mark.django_db
def test_facilitator_creates_a_workshop(facilitator_client, facilitator, administrator):
    response = facilitator_client.post(
        reverse("workshops:workshop_create"),
        {**WORKSHOP_DATA, "facilitators": [facilitator.pk, administrator.pk]},
    )
    workshop = Workshop.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("workshops:workshop_detail", args=[workshop.pk])
    assert workshop.title == "Företagsdialog 11 november"
    assert str(workshop.date) == "2025-11-11"
    assert set(workshop.facilitators.all()) == {facilitator, administrator}


@pytest.mark.django_db
def test_a_new_workshop_gets_a_group_per_area_in_one_step(facilitator_client, facilitator):
    create = reverse("workshops:workshop_create")
    assert (
        "Skapa en grupp för varje prioriterat område"
        in facilitator_client.get(create).content.decode()
    )
    facilitator_client.post(
        create, {**WORKSHOP_DATA, "facilitators": [facilitator.pk], "group_per_area": "on"}
    )
    workshop = Workshop.objects.get()
    groups = list(workshop.groups.order_by("area__order"))
    assert [group.area for group in groups] == areas()
    assert groups[0].name == f"1. {areas()[0].name}"
    # Unticked: no groups; and editing a workshop neither offers nor makes them.
    facilitator_client.post(
        create, {**WORKSHOP_DATA, "title": "Utan grupper", "facilitators": [facilitator.pk]}
    )
    assert not Workshop.objects.get(title="Utan grupper").groups.exists()
    edit = reverse("workshops:workshop_update", args=[workshop.pk])
    assert "group_per_area" not in facilitator_client.get(edit).content.decode()
    facilitator_client.post(
        edit, {**WORKSHOP_DATA, "facilitators": [facilitator.pk], "group_per_area": "on"}
    )
    assert workshop.groups.count() == len(areas())


@pytest.mark.django_db
def test_the_form_offers_only_facilitators_and_administrators(
    facilitator_client, facilitator, administrator, developer, council_member
):
    response = facilitator_client.get(reverse("workshops:workshop_create"))
    offered = set(response.context["form"].fields["facilitators"].queryset)
    assert offered == {facilitator, administrator}
    body = response.content.decode()
    assert 'type="date"' in body
    assert str(developer) not in body


@pytest.mark.django_db
def test_a_business_developer_cannot_be_made_facilitator(facilitator_client, developer):
    response = facilitator_client.post(
        reverse("workshops:workshop_create"), {**WORKSHOP_DATA, "facilitators": [developer.pk]}
    )
    assert response.status_code == 400
    assert "facilitators" in response.context["form"].errors
    assert not Workshop.objects.exists()


@pytest.mark.django_db
def test_a_split_larger_than_the_total_is_a_form_error(facilitator_client):
    response = facilitator_client.post(
        reverse("workshops:workshop_create"), {**WORKSHOP_DATA, "participants_total": "70"}
    )
    assert response.status_code == 400
    assert "participants_total" in response.context["form"].errors
    assert 'id="form-errors"' in response.content.decode()
    assert not Workshop.objects.exists()


@pytest.mark.parametrize(
    "field, value",
    [
        ("title", ""),
        ("title", "x" * 201),
        ("date", "11 november"),
        ("participants_total", "-1"),
        ("participants_companies", "99999"),
        ("status", "okand"),
    ],
)
@pytest.mark.django_db
def test_bad_input_gives_a_form_error(facilitator_client, field, value):
    response = facilitator_client.post(
        reverse("workshops:workshop_create"), {**WORKSHOP_DATA, field: value}
    )
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not Workshop.objects.exists()


@pytest.mark.django_db
def test_administrator_edits_a_workshop(admin_client):
    workshop = WorkshopFactory(title="Gammal titel")
    response = admin_client.post(
        reverse("workshops:workshop_update", args=[workshop.pk]),
        {**WORKSHOP_DATA, "title": "Ny titel", "status": "planerad"},
    )
    assert response.status_code == 302
    workshop.refresh_from_db()
    assert (workshop.title, workshop.status) == ("Ny titel", "planerad")


@pytest.mark.django_db
def test_editing_an_unknown_workshop_is_404(facilitator_client):
    assert (
        facilitator_client.get(reverse("workshops:workshop_update", args=[999])).status_code == 404
    )
    assert (
        facilitator_client.get(reverse("workshops:workshop_detail", args=[999])).status_code == 404
    )


@pytest.mark.parametrize("client_name", ["council_client", "developer_client"])
@pytest.mark.django_db
def test_readers_cannot_create_or_edit_workshops(request, client_name):
    client = request.getfixturevalue(client_name)
    workshop = WorkshopFactory(title="Orörd")
    assert client.get(reverse("workshops:workshop_create")).status_code == 403
    assert client.post(reverse("workshops:workshop_create"), WORKSHOP_DATA).status_code == 403
    update = reverse("workshops:workshop_update", args=[workshop.pk])
    assert client.get(update).status_code == 403
    assert client.post(update, WORKSHOP_DATA).status_code == 403
    assert list(Workshop.objects.values_list("title", flat=True)) == ["Orörd"]


@pytest.mark.parametrize("role_client", list(Role), indirect=True)
@pytest.mark.django_db
def test_every_role_reads_the_list_and_the_workshop_page(role_client):
    workshop = WorkshopFactory(title="Företagsdialogen")
    ProposalFactory(group__workshop=workshop, title="Ett lotsnummer för företag")
    response = role_client.get(reverse("workshops:workshop_list"))
    assert response.status_code == 200
    assert "Företagsdialogen" in response.content.decode()
    response = role_client.get(reverse("workshops:workshop_detail", args=[workshop.pk]))
    assert response.status_code == 200
    assert "Ett lotsnummer för företag" in response.content.decode()


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_the_login_page(client):
    workshop = WorkshopFactory()
    for url in (
        reverse("workshops:workshop_list"),
        reverse("workshops:workshop_detail", args=[workshop.pk]),
        reverse("workshops:workshop_create"),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert "/konto/logga-in/" in response["Location"]


@pytest.mark.django_db
def test_list_is_newest_first_with_counts_and_the_new_link_only_for_editors(
    facilitator_client, council_client
):
    older = WorkshopFactory(title="Vårens dialog", date="2025-03-01")
    newer = WorkshopFactory(title="Höstens dialog", date="2025-11-11")
    group = WorkshopGroupFactory(workshop=newer)
    ProposalFactory.create_batch(3, group=group)
    response = facilitator_client.get(reverse("workshops:workshop_list"))
    listed = list(response.context["page_obj"])
    assert listed == [newer, older]
    assert (listed[0].group_count, listed[0].proposal_count) == (1, 3)
    create_url = reverse("workshops:workshop_create")
    assert create_url in response.content.decode()
    assert create_url not in council_client.get(reverse("workshops:workshop_list")).content.decode()


@pytest.mark.django_db
def test_workshop_page_shows_participants_with_percentages_in_text(council_client):
    workshop = WorkshopFactory(
        participants_total=80,
        participants_companies=55,
        participants_municipality=20,
        participants_other=3,
    )
    response = council_client.get(reverse("workshops:workshop_detail", args=[workshop.pk]))
    body = response.content.decode()
    for text in (">55<", "69 %", ">20<", "25 %", ">3<", "4 %", ">80<", "100 %"):
        assert text in body
    # Two participants said nothing about where they came from.
    assert [row["count"] for row in response.context["participants"]] == [55, 20, 3, 2]


@pytest.mark.django_db
def test_workshop_page_counts_live_proposals_by_area_and_actor(council_client):
    first, second = areas()[:2]
    workshop = WorkshopFactory()
    group = WorkshopGroupFactory(workshop=workshop, area=first, name="Bord 1")
    ProposalFactory(group=group, area=first, actor="kommunen")
    ProposalFactory(group=group, area=first, actor="kommunen")
    ProposalFactory(group=group, area=second, actor="tillsammans")
    survivor = ProposalFactory(group=group, area=first, actor="naringslivet")
    ProposalFactory(
        group=group, area=first, actor="kommunen", merged_into=survivor, status="sammanslagen"
    )
    ProposalFactory(actor="kommunen")  # another workshop
    response = council_client.get(reverse("workshops:workshop_detail", args=[workshop.pk]))
    rows = {row.area.pk: row.counts for row in response.context["area_rows"]}
    assert rows[first.pk] == {"kommunen": 2, "naringslivet": 1, "tillsammans": 0}
    assert rows[second.pk] == {"kommunen": 0, "naringslivet": 0, "tillsammans": 1}
    assert len(rows) == len(areas())  # every active area has a row, even with no proposals
    assert response.context["area_totals"].total == 4
    assert response.context["groups"][0].live_proposal_count == 4
    body = response.content.decode()
    assert first.name in body


@pytest.mark.django_db
def test_ranking_is_by_votes_without_merged_proposals(council_client):
    workshop = WorkshopFactory()
    group = WorkshopGroupFactory(workshop=workshop)
    low = ProposalFactory(group=group, title="Få röster", votes=2)
    top = ProposalFactory(group=group, title="Flest röster", votes=12)
    tied = ProposalFactory(group=group, title="Också många", votes=7)
    other = ProposalFactory(group=group, title="Lika många", votes=7)
    ProposalFactory(group=group, title="Dubblett", votes=0, merged_into=top, status="sammanslagen")
    response = council_client.get(reverse("workshops:workshop_detail", args=[workshop.pk]))
    ranking = response.context["ranking"]
    assert ranking[0] == top
    assert set(ranking[1:3]) == {tied, other}
    assert ranking[3] == low
    assert [proposal.rank for proposal in ranking] == [1, 2, 2, 4]
    body = response.content.decode()
    assert "Dubblett" not in body
    assert reverse("workshops:proposal_detail", args=[top.pk]) in body


@pytest.mark.django_db
def test_editor_links_on_the_workshop_page(facilitator_client, council_client):
    workshop = WorkshopFactory()
    group = WorkshopGroupFactory(workshop=workshop)
    url = reverse("workshops:workshop_detail", args=[workshop.pk])
    editor_links = [
        reverse("workshops:group_create", args=[workshop.pk]),
        reverse("workshops:votes", args=[workshop.pk]),
        reverse("workshops:merge", args=[workshop.pk]),
        reverse("workshops:fast_entry", args=[group.pk]),
        reverse("workshops:group_update", args=[group.pk]),
        reverse("workshops:workshop_update", args=[workshop.pk]),
    ]
    export = reverse("workshops:workshop_export", args=[workshop.pk])
    editor_body = facilitator_client.get(url).content.decode()
    council_body = council_client.get(url).content.decode()
    for link in editor_links:
        assert link in editor_body
        assert link not in council_body
    assert export in editor_body
    assert export in council_body


@pytest.mark.django_db
def test_workshop_page_shows_no_contact_details_to_the_council(council_client):
    facilitator = UserFactory(role=Role.FACILITATOR, email="per.process@example.invalid")
    workshop = WorkshopFactory()
    workshop.facilitators.add(facilitator)
    WorkshopGroupFactory(workshop=workshop, facilitator=facilitator)
    body = council_client.get(reverse("workshops:workshop_detail", args=[workshop.pk])).content
    assert b"per.process@example.invalid" not in body


def _fill(workshop: Workshop, groups: int, proposals_per_group: int) -> None:
    for area in areas()[:groups]:
        group = WorkshopGroupFactory(workshop=workshop, area=area, facilitator=UserFactory())
        proposals = ProposalFactory.create_batch(proposals_per_group, group=group, votes=3)
        ProposalFactory(group=group, merged_into=proposals[0], status="sammanslagen")
    workshop.facilitators.add(*UserFactory.create_batch(groups))


@pytest.mark.django_db
def test_workshop_page_query_count_is_constant(facilitator_client, django_assert_max_num_queries):
    workshop = WorkshopFactory()
    url = reverse("workshops:workshop_detail", args=[workshop.pk])
    _fill(workshop, groups=1, proposals_per_group=1)
    facilitator_client.get(url)
    with django_assert_max_num_queries(12) as small:
        facilitator_client.get(url)
    _fill(workshop, groups=6, proposals_per_group=8)
    with django_assert_max_num_queries(12) as large:
        response = facilitator_client.get(url)
    assert len(response.context["ranking"]) == 1 + 6 * 8
    assert len(large.captured_queries) == len(small.captured_queries)


@pytest.mark.django_db
def test_workshop_list_query_count_is_constant(council_client, django_assert_max_num_queries):
    _fill(WorkshopFactory(), groups=1, proposals_per_group=1)
    url = reverse("workshops:workshop_list")
    council_client.get(url)
    with django_assert_max_num_queries(12) as small:
        council_client.get(url)
    for _ in range(10):
        _fill(WorkshopFactory(), groups=2, proposals_per_group=3)
    with django_assert_max_num_queries(12) as large:
        response = council_client.get(url)
    assert len(response.context["page_obj"]) == 11
    assert len(large.captured_queries) == len(small.captured_queries)


@pytest.mark.django_db
def test_the_ranking_comes_a_page_at_a_time_and_ties_keep_their_rank(council_client):
    from workshops.views.workshops import RANKING_PAGE_SIZE

    workshop = WorkshopFactory()
    group = WorkshopGroupFactory(workshop=workshop)
    for votes in range(RANKING_PAGE_SIZE - 1):
        ProposalFactory(group=group, title=f"Förslag {votes:03}", votes=1000 - votes)
    tied = [ProposalFactory(group=group, title=f"Delad {n}", votes=5) for n in range(3)]
    url = reverse("workshops:workshop_detail", args=[workshop.pk])
    first = council_client.get(url)
    assert [p.rank for p in first.context["ranking"]][-2:] == [
        RANKING_PAGE_SIZE - 1,
        RANKING_PAGE_SIZE,
    ]
    assert 'aria-label="Sidor i rangordningen"' in first.content.decode()
    second = council_client.get(url, {"page": 2})
    assert [p.pk for p in second.context["ranking"]] == [p.pk for p in tied[1:]]
    assert [p.rank for p in second.context["ranking"]] == [RANKING_PAGE_SIZE] * 2
    # The tables above the ranking still count every live proposal.
    assert second.context["area_totals"].total == RANKING_PAGE_SIZE + 2
    assert second.context["groups"][0].live_proposal_count == RANKING_PAGE_SIZE + 2


@pytest.mark.django_db
def test_ranking_pages_past_the_compiled_ones_are_drawn_the_same(
    council_client, monkeypatch, django_assert_max_num_queries
):
    """The first pages of the ranking run SQL compiled once per process, later ones are built
    each time: the same page, in as many queries."""
    from workshops import selectors

    workshop = WorkshopFactory()
    _fill(workshop, groups=3, proposals_per_group=4)
    url = reverse("workshops:workshop_detail", args=[workshop.pk])
    compiled = council_client.get(url)
    monkeypatch.setattr(selectors, "COMPILED_RANKING_PAGES", 0)
    with django_assert_max_num_queries(12):
        built = council_client.get(url)
    assert _without_tokens(built) == _without_tokens(compiled)
    assert [p.rank for p in built.context["ranking"]] == [1] * 12


def _without_tokens(response) -> str:
    return re.sub(
        r'(csrfmiddlewaretoken" value|csrf-token" content)="[^"]+"', "", response.content.decode()
    )
