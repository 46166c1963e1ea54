from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from interviews.consent import Audience, visible_quote
from interviews.models import Company, Finding, FollowUp, Interview
from interviews.services import (
    CompanyExistsError,
    FindingChange,
    InterviewConflictError,
    InterviewInput,
    company_save,
    follow_up_create,
    follow_up_update,
    interview_create,
    interview_update,
)
from smeportal.areas.models import PriorityArea
from tests.factories import (
    CompanyFactory,
    ContactFactory,
    FindingFactory,
    InterviewFactory,
)


@pytest.mark.django_db
def test_a_sole_trader_is_marked_as_personal_data():
    company = company_save(
        company=Company(
            name="Anna Svensson Måleri",
            organisation_number="19811228-9874",
            industry="F",
            size_class="0",
            district="torshalla",
        )
    )
    assert company.organisation_number == "811228-9874"
    assert company.is_personal_data is True


@pytest.mark.django_db
def test_a_second_company_with_the_same_number_is_refused_and_names_the_first():
    first = CompanyFactory(organisation_number="556036-0793")
    with pytest.raises(CompanyExistsError) as error:
        company_save(
            company=Company(
                name="Kopia AB",
                organisation_number="5560360793",
                industry="C",
                size_class="1-9",
                district="centrum",
            )
        )
    assert error.value.company == first
    assert Company.objects.count() == 1


def _input(user, **fields):
    area = PriorityArea.objects.get(slug="kompetensforsorjning")
    return InterviewInput(
        fields={
            "date": timezone.localdate(),
            "format": "besok",
            "status": "utkast",
            "consent": "anonymt",
            "grade": 4,
            "notes": "Anteckning",
            **fields,
        },
        interviewers=[user],
        findings=[
            FindingChange(
                data={
                    "area": area,
                    "type": "utmaning",
                    "text": "Svårt att rekrytera svetsare",
                    "importance": 3,
                    "quote": "",
                    "is_key_quote": False,
                    "is_confidential": False,
                }
            )
        ],
    )


@pytest.mark.django_db
def test_interview_create_saves_findings_and_creator(developer):
    company = CompanyFactory()
    interview = interview_create(user=developer, company=company, data=_input(developer))
    assert interview.created_by == developer
    assert list(interview.interviewers.all()) == [developer]
    assert interview.findings.get().text == "Svårt att rekrytera svetsare"


@pytest.mark.django_db
def test_interviewees_must_belong_to_the_company(developer):
    company = CompanyFactory()
    stranger = ContactFactory()
    data = _input(developer)
    data.interviewees = [stranger]
    with pytest.raises(ValidationError):
        interview_create(user=developer, company=company, data=data)
    assert Interview.objects.count() == 0


@pytest.mark.django_db
def test_second_save_of_the_same_version_is_refused_and_the_first_is_kept(developer):
    interview = InterviewFactory(interviewers=[developer], notes="Original")
    opened_version = interview.version
    first = Interview.objects.get(pk=interview.pk)
    second = Interview.objects.get(pk=interview.pk)

    interview_update(
        interview=first,
        expected_version=opened_version,
        data=_input(developer, notes="Kollegans ändring"),
    )
    with pytest.raises(InterviewConflictError) as conflict:
        interview_update(
            interview=second,
            expected_version=opened_version,
            data=_input(developer, notes="Min ändring"),
        )

    saved = Interview.objects.get(pk=interview.pk)
    assert saved.notes == "Kollegans ändring"
    assert saved.version == opened_version + 1
    assert conflict.value.current.notes == "Kollegans ändring"
    # Only the accepted save added its finding.
    assert saved.findings.count() == 1


@pytest.mark.django_db
def test_findings_can_be_changed_and_removed(developer):
    interview = InterviewFactory(interviewers=[developer])
    kept, removed = FindingFactory(interview=interview), FindingFactory(interview=interview)
    data = _input(developer)
    data.findings = [
        FindingChange(data={"text": "Ny lydelse"}, finding=kept),
        FindingChange(data={}, finding=removed, delete=True),
    ]
    interview_update(interview=interview, expected_version=interview.version, data=data)
    assert list(interview.findings.values_list("text", flat=True)) == ["Ny lydelse"]


@pytest.mark.django_db
def test_a_finding_of_another_interview_cannot_be_changed(developer):
    interview = InterviewFactory(interviewers=[developer])
    foreign = FindingFactory()
    data = _input(developer)
    data.findings = [FindingChange(data={"text": "Kapad"}, finding=foreign)]
    with pytest.raises(ValidationError):
        interview_update(interview=interview, expected_version=interview.version, data=data)
    foreign.refresh_from_db()
    assert foreign.text != "Kapad"


