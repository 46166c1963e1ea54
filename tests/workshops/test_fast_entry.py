from __future__ import annotations

import pytest
from django.urls import reverse

from smeportal.areas.models import PriorityArea
from tests.factories import ProposalFactory, WorkshopGroupFactory
from workshops.models import Proposal

HTMX = {"HTTP_HX_REQUEST": "true"}


def entry_data(**changes) -> dict:
    return {
        "title": "En väg in för företagens ärenden",
        "actor": "kommunen",
        "description": "Ett telefonnummer och en kontaktperson genom hela ärendet.",
        "horizon": "inom_1_ar",
        "effect": "3",
        "effort": "2",
        **changes,
    }


@pytest.fixture
def group(db):
    return WorkshopGroupFactory(name="Bord 3", area=PriorityArea.objects.get(order=3))


def url(group) -> str:
    return reverse("workshops:fast_entry", args=[group.pk])


@pytest.mark.django_db
def test_the_page_has_the_form_first_and_the_groups_proposals_newest_first(
    facilitator_client, group
):
    ProposalFactory(group=group, title="Äldre förslag")
    ProposalFactory(group=group, title="Nyare förslag")
    response = facilitator_client.get(url(group))
    assert response.status_code == 200
    body = response.content.decode()
    assert body.index('id="fast-entry-form"') < body.index("Nyare förslag")
    assert body.index("Nyare förslag") < body.index("Äldre förslag")
    assert 'role="status"' in body
    assert "autofocus" in body
    assert f'data-hx-post="{url(group)}"' in body
    assert response.context["form"]["area"].value() == group.area_id


@pytest.mark.django_db
def test_with_htmx_a_proposal_is_added_and_a_fragment_comes_back(
    facilitator_client, facilitator, group
):
    response = facilitator_client.post(url(group), entry_data(), **HTMX)
    assert response.status_code == 200
    proposal = Proposal.objects.get()
    assert (proposal.group, proposal.area, proposal.actor, proposal.created_by) == (
        group,
        group.area,
        "kommunen",
        facilitator,
    )
    assert (proposal.effect, proposal.effort, proposal.horizon) == (3, 2, "inom_1_ar")
    body = response.content.decode()
    assert "<html" not in body
    assert 'id="fast-entry-form"' in body
    assert (
        'id="fast-entry-proposals" aria-labelledby="fast-entry-proposals-heading" data-hx-swap-oob'
        in body
    )
    assert 'id="fast-entry-status"' in body and 'data-hx-swap-oob="innerHTML"' in body
    assert "En väg in för företagens ärenden" in body
    # The fresh form is empty, so the next proposal can be typed at once.
    assert response.context["form"].is_bound is False
    assert 'value="En väg in' not in body


@pytest.mark.django_db
def test_without_htmx_the_page_redirects_back_and_says_what_was_added(facilitator_client, group):
    response = facilitator_client.post(url(group), entry_data())
    assert response.status_code in (302, 303)
    proposal = Proposal.objects.get()
    assert response["Location"] == f"{url(group)}?tillagt={proposal.pk}"
    body = facilitator_client.get(response["Location"]).content.decode()
    status = body.split('id="fast-entry-status"', 1)[1].split("</div>", 1)[0]
    assert "Förslaget ”En väg in för företagens ärenden” lades till." in status
    undo = reverse("workshops:proposal_undo_add", args=[proposal.pk])
    assert f'action="{undo}"' in body
    # Reloaded later, or for someone else's proposal, the page offers nothing to take back.
    facilitator_client.post(url(group), entry_data(title="Nästa förslag"))
    assert f'action="{undo}"' not in facilitator_client.get(response["Location"]).content.decode()


@pytest.mark.django_db
def test_the_last_proposal_added_can_be_taken_back(facilitator_client, group):
    added = facilitator_client.post(url(group), entry_data(), **HTMX).content.decode()
    proposal = Proposal.objects.get()
    undo = reverse("workshops:proposal_undo_add", args=[proposal.pk])
    assert f'action="{undo}"' in added
    response = facilitator_client.post(undo, follow=True)
    assert (
        "Förslaget ”En väg in för företagens ärenden” togs tillbaka." in response.content.decode()
    )
    assert not Proposal.objects.exists()
    assert Proposal.history.filter(history_type="-").count() == 1  # the history keeps it


