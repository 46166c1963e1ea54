"""Each contact's latest interview, kept by the database on Postgres (interviews migration
0018): current after links are added or removed, dates change and interviews are deleted."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection

from interviews.models import Contact, Interview
from tests.factories import ContactFactory, InterviewFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="kept on Postgres only"),
]

JAN, MAR, MAY = datetime.date(2026, 1, 15), datetime.date(2026, 3, 15), datetime.date(2026, 5, 15)


def _latest(contact: Contact) -> datetime.date | None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT last_interview_on FROM interviews_contact WHERE id = %s", [contact.pk]
        )
        return cursor.fetchone()[0]


def test_the_latest_interview_follows_links_dates_and_deletions():
    anna, bo = ContactFactory(), ContactFactory()
    assert _latest(anna) is None  # never interviewed
    january = InterviewFactory(company=anna.company, date=JAN)
    january.interviewees.add(anna, bo)
    march = InterviewFactory(company=anna.company, date=MAR)
    march.interviewees.add(anna)
    assert (_latest(anna), _latest(bo)) == (MAR, JAN)

    Interview.objects.filter(pk=january.pk).update(date=MAY)  # a date corrected
    assert (_latest(anna), _latest(bo)) == (MAY, MAY)

    january.interviewees.remove(anna)
    assert _latest(anna) == MAR
    march.delete()
    assert _latest(anna) is None
    Interview.objects.filter(pk=january.pk).update(notes="Inget nytt")  # not its date
    assert _latest(bo) == MAY


def test_a_bulk_insert_of_links_sets_each_contact_once():
    contacts = ContactFactory.create_batch(3)
    interviews = [InterviewFactory(date=day) for day in (JAN, MAR)]
    links = Interview.interviewees.through
    links.objects.bulk_create(
        [
            links(interview=interview, contact=contact)
            for interview in interviews
            for contact in contacts
        ]
    )
    assert [_latest(contact) for contact in contacts] == [MAR, MAR, MAR]