@pytest.mark.django_db
class TestFlagRules:
    def test_red_flag_must_be_due_within_fourteen_days(self, developer):
        interview = InterviewFactory()
        follow_up = FollowUp(
            flag="rod",
            title="Ring",
            owner=developer,
            due_date=timezone.localdate() + timedelta(days=30),
        )
        with pytest.raises(ValidationError) as error:
            follow_up_create(interview=interview, follow_up=follow_up)
        assert "14 dagar" in " ".join(error.value.message_dict["due_date"])
        assert FollowUp.objects.count() == 0

    def test_yellow_flag_may_be_due_later(self, developer):
        follow_up = follow_up_create(
            interview=InterviewFactory(),
            follow_up=FollowUp(
                flag="gul",
                title="Bjud in till frukostmöte",
                owner=developer,
                due_date=timezone.localdate() + timedelta(days=60),
            ),
        )
        assert follow_up.pk and follow_up.closed_at is None

    def test_a_new_follow_up_cannot_be_due_in_the_past(self, developer):
        with pytest.raises(ValidationError):
            follow_up_create(
                interview=InterviewFactory(),
                follow_up=FollowUp(
                    flag="gul",
                    title="X",
                    owner=developer,
                    due_date=timezone.localdate() - timedelta(days=1),
                ),
            )

    def test_closing_records_when_and_reopening_clears_it(self, developer):
        follow_up = follow_up_create(
            interview=InterviewFactory(),
            follow_up=FollowUp(
                flag="rod", title="Ring", owner=developer, due_date=timezone.localdate()
            ),
        )
        follow_up.status = "klar"
        follow_up_update(follow_up=follow_up)
        assert follow_up.closed_at is not None
        follow_up.status = "oppen"
        follow_up_update(follow_up=follow_up)
        assert follow_up.closed_at is None

    def test_overdue_means_open_and_past_due(self, developer):
        today = timezone.localdate()
        follow_up = FollowUp(
            flag="rod",
            title="X",
            owner=developer,
            due_date=today - timedelta(days=1),
            status="pagar",
        )
        assert follow_up.is_overdue(today)
        follow_up.status = "klar"
        assert not follow_up.is_overdue(today)


@pytest.mark.django_db
class TestConsentRules:
    def finding(self, consent, *, confidential=False, sole_trader=False):
        company = CompanyFactory(name="Eskilstuna Svets AB", industry="C")
        if sole_trader:
            company.is_personal_data = True
        interview = InterviewFactory(company=company, consent=consent)
        return Finding(
            interview=interview, quote="Vi hittar inga svetsare.", is_confidential=confidential
        )

    def test_internal_readers_always_see_the_quote_with_names(self):
        quote = visible_quote(self.finding("internt"), Audience.INTERNAL, "Eva Ek")
        assert quote.attribution == "Eva Ek, Eskilstuna Svets AB"

    @pytest.mark.parametrize("audience", [Audience.WORKSHOP, Audience.COUNCIL])
    def test_internal_only_consent_hides_the_quote(self, audience):
        assert visible_quote(self.finding("internt"), audience) is None

    @pytest.mark.parametrize("audience", [Audience.WORKSHOP, Audience.COUNCIL])
    def test_anonymous_consent_shows_no_name(self, audience):
        quote = visible_quote(self.finding("anonymt"), audience, "Eva Ek")
        assert quote.text == "Vi hittar inga svetsare."
        assert "Eskilstuna Svets" not in quote.attribution
        assert "Eva Ek" not in quote.attribution

    def test_named_consent_names_the_company_for_the_council_but_no_person(self):
        quote = visible_quote(self.finding("med_namn"), Audience.COUNCIL, "Eva Ek")
        assert quote.attribution == "Eskilstuna Svets AB"

    def test_named_consent_of_a_sole_trader_stays_anonymous(self):
        quote = visible_quote(self.finding("med_namn", sole_trader=True), Audience.COUNCIL)
        assert "Eskilstuna Svets" not in quote.attribution

    @pytest.mark.parametrize("audience", [Audience.WORKSHOP, Audience.COUNCIL])
    def test_confidential_findings_are_never_quoted_outside(self, audience):
        assert visible_quote(self.finding("med_namn", confidential=True), audience) is None
