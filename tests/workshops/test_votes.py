from __future__ import annotations

import pytest
from django.urls import reverse

from smeportal.areas.models import PriorityArea
from tests.factories import ProposalFactory, WorkshopFactory, WorkshopGroupFactory
from workshops.models import Proposal


@pytest.fixture
def session(db):
    """A workshop with two groups on different areas and a merged duplicate."""
    workshop = WorkshopFactory()
    skills = WorkshopGroupFactory(
        workshop=workshop, name="Bord 4", area=PriorityArea.objects.get(order=4)
    )
    service = WorkshopGroupFactory(
        workshop=workshop, name="Bord 3", area=PriorityArea.objects.get(order=3)
    )
    apprentices = ProposalFactory(group=skills, title="Lärlingsplatser", votes=1)
    permits = ProposalFactory(group=service, title="Snabbare bygglov", votes=5)
    pilot = ProposalFactory(group=service, title="Företagslots", votes=0)
    duplicate = ProposalFactory(
        group=service, title="Bygglov fortare", merged_into=permits, status="sammanslagen"
    )
    return workshop, apprentices, permits, pilot, duplicate


def url(workshop) -> str:
    return reverse("workshops:votes", args=[workshop.pk])


def votes_of(*proposals) -> list[int]:
    return [Proposal.objects.get(pk=proposal.pk).votes for proposal in proposals]


@pytest.mark.django_db
def test_the_page_lists_live_proposals_by_area_with_a_number_each(facilitator_client, session):
    workshop, apprentices, permits, pilot, duplicate = session
    response = facilitator_client.get(url(workshop))
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.fields) == {f"votes_{p.pk}" for p in (apprentices, permits, pilot)}
    areas = [area.order for area, _rows in form.by_area()]
    assert areas == [3, 4]
    body = response.content.decode()
    assert "Bygglov fortare" not in body
    assert f'name="votes_{permits.pk}"' in body
    assert 'type="number"' in body and 'min="0"' in body
    assert f'for="id_votes_{permits.pk}"' in body