@pytest.mark.django_db
@pytest.mark.parametrize("built", ["votes", "evidence", "older", "colleague"])
def test_a_proposal_with_something_built_on_it_cannot_be_taken_back(
    facilitator_client, group, built
):
    from tests.factories import FindingFactory, ProposalFactory

    facilitator_client.post(url(group), entry_data(), **HTMX)
    proposal = Proposal.objects.get()
    if built == "votes":
        Proposal.objects.filter(pk=proposal.pk).update(votes=3)
    elif built == "evidence":
        proposal.evidence.add(FindingFactory())
    elif built == "older":
        facilitator_client.post(url(group), entry_data(title="Ett senare förslag"), **HTMX)
    else:
        ProposalFactory(group=group, title="En kollegas förslag")
    response = facilitator_client.post(reverse("workshops:proposal_undo_add", args=[proposal.pk]))
    assert response.status_code == 409
    assert 'role="alert"' in response.content.decode()
    assert Proposal.objects.filter(pk=proposal.pk).exists()


@pytest.mark.django_db
def test_the_area_can_be_changed_from_the_groups(facilitator_client, group):
    other = PriorityArea.objects.get(order=4)
    facilitator_client.post(url(group), entry_data(area=other.pk), **HTMX)
    assert Proposal.objects.get().area == other


@pytest.mark.django_db
def test_with_htmx_an_empty_title_comes_back_as_the_form_with_errors(facilitator_client, group):
    response = facilitator_client.post(url(group), entry_data(title=""), **HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body
    assert 'id="form-errors"' in body
    assert "title" in response.context["form"].errors
    assert "hx-swap-oob" not in body
    assert not Proposal.objects.exists()


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"title": ""}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"description": "x" * 4001}, "description"),
        ({"actor": "regeringen"}, "actor"),
        ({"actor": ""}, "actor"),
        ({"area": "999999"}, "area"),
        ({"effect": "7"}, "effect"),
        ({"horizon": "aldrig"}, "horizon"),
    ],
)
@pytest.mark.django_db
def test_without_htmx_bad_input_is_a_400_with_the_error_summary(
    facilitator_client, group, changes, field
):
    response = facilitator_client.post(url(group), entry_data(**changes))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert 'id="form-errors"' in response.content.decode()
    assert not Proposal.objects.exists()


@pytest.mark.django_db
def test_an_archived_area_cannot_be_chosen(facilitator_client, group):
    archived = PriorityArea.objects.get(order=5)
    archived.is_archived = True
    archived.save()
    response = facilitator_client.post(url(group), entry_data(area=archived.pk))
    assert response.status_code == 400
    assert "area" in response.context["form"].errors


@pytest.mark.django_db
def test_unknown_group_is_404(facilitator_client):
    missing = reverse("workshops:fast_entry", args=[999])
    assert facilitator_client.get(missing).status_code == 404
    assert facilitator_client.post(missing, entry_data(), **HTMX).status_code == 404
    assert not Proposal.objects.exists()


@pytest.mark.parametrize("client_name", ["council_client", "developer_client"])
@pytest.mark.django_db
def test_readers_get_403_and_nothing_is_added(request, client_name, group):
    client = request.getfixturevalue(client_name)
    assert client.get(url(group)).status_code == 403
    assert client.post(url(group), entry_data()).status_code == 403
    assert client.post(url(group), entry_data(), **HTMX).status_code == 403
    assert not Proposal.objects.exists()


@pytest.mark.django_db
def test_administrator_may_enter_proposals(admin_client, group):
    response = admin_client.post(url(group), entry_data(), **HTMX)
    assert response.status_code == 200
    assert Proposal.objects.count() == 1


@pytest.mark.django_db
def test_page_query_count_is_constant(facilitator_client, group, django_assert_max_num_queries):
    ProposalFactory(group=group)
    facilitator_client.get(url(group))
    with django_assert_max_num_queries(15) as small:
        facilitator_client.get(url(group))
    ProposalFactory.create_batch(20, group=group, area=PriorityArea.objects.get(order=6))
    with django_assert_max_num_queries(15) as large:
        facilitator_client.get(url(group))
    assert len(large.captured_queries) == len(small.captured_queries)
