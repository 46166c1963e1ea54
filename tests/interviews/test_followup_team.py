"""The team's follow-ups: everyone's open ones by owner, several closed or reassigned at once."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from interviews.models import FollowUp
from tests.factories import FollowUpFactory, UserFactory

URL = reverse("interviews:followup_team")


@pytest.fixture
def team(db, developer):
    colleague = UserFactory(first_name="Åsa", last_name="Berg", role="Näringslivsutvecklare")
    today = datetime.date.today()
    return {
        "colleague": colleague,
        "mine": FollowUpFactory(owner=developer, title="Ring Svets AB", flag="gul",
                                due_date=today + datetime.timedelta(days=10)),
        "hers": FollowUpFactory(owner=colleague, title="Boka möte om bygglov", flag="gul",
                                due_date=today + datetime.timedelta(days=5)),
        "done": FollowUpFactory(owner=colleague, title="Redan gjort", status="klar"),
    }  # fmt: skip


def test_everyones_open_follow_ups_by_owner(developer_client, team):
    response = developer_client.get(URL)
    assert response.status_code == 200
    titles = [follow_up.title for follow_up in response.context["follow_ups"]]
    assert set(titles) == {"Ring Svets AB", "Boka möte om bygglov"}
    assert "Redan gjort" not in response.content.decode()
    only_hers = developer_client.get(URL, {"agare": team["colleague"].pk})
    assert [f.title for f in only_hers.context["follow_ups"]] == ["Boka möte om bygglov"]


def test_several_are_closed_or_reassigned_at_once(developer_client, developer, team):
    picked = [team["mine"].pk, team["hers"].pk]
    response = developer_client.post(URL, {"follow_ups": picked, "action": "reassign",
                                           "owner": team["colleague"].pk}, follow=True)  # fmt: skip
    assert "2 uppföljningar ändrades." in response.content.decode()
    assert set(FollowUp.objects.filter(pk__in=picked).values_list("owner", flat=True)) == {
        team["colleague"].pk
    }
    developer_client.post(URL, {"follow_ups": picked, "action": "close"})
    closed = FollowUp.objects.filter(pk__in=picked)
    assert set(closed.values_list("status", flat=True)) == {"klar"}
    assert all(follow_up.closed_at for follow_up in closed)


def test_bad_bulk_input_is_a_400_and_changes_nothing(developer_client, team):
    for data in (
        {"action": "close"},  # nothing ticked
        {"follow_ups": [team["mine"].pk], "action": "reassign"},  # nobody to give them to
        {"follow_ups": [team["done"].pk], "action": "close"},  # not an open one
        {"follow_ups": ["x"], "action": "close"},
        {"follow_ups": [team["mine"].pk], "action": "delete"},
    ):
        response = developer_client.post(URL, data)
        assert response.status_code == 400, data
        assert 'id="form-errors"' in response.content.decode()
    assert FollowUp.objects.get(pk=team["mine"].pk).status != "klar"


def test_a_refused_follow_up_undoes_the_whole_change(developer_client, team):
    """A red flag must be due within a short time: reassigning one far ahead is refused, and the
    other ticked one is not changed either."""
    red = FollowUpFactory(owner=team["colleague"], flag="rod", title="Akut",
                          due_date=datetime.date.today() + datetime.timedelta(days=3))  # fmt: skip
    FollowUp.objects.filter(pk=red.pk).update(
        due_date=datetime.date.today() + datetime.timedelta(days=200)
    )
    response = developer_client.post(URL, {"follow_ups": [team["mine"].pk, red.pk],
                                           "action": "reassign", "owner": team["colleague"].pk})  # fmt: skip
    assert response.status_code == 400
    assert FollowUp.objects.get(pk=team["mine"].pk).owner_id != team["colleague"].pk


@pytest.mark.parametrize("client_name", ["council_client", "facilitator_client"])
def test_others_cannot_see_the_team_list(request, client_name, team):
    client = request.getfixturevalue(client_name)
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"follow_ups": [team["mine"].pk], "action": "close"}).status_code == 403