@pytest.mark.django_db
def test_saving_votes_updates_the_ranking_on_the_workshop_page(facilitator_client, session):
    workshop, apprentices, permits, pilot, _duplicate = session
    response = facilitator_client.post(
        url(workshop),
        {f"votes_{apprentices.pk}": "14", f"votes_{permits.pk}": "5", f"votes_{pilot.pk}": "9"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("workshops:workshop_detail", args=[workshop.pk])
    assert votes_of(apprentices, permits, pilot) == [14, 5, 9]
    page = facilitator_client.get(response["Location"])
    assert [p.title for p in page.context["ranking"]] == [
        "Lärlingsplatser",
        "Företagslots",
        "Snabbare bygglov",
    ]


@pytest.mark.parametrize("bad", ["-1", "många", "10001", "", "2.5"])
@pytest.mark.django_db
def test_a_bad_number_is_a_form_error_and_nothing_is_saved(facilitator_client, session, bad):
    workshop, apprentices, permits, pilot, _duplicate = session
    response = facilitator_client.post(
        url(workshop),
        {f"votes_{apprentices.pk}": "14", f"votes_{permits.pk}": bad, f"votes_{pilot.pk}": "9"},
    )
    assert response.status_code == 400
    assert f"votes_{permits.pk}" in response.context["form"].errors
    assert 'id="form-errors"' in response.content.decode()
    assert votes_of(apprentices, permits, pilot) == [1, 5, 0]


@pytest.mark.django_db
def test_a_proposal_added_after_the_page_opened_keeps_its_votes(facilitator_client, session):
    workshop, apprentices, permits, pilot, _duplicate = session
    late = ProposalFactory(group=pilot.group, title="Sent förslag", votes=3)
    response = facilitator_client.post(
        url(workshop),
        {f"votes_{apprentices.pk}": "2", f"votes_{permits.pk}": "6", f"votes_{pilot.pk}": "1"},
    )
    assert response.status_code == 302
    assert votes_of(apprentices, permits, pilot, late) == [2, 6, 1, 3]


@pytest.mark.django_db
def test_votes_for_merged_or_other_workshops_proposals_are_ignored(facilitator_client, session):
    workshop, apprentices, permits, pilot, duplicate = session
    elsewhere = ProposalFactory(votes=4)
    response = facilitator_client.post(
        url(workshop),
        {
            f"votes_{apprentices.pk}": "1",
            f"votes_{permits.pk}": "5",
            f"votes_{pilot.pk}": "0",
            f"votes_{duplicate.pk}": "50",
            f"votes_{elsewhere.pk}": "50",
        },
    )
    assert response.status_code == 302
    assert votes_of(duplicate, elsewhere) == [0, 4]


@pytest.mark.django_db
def test_unknown_workshop_is_404(facilitator_client):
    assert facilitator_client.get(url(WorkshopFactory.build(pk=999))).status_code == 404
    assert facilitator_client.post(url(WorkshopFactory.build(pk=999)), {}).status_code == 404


@pytest.mark.django_db
def test_workshop_without_proposals_says_so(facilitator_client):
    workshop = WorkshopFactory()
    response = facilitator_client.get(url(workshop))
    assert response.status_code == 200
    assert '<form method="post" novalidate>' not in response.content.decode()


@pytest.mark.parametrize("client_name", ["council_client", "developer_client"])
@pytest.mark.django_db
def test_readers_cannot_vote(request, client_name, session):
    client = request.getfixturevalue(client_name)
    workshop, apprentices, permits, pilot, _duplicate = session
    assert client.get(url(workshop)).status_code == 403
    response = client.post(url(workshop), {f"votes_{permits.pk}": "99"})
    assert response.status_code == 403
    assert votes_of(permits) == [5]


@pytest.mark.django_db
def test_administrator_can_vote(admin_client, session):
    workshop, apprentices, permits, pilot, _duplicate = session
    response = admin_client.post(url(workshop), {f"votes_{permits.pk}": "8"})
    assert response.status_code == 302
    assert votes_of(apprentices, permits, pilot) == [1, 8, 0]


@pytest.mark.django_db
def test_a_group_name_with_markup_is_shown_as_text_beside_its_field(facilitator_client):
    """Issue 11: a group name reached the field's help text, which is printed unescaped."""
    group = WorkshopGroupFactory(name='<b hx-post="/granskning/gallring/" hx-trigger=load>A</b>')
    proposal = ProposalFactory(group=group, title="Lotsfunktion")
    response = facilitator_client.get(url(group.workshop))
    body = response.content.decode()
    assert "<b hx-post" not in body
    assert (
        f'<p id="votes-group-{proposal.pk}" class="form-text vote-group">Grupp: '
        "&lt;b hx-post=&quot;/granskning/gallring/&quot; hx-trigger=load&gt;A&lt;/b&gt;</p>"
    ) in body
    assert f'aria-describedby="votes-group-{proposal.pk}"' in body
    assert not response.context["form"].fields[f"votes_{proposal.pk}"].help_text


@pytest.mark.django_db
def test_the_votes_page_costs_the_same_queries_for_many_proposals(facilitator_client, session):
    from tests.querycounts import page_queries

    workshop, _apprentices, permits, *_rest = session
    facilitator_client.get(url(workshop))
    _response, small = page_queries(facilitator_client, url(workshop))
    for area in PriorityArea.objects.all():
        group = WorkshopGroupFactory(workshop=workshop, area=area)
        ProposalFactory.create_batch(8, group=group)
    response, large = page_queries(facilitator_client, url(workshop))
    assert len(response.context["form"].proposals) > 40
    assert large == small


@pytest.mark.django_db
def test_a_vote_field_with_an_error_is_marked_invalid_once(facilitator_client, session):
    workshop, _apprentices, permits, pilot, _duplicate = session
    response = facilitator_client.post(url(workshop), {f"votes_{permits.pk}": "många"})
    body = response.content.decode()
    assert response.status_code == 400
    assert body.count("is-invalid") == 1
    assert f'<div id="id_votes_{permits.pk}_error" class="invalid-feedback">' in body
    assert f'for="id_votes_{pilot.pk}"' in body
