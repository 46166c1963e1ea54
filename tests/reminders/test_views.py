"""E-mail settings: each user chooses what they receive; administrators set the schedule."""

from __future__ import annotations

import pytest
from django.urls import reverse

from reminders.services import DIGEST_TASK_NAME, digest_schedule
from smeportal.outbox.models import MailPreference, OutgoingMessage
from tests.factories import FollowUpFactory

pytestmark = pytest.mark.django_db
URL = "reminders:preferences"


@pytest.mark.parametrize("name", ["developer_client", "facilitator_client", "council_client"])
def test_every_role_chooses_what_it_receives(request, name):
    client = request.getfixturevalue(name)
    page = client.get(reverse(URL))
    assert page.status_code == 200
    assert 'name="follow_ups"' in page.content.decode()
    assert "skicka-nu" not in page.content.decode()  # the schedule is the administrators'
    response = client.post(
        reverse(URL), {"language": "en", "follow_ups": "on", "council_summary": "on"}
    )
    assert response.status_code == 302
    preference = MailPreference.objects.get(user=response.wsgi_request.user)
    assert preference.language == "en"
    assert preference.follow_ups and preference.council_summary
    assert not preference.activities and not preference.indicators


def test_a_bad_language_is_a_form_error(developer_client):
    response = developer_client.post(reverse(URL), {"language": "xx"})
    assert response.status_code == 400
    assert 'id="form-errors"' in response.content.decode()
    assert not MailPreference.objects.exists()


def test_the_page_says_what_is_chosen_without_a_saved_choice(developer_client):
    html = developer_client.get(reverse(URL)).content.decode()
    assert (
        'name="follow_ups" class="checkboxinput form-check-input" id="id_follow_ups" checked'
        in (html)
        or ('id="id_follow_ups"' in html and "checked" in html)
    )


def test_administrators_set_the_schedule(admin_client):
    response = admin_client.post(reverse("reminders:schedule_update"), {"hour": "6"})
    assert response.status_code == 302
    schedule = digest_schedule()
    assert schedule.name == DIGEST_TASK_NAME
    assert not schedule.enabled and schedule.crontab.hour == "6"
    assert schedule.crontab.day_of_week == "1-5"
    bad = admin_client.post(reverse("reminders:schedule_update"), {"hour": "25"})
    assert bad.status_code == 400


@pytest.mark.parametrize("name", ["developer_client", "council_client"])
def test_only_administrators_send_the_reminders_now(request, name):
    client = request.getfixturevalue(name)
    assert client.post(reverse("reminders:send_now")).status_code == 403
    assert client.post(reverse("reminders:schedule_update"), {"hour": "6"}).status_code == 403


def test_send_now_queues_todays_reminders_once(admin_client, developer):
    from django.utils import timezone

    FollowUpFactory(owner=developer, due_date=timezone.localdate())
    first = admin_client.post(reverse("reminders:send_now"), follow=True)
    assert "1 påminnelse lades i kö." in first.content.decode()
    second = admin_client.post(reverse("reminders:send_now"), follow=True)
    assert "0 påminnelser lades i kö." in second.content.decode()
    assert OutgoingMessage.objects.filter(purpose=OutgoingMessage.Purpose.DIGEST).count() == 1
