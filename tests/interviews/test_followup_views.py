from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from interviews.models import FollowUp
from interviews.views.followups import DONE_SHOWN, PAGE_SIZE
from tests.factories import FollowUpFactory, InterviewFactory
from tests.querycounts import page_queries


@pytest.mark.django_db
def test_raise_a_red_flag_from_an_interview(developer_client, developer):
    interview = InterviewFactory(interviewers=[developer])
    due = timezone.localdate() + timedelta(days=5)
    response = developer_client.post(
        reverse("interviews:followup_create", args=[interview.pk]),
        {
            "flag": "rod",
            "title": "Ring bygglovsenheten",
            "owner": developer.pk,
            "due_date": f"{due:%Y-%m-%d}",
            "status": "oppen",
            "notes": "",
        },
    )
    assert response.status_code == 302
    follow_up = FollowUp.objects.get()
    assert (follow_up.flag, follow_up.owner, follow_up.interview) == ("rod", developer, interview)


@pytest.mark.django_db
def test_red_flag_far_ahead_gives_a_form_error(developer_client, developer):
    interview = InterviewFactory()
    due = timezone.localdate() + timedelta(days=40)
    response = developer_client.post(
        reverse("interviews:followup_create", args=[interview.pk]),
        {
            "flag": "rod",
            "title": "Ring",
            "owner": developer.pk,
            "due_date": f"{due:%Y-%m-%d}",
            "status": "oppen",
        },
    )
    assert response.status_code == 400
    assert "gul flagga" in response.content.decode()
    assert not FollowUp.objects.exists()


@pytest.mark.django_db
def test_my_follow_ups_lists_overdue_first_and_says_so_in_text(developer_client, developer):
    today = timezone.localdate()
    later = FollowUpFactory(owner=developer, title="Senare", due_date=today + timedelta(days=9))
    overdue = FollowUpFactory(
        owner=developer, title="Försenad sak", due_date=today - timedelta(days=3), flag="gul"
    )
    FollowUpFactory(
        owner=developer, title="Avklarad", status="klar", due_date=today - timedelta(days=30)
    )
    FollowUpFactory(title="Någon annans")
    response = developer_client.get(reverse("interviews:followup_list"))
    body = response.content.decode()
    assert [f.pk for f in response.context["open_follow_ups"]] == [overdue.pk, later.pk]
    assert "Någon annans" not in body
    assert "(försenad)" in body
    assert "1 uppföljning är försenad" in body
    assert "Gul flagga" in body


@pytest.mark.django_db
def test_closing_a_follow_up(developer_client, developer):
    follow_up = FollowUpFactory(owner=developer, flag="gul")
    response = developer_client.post(
        reverse("interviews:followup_update", args=[follow_up.pk]),
        {
            "flag": "gul",
            "title": follow_up.title,
            "owner": developer.pk,
            "due_date": f"{follow_up.due_date:%Y-%m-%d}",
            "status": "klar",
            "next": "mine",
        },
    )
    assert response["Location"] == reverse("interviews:followup_list")
    follow_up.refresh_from_db()
    assert follow_up.status == "klar" and follow_up.closed_at is not None


def _open_follow_ups(owner, count: int, **fields) -> list[FollowUp]:
    interview = InterviewFactory()
    return [FollowUpFactory(interview=interview, owner=owner, **fields) for _ in range(count)]


@pytest.mark.django_db
def test_my_follow_ups_cost_the_same_queries_for_3_and_30(developer_client, developer):
    url = reverse("interviews:followup_list")
    for _ in range(3):  # each on its own interview and company
        FollowUpFactory(owner=developer)
    FollowUpFactory(owner=developer, status="klar")
    _response, few = page_queries(developer_client, url)
    for _ in range(27):
        FollowUpFactory(owner=developer)
    for _ in range(5):
        FollowUpFactory(owner=developer, status="klar")
    response, many = page_queries(developer_client, url)
    assert len(response.context["open_follow_ups"]) == min(30, PAGE_SIZE)
    assert many == few


@pytest.mark.django_db
def test_my_follow_ups_are_paginated_and_count_every_overdue_one(developer_client, developer):
    today = timezone.localdate()
    overdue = _open_follow_ups(developer, PAGE_SIZE, due_date=today - timedelta(days=2))
    later = _open_follow_ups(developer, 3, due_date=today + timedelta(days=5))
    url = reverse("interviews:followup_list")

    first = developer_client.get(url)
    assert [f.pk for f in first.context["open_follow_ups"]] == [f.pk for f in overdue]
    body = first.content.decode()
    assert f"{PAGE_SIZE} uppföljningar är försenade" in body
    assert f"{PAGE_SIZE + 3} öppna uppföljningar." in body
    assert 'href="?page=2"' in body

    second = developer_client.get(url, {"page": 2})
    assert [f.pk for f in second.context["open_follow_ups"]] == [f.pk for f in later]
    assert 'href="?page=1"' in second.content.decode()


@pytest.mark.django_db
def test_recently_done_shows_the_latest_closed_ones_only(developer_client, developer):
    now = timezone.now()
    interview = InterviewFactory()
    done = [
        FollowUpFactory(
            interview=interview,
            owner=developer,
            status="klar",
            closed_at=now - timedelta(days=days),
        )
        for days in range(DONE_SHOWN + 5)
    ]
    response = developer_client.get(reverse("interviews:followup_list"))
    assert [f.pk for f in response.context["done_follow_ups"]] == [f.pk for f in done[:DONE_SHOWN]]


@pytest.mark.django_db
def test_the_flag_is_red_or_yellow_with_no_blank_radio_button(developer_client, developer):
    """Pages with radio buttons offer no "---------" choice (the flag field has no default)."""
    import re

    from tests.factories import InterviewFactory

    interview = InterviewFactory(interviewers=[developer])
    pages = [
        reverse("interviews:interview_detail", args=[interview.pk]),
        reverse("interviews:interview_update", args=[interview.pk]),
    ]
    for url in pages:
        body = developer_client.get(url).content.decode()
        radios = re.findall(r'<input[^>]*type="radio"[^>]*>', body)
        assert radios, url
        assert not [radio for radio in radios if 'value=""' in radio], url
    detail = developer_client.get(pages[0]).content.decode()
    flags = re.findall(r'<input[^>]*name="flag"[^>]*>', detail)
    assert len(flags) == 2
