"""Each contact's and each company's latest interview, kept by the database on Postgres
(interviews migrations 0018 and 0019): current after interviews and their links are added or
removed, and after an interview's date or company changes."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection

from interviews.models import Company, Contact, Interview
from tests.factories import CompanyFactory, ContactFactory, InterviewFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="kept on Postgres only"),
]

JAN, MAR, MAY = datetime.date(2026, 1, 15), datetime.date(2026, 3, 15), datetime.date(2026, 5, 15)


def _latest(obj: Contact | Company) -> datetime.date | None:
    table = obj._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT last_interview_on FROM {table} WHERE id = %s",  # noqa: S608 (our table)
            [obj.pk],
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


def test_a_companys_latest_interview_follows_its_interviews():
    company, other = CompanyFactory(), CompanyFactory()
    assert _latest(company) is None
    Interview.objects.bulk_create(
        [InterviewFactory.build(company=company, date=day) for day in (JAN, MAR)]
    )
    assert _latest(company) == MAR
    march = Interview.objects.get(company=company, date=MAR)
    Interview.objects.filter(pk=march.pk).update(date=MAY)
    assert _latest(company) == MAY
    Interview.objects.filter(pk=march.pk).update(company=other)  # entered for the wrong one
    assert (_latest(company), _latest(other)) == (JAN, MAY)
    Interview.objects.filter(company=company).delete()
    assert _latest(company) is None
