"""The daily digest: one message a day per user, only when something waits, as they chose."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reminders.selectors import DIGEST_ITEMS, digests_for
from reminders.services import daily_digests_queue
from smeportal.accounts.roles import Role
from smeportal.outbox.models import MailPreference, OutgoingMessage
from smeportal.outbox.services import message_send
from tests.factories import (
    ActivityFactory,
    FollowUpFactory,
    IndicatorFactory,
    MeasurementFactory,
    MilestoneFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 1)


def _days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


def _messages() -> list[OutgoingMessage]:
    return list(OutgoingMessage.objects.order_by("pk"))


def test_follow_ups_due_within_three_days_or_overdue_are_brought_up(developer):
    overdue = FollowUpFactory(owner=developer, due_date=_days(-2), title="Ring Hällby Åkeri")
    soon = FollowUpFactory(owner=developer, due_date=_days(3), title="Skicka offert")
    FollowUpFactory(owner=developer, due_date=_days(4), title="Senare")
    FollowUpFactory(owner=developer, due_date=_days(-1), status="klar", title="Redan klar")

    assert daily_digests_queue(today=TODAY) == 1
    [message] = _messages()
    assert message.to == developer.email and message.recipient == developer
    assert message.purpose == OutgoingMessage.Purpose.DIGEST
    assert message.subject == "Påminnelser från Företagsdialog, 2026-12-01"
    assert overdue.title in message.body_text and soon.title in message.body_text
    assert "Senare" not in message.body_text and "Redan klar" not in message.body_text
    assert "försenad" in message.body_text  # overdue, in words
    assert f"/uppfoljningar/{overdue.pk}/" in message.body_text
    assert "/e-postinstallningar/" in message.body_text  # how to change what one receives
    assert '<html lang="sv">' in message.body_html and "<img" not in message.body_html
    assert "<a " not in message.body_text


def test_nothing_waiting_sends_nothing(developer):
    FollowUpFactory(owner=developer, due_date=_days(10))
    assert daily_digests_queue(today=TODAY) == 0
    assert _messages() == []


def test_one_digest_a_day_at_most(developer):
    FollowUpFactory(owner=developer, due_date=_days(1))
    assert daily_digests_queue(today=TODAY) == 1
    FollowUpFactory(owner=developer, due_date=_days(0))
    assert daily_digests_queue(today=TODAY) == 0
    assert len(_messages()) == 1
    assert daily_digests_queue(today=_days(1)) == 1
    assert len(_messages()) == 2


def test_late_activities_milestones_and_indicators_needing_a_measurement(developer):
    activity = ActivityFactory(contact_user=developer, due_date=_days(-10), title="Bygglovslots")
    MilestoneFactory(activity=activity, date=_days(-5), title="Första mötet")
    ActivityFactory(contact_user=developer, due_date=_days(-10), status="klar", title="Klar akt")
    indicator = IndicatorFactory(owner=developer, name="Företagsklimat (SN)")
    MeasurementFactory(indicator=indicator, date=datetime.date(2021, 9, 1))

    daily_digests_queue(today=TODAY)
    [message] = _messages()
    assert "Bygglovslots" in message.body_text
    assert "Första mötet" in message.body_text
    assert "Klar akt" not in message.body_text
    assert "Företagsklimat (SN)" in message.body_text


def test_each_kind_can_be_switched_off(developer):
    FollowUpFactory(owner=developer, due_date=_days(0), title="Uppföljning")
    ActivityFactory(contact_user=developer, due_date=_days(-3), title="Sen aktivitet")
    MailPreference.objects.create(user=developer, follow_ups=False)
    daily_digests_queue(today=TODAY)
    [message] = _messages()
    assert "Sen aktivitet" in message.body_text and "Uppföljning" not in message.body_text

    MailPreference.objects.filter(user=developer).update(activities=False)
    assert daily_digests_queue(today=_days(1)) == 0


def test_in_the_users_language(developer):
    MailPreference.objects.create(user=developer, language="en")
    FollowUpFactory(owner=developer, due_date=_days(-1))
    daily_digests_queue(today=TODAY)
    [message] = _messages()
    assert message.language == "en"
    assert message.subject == "Reminders from the SME-dialog portal, 2026-12-01"
    assert "overdue" in message.body_text
    assert '<html lang="en">' in message.body_html


def test_no_digest_without_an_address_or_for_an_inactive_user(db):
    without = UserFactory(email="", role=Role.DEVELOPER)
    inactive = UserFactory(is_active=False, role=Role.DEVELOPER)
    for user in (without, inactive):
        FollowUpFactory(owner=user, due_date=_days(0))
    assert daily_digests_queue(today=TODAY) == 0


def test_a_long_list_is_capped_with_the_number_left_out(developer):
    for number in range(DIGEST_ITEMS + 7):
        FollowUpFactory(owner=developer, due_date=_days(-1), title=f"Uppföljning {number:02d}")
    daily_digests_queue(today=TODAY)
    [message] = _messages()
    assert message.body_text.count("/uppfoljningar/") == DIGEST_ITEMS
    assert "och 7 till" in message.body_text


def test_reading_the_digests_does_not_grow_with_the_users(db):
    def one_user_with_everything():
        user = UserFactory(role=Role.DEVELOPER)
        FollowUpFactory(owner=user, due_date=_days(0))
        activity = ActivityFactory(contact_user=user, due_date=_days(-3))
        MilestoneFactory(activity=activity, date=_days(-2))
        IndicatorFactory(owner=user)

    one_user_with_everything()
    with CaptureQueriesContext(connection) as one:
        assert len(digests_for(TODAY)) == 1
    for _ in range(8):
        one_user_with_everything()
    with CaptureQueriesContext(connection) as nine:
        assert len(digests_for(TODAY)) == 9
    assert len(nine) == len(one)


def test_a_digest_arrives_through_a_real_smtp_server(smtp_server, developer):
    FollowUpFactory(owner=developer, due_date=_days(-1), title="Ring Hällby Åkeri")
    daily_digests_queue(today=TODAY)
    [message] = _messages()
    assert message_send(message_id=message.pk).status == OutgoingMessage.Status.SENT
    [received] = smtp_server.messages
    assert received["Subject"].strip() == "Påminnelser från Företagsdialog, 2026-12-01"
    assert received["Content-Language"] == "sv"
    text = received.get_body(preferencelist=("plain",)).get_content()
    html = received.get_body(preferencelist=("html",)).get_content()
    assert "Ring Hällby Åkeri" in text and "Ring Hällby Åkeri" in html
    assert "e-postinstallningar" in text and "e-postinstallningar" in html
