"""The council's weekly message after each weekly report: figures, changes, celebrations."""

from __future__ import annotations

import datetime

import pytest

from reports.council_mail import council_summary_queue
from reports.models import ReportRun, SummarySnapshot
from reports.tasks import build_scheduled_report
from smeportal.accounts.roles import Role
from smeportal.outbox.models import MailPreference, OutgoingMessage
from smeportal.outbox.services import message_send
from tests.factories import UserFactory
from tests.reports.test_dashboard import make_summary

pytestmark = pytest.mark.django_db


def _run(
    taken_at: str, *, scale: int = 1, interviews: int | None = None, celebrated_on: str = ""
) -> ReportRun:
    data = make_summary(taken_at=taken_at, scale=scale)
    for item in data["celebrations"]:
        item["occurred_on"] = celebrated_on or item["occurred_on"]
    if interviews is not None:
        data["totals"]["interviews"] = interviews
    snapshot = SummarySnapshot.objects.create(
        taken_at=datetime.datetime.fromisoformat(taken_at), data=data
    )
    return ReportRun.objects.create(
        is_scheduled=True, status=ReportRun.Status.DONE, snapshot=snapshot
    )


def _messages():
    return list(OutgoingMessage.objects.filter(purpose=OutgoingMessage.Purpose.COUNCIL_SUMMARY))


def test_each_council_member_gets_the_figures_and_what_changed(council_member, developer):
    _run("2026-11-23T06:00:00+01:00", interviews=50)
    run = _run("2026-11-30T06:00:00+01:00", interviews=62, celebrated_on="2026-11-27")
    assert council_summary_queue(run=run) == 1
    [message] = _messages()
    assert message.recipient == council_member and message.related == run
    assert message.subject == "Veckans siffror från företagsdialogen"
    assert "Intervjuer: 62 (+12)" in message.body_text
    assert "23 november 2026" in message.body_text  # since when the changes are counted
    assert "Bygglovslotsen är i gång" in message.body_text  # a celebration since last week


def test_only_what_happened_since_the_previous_summary_is_celebrated(council_member):
    _run("2026-11-23T06:00:00+01:00")
    council_summary_queue(run=_run("2026-11-30T06:00:00+01:00", celebrated_on="2026-10-15"))
    [message] = _messages()
    assert "Bygglovslotsen" not in message.body_text
    assert "/oversikt/" in message.body_text and "/e-postinstallningar/" in message.body_text
    assert '<th scope="row"' in message.body_html and '<html lang="sv">' in message.body_html


def test_the_first_summary_has_no_changes(council_member):
    run = _run("2026-11-30T06:00:00+01:00", interviews=62)
    council_summary_queue(run=run)
    [message] = _messages()
    assert "Intervjuer: 62\n" in message.body_text


def test_once_per_run_and_only_for_those_who_want_it(council_member):
    other = UserFactory(role=Role.COUNCIL)
    MailPreference.objects.create(user=other, council_summary=False)
    UserFactory(role=Role.COUNCIL, email="")
    run = _run("2026-11-30T06:00:00+01:00")
    assert council_summary_queue(run=run) == 1
    assert council_summary_queue(run=run) == 0
    assert [message.recipient for message in _messages()] == [council_member]


def test_in_the_members_language(council_member):
    MailPreference.objects.create(user=council_member, language="en")
    council_summary_queue(run=_run("2026-11-30T06:00:00+01:00", interviews=7))
    [message] = _messages()
    assert message.subject == "This week's figures from the business dialogue"
    assert "Interviews: 7" in message.body_text


def test_a_failed_run_sends_nothing(council_member):
    run = ReportRun.objects.create(is_scheduled=True, status=ReportRun.Status.FAILED)
    assert council_summary_queue(run=run) == 0


def test_the_weekly_report_sends_it(council_member, django_capture_on_commit_callbacks):
    from tests.factories import FindingFactory

    FindingFactory()
    with django_capture_on_commit_callbacks(execute=True):
        pk = build_scheduled_report()
    run = ReportRun.objects.get(pk=pk)
    assert run.status == ReportRun.Status.DONE
    [message] = _messages()
    assert message.related == run and "Intervjuer: 1" in message.body_text


def test_it_arrives_through_a_real_smtp_server(smtp_server, council_member):
    council_summary_queue(run=_run("2026-11-30T06:00:00+01:00"))
    [message] = _messages()
    assert message_send(message_id=message.pk).status == OutgoingMessage.Status.SENT
    [received] = smtp_server.messages
    html = received.get_body(preferencelist=("html",)).get_content()
    text = received.get_body(preferencelist=("plain",)).get_content()
    assert "Veckans siffror" in received["Subject"]
    assert "<table" in html and "Intervjuer" in text
