"""Staff, and the council, see on the portal's own pages what the public page shows: a
"Published" badge (a globe and text, linking to the public page) on what staff marked public,
and nothing on the rest, at no cost in queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from actionplan.models import Activity, Celebration, Goal, Indicator
from public_site.templatetags.published import published_badge
from tests.factories import ProposalFactory, WorkshopGroupFactory
from workshops.models import Proposal

from .conftest import SECRETS

pytestmark = pytest.mark.django_db

BADGE = 'class="published-badge"'
PUBLIC = reverse("public:results")


@pytest.fixture(params=["developer_client", "council_client"])
def reader(request):
    """Those who edit the plan, and the council, who only read it: publication is no secret."""
    return request.getfixturevalue(request.param)


def page(client, name: str, *args) -> str:
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200
    return response.content.decode()


def part_with(body: str, text: str, tag: str) -> str:
    """The one element `tag` (a row, an item) of the page that holds `text`, up to its end."""
    parts = [part for part in body.split(f"<{tag}")[1:] if text in part.split(f"</{tag}>")[0]]
    assert len(parts) == 1, (text, len(parts))
    return parts[0].split(f"</{tag}>")[0]


def test_the_badge_is_text_with_an_icon_and_a_link_to_the_public_page():
    badge = str(published_badge("activity", 12))

    assert f'href="{PUBLIC}#activity-12"' in badge
    assert '<svg aria-hidden="true"' in badge
    assert '<span aria-hidden="true">Publicerad</span>' in badge
    assert '<span class="visually-hidden">Publicerad på den offentliga sidan</span>' in badge
    with translation.override("en"):
        english = str(published_badge("activity", 12))
    assert '<span aria-hidden="true">Published</span>' in english
    assert '<span class="visually-hidden">Published on the public page</span>' in english
    assert "style=" not in badge and "title=" not in badge
    assert f'href="{PUBLIC}#goals"' in str(published_badge("goals"))
    assert f'href="{PUBLIC}"' in str(published_badge("", ""))


def test_the_proposal_page_says_whether_it_is_published(reader, dialogue):
    published = page(reader, "workshops:proposal_detail", dialogue.proposal.pk)
    hidden = page(reader, "workshops:proposal_detail", dialogue.hidden_proposal.pk)

    assert published.count(BADGE) == 1
    assert f'href="{PUBLIC}#areas"' in published
    assert BADGE not in hidden


def test_a_merged_or_archived_proposal_is_not_on_the_public_page(developer_client, dialogue):
    """The public page leaves them out whatever their mark, so the badge does too."""
    merged = ProposalFactory(is_public=True, merged_into=dialogue.proposal)
    assert BADGE not in page(developer_client, "workshops:proposal_detail", merged.pk)

    dialogue.area.is_archived = True
    dialogue.area.save(update_fields=["is_archived"])
    assert BADGE not in page(developer_client, "workshops:proposal_detail", dialogue.proposal.pk)


def test_the_workshop_ranking_marks_its_published_proposals(reader, db):
    group = WorkshopGroupFactory()
    ProposalFactory(group=group, title="Publicerat förslag om lotsen", votes=5, is_public=True)
    ProposalFactory(group=group, title="Opublicerat förslag om torget", votes=3)

    body = page(reader, "workshops:workshop_detail", group.workshop_id)

    assert BADGE in part_with(body, "Publicerat förslag om lotsen", "tr")
    assert BADGE not in part_with(body, "Opublicerat förslag om torget", "tr")


def test_the_activity_page_says_whether_it_is_published(reader, dialogue):
    published = page(reader, "actionplan:activity_detail", dialogue.activity.pk)
    hidden = page(reader, "actionplan:activity_detail", dialogue.hidden_activity.pk)

    assert published.count(BADGE) == 1
    assert f'href="{PUBLIC}#activity-{dialogue.activity.pk}"' in published
    assert BADGE not in hidden


def test_the_plan_overview_marks_published_goals_and_activities(reader, dialogue):
    body = page(reader, "actionplan:plan_overview")

    assert BADGE in part_with(body, dialogue.goal.title, "li")
    assert BADGE not in part_with(body, SECRETS["hidden_goal"], "li")
    published_row = part_with(body, dialogue.activity.title, "tr")
    assert BADGE in published_row
    assert f'href="{PUBLIC}#activity-{dialogue.activity.pk}"' in published_row
    assert BADGE not in part_with(body, SECRETS["hidden_activity"], "tr")


def test_the_indicator_pages_mark_the_published_goals(reader, dialogue):
    hidden_indicator = Indicator.objects.get(name=SECRETS["hidden_indicator"])

    published = page(reader, "actionplan:indicator_detail", dialogue.indicator.pk)
    hidden = page(reader, "actionplan:indicator_detail", hidden_indicator.pk)
    listed = page(reader, "actionplan:indicator_list")

    assert BADGE in part_with(published, dialogue.goal.title, "li")
    assert f'href="{PUBLIC}#goals"' in published
    assert BADGE not in hidden
    assert BADGE in part_with(listed, dialogue.goal.title, "li")
    assert BADGE not in part_with(listed, SECRETS["hidden_goal"], "li")


def test_the_celebration_list_marks_the_published_entries(reader, dialogue):
    hidden = Celebration.objects.get(is_public=False)

    body = page(reader, "actionplan:celebration_list")

    published_entry = part_with(body, f'id="celebration-{dialogue.celebration.pk}"', "li")
    assert BADGE in published_entry
    assert f'href="{PUBLIC}#celebrations"' in published_entry
    assert BADGE not in part_with(body, f'id="celebration-{hidden.pk}"', "li")


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_badges_cost_no_query(developer_client, dialogue):
    """is_public comes with the rows the pages load already (and the area a proposal's and a
    goal's badge reads is loaded with them)."""
    ProposalFactory.create_batch(3, group=dialogue.proposal.group)
    urls = [
        reverse("workshops:workshop_detail", args=[dialogue.proposal.group.workshop_id]),
        reverse("workshops:proposal_detail", args=[dialogue.proposal.pk]),
        reverse("actionplan:plan_overview"),
        reverse("actionplan:activity_detail", args=[dialogue.activity.pk]),
        reverse("actionplan:indicator_list"),
        reverse("actionplan:indicator_detail", args=[dialogue.indicator.pk]),
        reverse("actionplan:celebration_list"),
    ]
    for model in (Proposal, Activity, Goal, Celebration):
        model.objects.update(is_public=False)
    unpublished = [_queries(developer_client, url) for url in urls]
    for model in (Proposal, Activity, Goal, Celebration):
        model.objects.update(is_public=True)
    published = [_queries(developer_client, url) for url in urls]

    assert published == unpublished
    assert BADGE in developer_client.get(urls[0]).content.decode()
