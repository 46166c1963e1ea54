"""Retention decisions (gallring): nothing is destroyed without one, and it covers exactly what
the administrator chose, with the decision itself kept."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.db.models import ProtectedError
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from freezegun import freeze_time

from archive.models import InformationRule
from audit.models import RetentionDecision, RetentionDecisionItem
from audit.selectors import RetentionCriteria, criteria_from_rule
from audit.services import retention_decision_execute
from interviews.models import Company, Contact, Finding, FollowUp, Interview
from interviews.services import finding_archive
from smeportal.core.form_tokens import CONFIRMATION_FIELD
from tests.audit.plan_rules import plan_rule, rule_fields
from tests.confirmations import confirmation_form, post_confirmed
from tests.factories import (
    ContactFactory,
    FindingFactory,
    FollowUpFactory,
    InterviewFactory,
    ProposalFactory,
)
from tests.swedish import sv as swedish
from workshops.models import Proposal

URL = reverse("audit:retention")
TODAY = datetime.date(2026, 6, 1)
NO_PLAN = (
    "The information management plan has no rule for archived findings, interviews, contact "
    "persons, companies or e-mail. Records are proposed for retention from the plan's "
    "disposal rules: add them to the plan first."
)


# Records old enough for the plan's rules in these tests (one month unless a test says).
LONG_AGO = datetime.timedelta(days=62)


def _criteria(criteria: dict) -> dict:
    """The criteria step's fields: the plan's rule for the scope's records (the shortest
    period, one month, unless `older_than_years` says), the search and the options."""
    criteria = dict(criteria)
    rule = rule_fields(criteria.pop("scope"), criteria.pop("older_than_years", 0))
    return {**rule, "search": "", **criteria}


def _show(client, criteria: dict):
    """Step one: list the records the plan's rule allows (a POST, so no name lands in the URL)."""
    return client.post(URL, {**_criteria(criteria), "show": "1"})


def _decision(scope: str, records=(), **extra) -> dict:
    return {
        **_criteria({"scope": scope, **extra}),
        "reference": "KS 2026/17 § 3",
        "reason": "Arkivbeskrivningen: felregistrerade synpunkter gallras efter ett år.",
        "records": [str(pk) for pk in records],
        "confirm": "on",
        **{name: value for name, value in extra.items() if name != "older_than_years"},
    }


@pytest.fixture
def archived(developer):
    """Two findings archived two months ago and one live one, all of the same interview."""
    interview = InterviewFactory(interviewers=[developer])
    first = FindingFactory(interview=interview, text="Felregistrerad ett")
    second = FindingFactory(interview=interview, text="Felregistrerad två")
    live = FindingFactory(interview=interview, text="Gäller fortfarande")
    with freeze_time(timezone.now() - LONG_AGO):
        finding_archive(finding=first, user=developer)
        finding_archive(finding=second, user=developer)
    return first, second, live


@pytest.mark.django_db
@pytest.mark.parametrize("fixture", ["developer_client", "facilitator_client", "council_client"])
def test_only_administrators_decide_on_retention(request, fixture, archived):
    client = request.getfixturevalue(fixture)
    first, _second, _live = archived
    assert client.get(URL).status_code == 403
    assert client.get(reverse("audit:decision_list")).status_code == 403
    response = client.post(URL, _decision("synpunkter", [first.pk]))
    assert response.status_code == 403
    assert Finding.all_objects.filter(pk=first.pk).exists()
    assert not RetentionDecision.objects.exists()


@pytest.mark.django_db
def test_the_service_refuses_non_administrators(developer, archived):
    first, _second, _live = archived
    with pytest.raises(PermissionDenied):
        retention_decision_execute(
            user=developer,
            criteria=RetentionCriteria(scope="synpunkter"),
            reference="X",
            reason="Y",
            record_ids=[first.pk],
        )
    assert Finding.all_objects.filter(pk=first.pk).exists()


@pytest.mark.django_db
def test_archived_findings_are_listed_for_a_decision(admin_client, archived):
    first, second, live = archived
    response = _show(admin_client, {"scope": "synpunkter"})
    assert response.status_code == 200
    assert list(response.context["candidates"]) == [first, second]
    body = response.content.decode()
    assert "Felregistrerad ett" in body
    assert "Gäller fortfarande" not in body


@pytest.mark.django_db
def test_nothing_is_destroyed_until_the_decision_is_confirmed_on_its_own_page(
    admin_client, archived
):
    first, _second, _live = archived
    asked = admin_client.post(URL, _decision("synpunkter", [first.pk]))
    assert asked.status_code == 200
    body = asked.content.decode()
    assert "Bekräfta gallringsbeslutet" in body and "KS 2026/17 § 3" in body
    assert "1 post" in body
    assert Finding.all_objects.filter(pk=first.pk).exists()
    assert not RetentionDecision.objects.exists()

    token, fields = confirmation_form(asked)
    data = {CONFIRMATION_FIELD: token}
    for name, value in fields:
        data.setdefault(name, []).append(value)
    # htmx (markup smuggled into a page) cannot confirm, even with the right token.
    assert admin_client.post(URL, data, HTTP_HX_REQUEST="true").status_code == 200
    assert not RetentionDecision.objects.exists()
    # Another reason than the one confirmed is another decision.
    changed = {**data, "reason": ["Ett annat skäl."]}
    assert admin_client.post(URL, changed).status_code == 200
    assert not RetentionDecision.objects.exists()
    assert admin_client.post(URL, data).status_code == 302
    assert not Finding.all_objects.filter(pk=first.pk).exists()
    # The confirmation was spent: posting it again decides nothing more.
    admin_client.post(URL, data)
    assert RetentionDecision.objects.count() == 1


@pytest.mark.django_db
def test_cover_all_is_asked_again_when_the_matching_records_changed(
    admin_client, archived, developer
):
    first, second, live = archived
    asked = admin_client.post(URL, _decision("synpunkter", cover_all="on"))
    assert "2 poster" in asked.content.decode()
    token, fields = confirmation_form(asked)
    with freeze_time(timezone.now() - LONG_AGO):
        finding_archive(finding=live, user=developer)  # a third match meanwhile
    data = {CONFIRMATION_FIELD: token}
    for name, value in fields:
        data.setdefault(name, []).append(value)
    again = admin_client.post(URL, data)
    assert again.status_code == 200
    assert "3 poster" in again.content.decode()
    assert Finding.all_objects.filter(pk__in=[first.pk, second.pk, live.pk]).count() == 3


@pytest.mark.django_db
def test_a_decision_deletes_exactly_the_chosen_archived_findings(
    admin_client, administrator, archived
):
    first, second, live = archived
    response = post_confirmed(admin_client, URL, _decision("synpunkter", [first.pk]))

    assert response.status_code == 302
    assert not Finding.all_objects.filter(pk=first.pk).exists()
    assert not Finding.history.filter(id=first.pk).exists()  # its copies in history too
    assert Finding.all_objects.filter(pk=second.pk, is_archived=True).exists()
    assert Finding.objects.filter(pk=live.pk).exists()
    assert Finding.history.filter(id=second.pk).exists()

    decision = RetentionDecision.objects.get()
    assert decision.decided_by == administrator
    assert decision.reference == "KS 2026/17 § 3"
    assert decision.reason.startswith("Arkivbeskrivningen")
    assert decision.counts == {"interviews.finding": 1}
    assert list(decision.items.values_list("model_label", "object_id", "action")) == [
        ("interviews.finding", first.pk, "gallrad")
    ]
    assert "Felregistrerad" not in decision.scope_description  # no content kept

    listing = admin_client.get(reverse("audit:decision_list")).content.decode()
    assert "KS 2026/17 § 3" in listing
    assert "Synpunkter: 1" in listing


@pytest.mark.django_db
def test_cover_all_takes_every_match(admin_client, archived):
    first, second, live = archived
    response = post_confirmed(admin_client, URL, _decision("synpunkter", cover_all="on"))
    assert response.status_code == 302
    assert not Finding.all_objects.filter(pk__in=[first.pk, second.pk]).exists()
    assert Finding.objects.filter(pk=live.pk).exists()
    assert RetentionDecision.objects.get().counts == {"interviews.finding": 2}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change",
    [
        {"reason": ""},
        {"reference": ""},
        {"confirm": ""},
        {"records": []},
        {"reason": "x" * 2001},
        {"rule": "0"},
        {"rule": "allt"},
        {"rule": ""},
    ],
)
def test_an_incomplete_decision_destroys_nothing(admin_client, archived, change):
    first, _second, _live = archived
    response = admin_client.post(URL, {**_decision("synpunkter", [first.pk]), **change})
    assert response.status_code == 400
    assert Finding.all_objects.filter(pk=first.pk).exists()
    assert not RetentionDecision.objects.exists()


@pytest.mark.django_db
def test_a_rule_that_keeps_the_records_cannot_be_chosen(admin_client, archived):
    first, _second, _live = archived
    decision = _decision("synpunkter", [first.pk])
    rule = InformationRule.objects.get(pk=decision["rule"])
    rule.action, rule.period = InformationRule.Action.KEEP, None
    rule.full_clean()
    rule.save()
    page = admin_client.get(URL).content.decode()
    assert f'value="{rule.pk}"' in page  # listed, so the administrator sees it
    response = admin_client.post(URL, {"rule": rule.pk, "search": "", "show": "1"})
    assert response.status_code == 400
    assert "candidates" not in response.context
    assert "KS 2025/412 § 7" in response.content.decode()
    refusal = swedish(
        "The plan keeps %(type)s for good (decision %(reference)s): they cannot be disposed "
        "of. Change the rule in the information management plan first if a new decision "
        "allows it."
    )
    assert refusal.split("%(type)s")[0] in response.content.decode()
    response = admin_client.post(URL, decision)
    assert response.status_code == 400
    assert Finding.all_objects.filter(pk=first.pk).exists()


@pytest.mark.django_db
def test_without_a_plan_the_page_says_what_to_do(admin_client):
    body = admin_client.get(URL).content.decode()
    assert swedish(NO_PLAN) in body
    assert 'name="show"' not in body
    assert reverse("archive:plan") in body


@pytest.mark.django_db
def test_the_cutoff_comes_from_the_rule_and_the_decision_cites_it(admin_client, developer):
    """A rule of 18 months counted from the interview's date: older interviews are listed,
    the decision names the rule, and the decision list shows it."""
    with freeze_time("2024-11-30 10:00"):
        old = InterviewFactory(date=datetime.date(2024, 11, 30), interviewers=[developer])
    with freeze_time("2024-12-02 10:00"):
        newer = InterviewFactory(date=datetime.date(2024, 12, 2), interviewers=[developer])
    data = _decision("intervjuer", [old.pk])
    rule = plan_rule("intervjuer", months=18)
    with freeze_time(TODAY):  # 2026-06-01: the cutoff is 2024-12-01
        listed = admin_client.post(URL, {"rule": rule.pk, "search": "", "show": "1"})
        assert list(listed.context["candidates"]) == [old]
        assert "2024-12-01" in listed.content.decode()
        assert post_confirmed(admin_client, URL, data).status_code == 302
        listing = admin_client.get(reverse("audit:decision_list")).content.decode()
    decision = RetentionDecision.objects.get()
    assert decision.rule == rule
    assert "2024-12-01" in decision.scope_description
    assert Interview.objects.filter(pk=newer.pk).exists()
    with translation.override("sv"):
        assert escape(str(rule)) in listing
    # The plan's rule cannot be deleted while a decision cites it.
    with pytest.raises(ProtectedError):
        rule.delete()


@pytest.mark.django_db
def test_a_rule_changed_between_the_steps_is_refused(administrator, archived):
    first, _second, _live = archived
    rule = plan_rule("synpunkter")
    criteria = criteria_from_rule(rule)
    plan_rule("synpunkter", years=3)  # changed by a colleague meanwhile
    with pytest.raises(ValidationError):
        retention_decision_execute(
            user=administrator,
            criteria=criteria,
            reference="KS 1",
            reason="Skäl",
            record_ids=[first.pk],
        )
    assert Finding.all_objects.filter(pk=first.pk).exists()


@pytest.mark.django_db
def test_a_live_finding_cannot_be_destroyed(admin_client, archived):
    """Only archived findings are candidates: a forged id is a form error, nothing happens."""
    first, _second, live = archived
    response = admin_client.post(URL, _decision("synpunkter", [first.pk, live.pk]))
    assert response.status_code == 400
    assert Finding.objects.filter(pk=live.pk).exists()
    assert Finding.all_objects.filter(pk=first.pk).exists()
    assert not RetentionDecision.objects.exists()


@pytest.mark.django_db
def test_the_service_refuses_records_outside_the_criteria(administrator, archived):
    _first, _second, live = archived
    with pytest.raises(Exception, match="omfattas inte längre|not covered"):
        retention_decision_execute(
            user=administrator,
            criteria=RetentionCriteria(scope="synpunkter"),
            reference="KS 1",
            reason="Skäl",
            record_ids=[live.pk],
        )
    assert Finding.objects.filter(pk=live.pk).exists()


@pytest.mark.django_db
def test_old_interviews_go_with_their_findings_and_follow_ups(admin_client, developer):
    with freeze_time("2020-03-01 10:00"):
        old = InterviewFactory(date=datetime.date(2020, 3, 1), interviewers=[developer])
        old_findings = FindingFactory.create_batch(2, interview=old)
        old_follow_up = FollowUpFactory(interview=old, due_date=datetime.date(2020, 3, 8))
        archived_old = FindingFactory(interview=old)
        finding_archive(finding=archived_old)
    recent = InterviewFactory(date=TODAY - datetime.timedelta(days=30))
    recent_finding = FindingFactory(interview=recent)
    proposal = ProposalFactory()
    proposal.evidence.add(old_findings[0], recent_finding)
    assert Proposal.objects.get(pk=proposal.pk).company_count == 2

    with freeze_time(TODAY):
        listed = _show(admin_client, {"scope": "intervjuer", "older_than_years": "5"})
        assert list(listed.context["candidates"]) == [old]
        response = post_confirmed(
            admin_client, URL, _decision("intervjuer", [old.pk], older_than_years="5")
        )

    assert response.status_code == 302
    assert not Interview.objects.filter(pk=old.pk).exists()
    assert not Interview.history.filter(id=old.pk).exists()
    gone = [finding.pk for finding in old_findings] + [archived_old.pk]
    assert not Finding.all_objects.filter(pk__in=gone).exists()
    assert not FollowUp.objects.filter(pk=old_follow_up.pk).exists()
    assert Interview.objects.filter(pk=recent.pk).exists()
    assert list(proposal.evidence.all()) == [recent_finding]
    proposal.refresh_from_db()
    assert proposal.company_count == 1  # recounted without the deleted interview's company
    decision = RetentionDecision.objects.get()
    assert decision.counts == {
        "interviews.interview": 1,
        "interviews.finding": 3,
        "interviews.followup": 1,
    }
    assert RetentionDecisionItem.objects.filter(decision=decision).count() == 5
    assert "2021-06-01" in decision.scope_description


@pytest.mark.django_db
def test_a_recent_interview_is_not_a_candidate_for_an_age_limit(admin_client):
    recent = InterviewFactory(date=timezone.localdate())
    response = admin_client.post(URL, _decision("intervjuer", [recent.pk], older_than_years="2"))
    assert response.status_code == 400
    assert Interview.objects.filter(pk=recent.pk).exists()


@pytest.mark.django_db
def test_a_contact_is_anonymised_including_its_history(admin_client, developer, client):
    contact = ContactFactory(name="Gunborg Svensson", email="gunborg@example.se", phone="016-1")
    other = ContactFactory(name="Sven Kvar")
    client.force_login(developer)
    client.post(
        reverse("interviews:contact_update", args=[contact.pk]),
        {"name": "Gunborg Svensson", "role": "Ekonomichef", "email": "g@example.se", "phone": ""},
    )

    listed = _show(admin_client, {"scope": "kontakter", "search": "Gun"})
    assert list(listed.context["candidates"]) == [contact]
    response = post_confirmed(admin_client, URL, _decision("kontakter", [contact.pk], search="Gun"))

    assert response.status_code == 302
    contact.refresh_from_db()
    assert (contact.name, contact.role, contact.email, contact.phone) == (
        "Anonymiserad",
        "",
        "",
        "",
    )
    for record in Contact.history.filter(id=contact.pk):
        assert "Gunborg" not in record.name
        assert record.email == ""
    assert Contact.objects.get(pk=other.pk).name == "Sven Kvar"
    assert RetentionDecision.objects.get().counts == {"interviews.contact": 1}
    # The searched name is not kept with the decision (kept for good, exported).
    assert "Gun" not in RetentionDecision.objects.get().scope_description
    assert RetentionDecisionItem.objects.get().action == "anonymiserad"
    # Anonymised contacts are not offered again.
    again = _show(admin_client, {"scope": "kontakter"})
    assert contact not in again.context["candidates"]


@pytest.mark.django_db
def test_decisions_are_listed_and_read_only_in_the_admin(admin_client, administrator, archived):
    first, _second, _live = archived
    retention_decision_execute(
        user=administrator,
        criteria=RetentionCriteria(scope="synpunkter"),
        reference="KS 2026/1",
        reason="Skäl",
        record_ids=[first.pk],
    )
    from django.contrib import admin
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    administrator.is_superuser = True
    request.user = administrator
    model_admin = admin.site._registry[RetentionDecision]
    decision = RetentionDecision.objects.get()
    assert not model_admin.has_delete_permission(request, decision)
    assert not model_admin.has_change_permission(request, decision)
    assert "KS 2026/1" in admin_client.get(reverse("audit:decision_list")).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("scope", ["synpunkter", "intervjuer", "kontakter", "foretag"])
def test_the_candidate_list_does_not_grow_in_queries(
    admin_client, developer, scope, django_assert_max_num_queries
):
    def add(count):
        # Interviews (and archiving) a year ago or more: older than the plan's rule.
        with freeze_time(timezone.now() - datetime.timedelta(days=365)):
            for _ in range(count):
                interview = InterviewFactory(interviewers=[developer])
                interview.interviewees.add(ContactFactory(company=interview.company))
                finding_archive(finding=FindingFactory(interview=interview), user=developer)
                FollowUpFactory(interview=interview)

    data = {**_criteria({"scope": scope}), "show": "1"}
    add(2)
    with django_assert_max_num_queries(30) as small:
        assert admin_client.post(URL, data).status_code == 200
    add(10)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = admin_client.post(URL, data)
    assert len(response.context["candidates"]) == 12


@pytest.mark.django_db
@pytest.mark.parametrize("scope", ["synpunkter", "intervjuer", "kontakter", "foretag"])
def test_the_candidate_list_makes_the_same_queries_with_no_candidates(
    admin_client, developer, scope
):
    """The demo has no candidates where the scale data set has thousands: same queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    data = {**_criteria({"scope": scope}), "show": "1"}

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert admin_client.post(URL, data).status_code == 200
        return len(captured)

    none = queries()
    with freeze_time(timezone.now() - datetime.timedelta(days=365)):
        interview = InterviewFactory(interviewers=[developer])
        interview.interviewees.add(ContactFactory(company=interview.company))
        finding_archive(finding=FindingFactory(interview=interview), user=developer)
        FollowUpFactory(interview=interview)
    assert queries() == none


@pytest.mark.django_db
def test_the_decision_list_does_not_grow_in_queries(
    admin_client, administrator, developer, django_assert_max_num_queries
):
    def decide(count):
        for number in range(count):
            finding = FindingFactory()
            finding_archive(finding=finding, user=developer)
            retention_decision_execute(
                user=administrator,
                criteria=RetentionCriteria(scope="synpunkter"),
                reference=f"KS {number}",
                reason="Skäl",
                record_ids=[finding.pk],
            )

    decide(1)
    with django_assert_max_num_queries(20) as small:
        admin_client.get(reverse("audit:decision_list"))
    decide(5)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = admin_client.get(reverse("audit:decision_list"))
    assert len(response.context["page_obj"].object_list) == 6


@pytest.mark.django_db
@pytest.mark.parametrize("scope", ["synpunkter", "intervjuer", "kontakter", "foretag"])
def test_the_decision_keeps_no_search_text(administrator, developer, scope):
    """The search is often a person's name: the decision says a search narrowed the choice."""
    company = ContactFactory(name="Gunborg Gäddsson").company
    Company.objects.filter(pk=company.pk).update(name="Gäddssons Fiske")
    interview = InterviewFactory(company=company, date=datetime.date(2019, 4, 1))
    finding = FindingFactory(interview=interview)
    finding_archive(finding=finding, user=developer)
    search = "Gunborg" if scope == "kontakter" else "Gäddsson"
    decision = retention_decision_execute(
        user=administrator,
        criteria=RetentionCriteria(scope=scope, search=search),
        reference="KS 2026/3",
        reason="Skäl",
    )
    assert search not in decision.scope_description
    assert "Gäddsson" not in decision.scope_description
    assert decision.scope_description.endswith("urval efter sökning; 1 post")


@pytest.mark.django_db
def test_criteria_in_the_url_are_ignored(admin_client):
    """Names must not travel in the URL (access logs, history, Referer): a GET lists nothing."""
    ContactFactory(name="Gunborg Svensson")
    response = admin_client.get(URL, {**rule_fields("kontakter"), "search": "Gun"})
    assert response.status_code == 200
    assert "candidates" not in response.context
    body = response.content.decode()
    assert "Gunborg" not in body and 'value="Gun"' not in body
    # (The header's portal-wide search box is a GET form of its own.)
    assert 'method="get"' not in body.split('id="main"', 1)[1]
    assert body.count(f'<form method="post" action="{URL}"') == 1  # criteria; no decision yet

    listed = _show(admin_client, {"scope": "kontakter", "search": "Gun"})
    assert listed.status_code == 200
    assert [contact.name for contact in listed.context["candidates"]] == ["Gunborg Svensson"]
    assert listed.content.decode().count(f'<form method="post" action="{URL}"') == 2


@pytest.mark.django_db
def test_the_criteria_step_is_csrf_protected(administrator):
    client = Client(enforce_csrf_checks=True)
    client.force_login(administrator)
    response = client.post(URL, {**rule_fields("kontakter"), "show": "1"})
    assert response.status_code == 403
    page = client.get(URL).content.decode()
    criteria_form = page.split(f'<form method="post" action="{URL}"')[1].split("</form>")[0]
    assert 'name="csrfmiddlewaretoken"' in criteria_form


@pytest.mark.django_db
def test_the_candidates_facts_are_counted_for_the_listed_rows_only(admin_client, developer):
    """The query that picks the listed interviews aggregates nothing: at scale it would count
    600,000 findings to show 100 rows. The shown counts are still right."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from audit.selectors import CANDIDATE_LIMIT

    interview = InterviewFactory(date=datetime.date(2020, 3, 1), interviewers=[developer])
    FindingFactory.create_batch(2, interview=interview)
    finding_archive(finding=FindingFactory(interview=interview), user=developer)
    FollowUpFactory(interview=interview)
    bare = InterviewFactory(date=datetime.date(2020, 4, 1))
    with CaptureQueriesContext(connection) as captured:
        response = _show(admin_client, {"scope": "intervjuer"})
    limit = f"LIMIT {CANDIDATE_LIMIT + 1}"
    listing = [q["sql"] for q in captured.captured_queries if limit in q["sql"]]
    assert listing and not any("interviews_finding" in sql for sql in listing)
    rows = {
        row.pk: (row.finding_total, row.follow_up_total) for row in response.context["candidates"]
    }
    assert rows == {interview.pk: (3, 1), bare.pk: (0, 0)}


@pytest.mark.django_db
def test_contacts_and_companies_show_their_last_interview(admin_client):
    contact = ContactFactory()
    for day in (datetime.date(2019, 5, 2), datetime.date(2021, 9, 9)):
        InterviewFactory(company=contact.company, date=day).interviewees.add(contact)
    silent = ContactFactory(company=contact.company)
    response = _show(admin_client, {"scope": "kontakter"})
    shown = {row.pk: row.last_interview for row in response.context["candidates"]}
    assert shown == {contact.pk: datetime.date(2021, 9, 9), silent.pk: None}
    response = _show(admin_client, {"scope": "foretag"})
    (company,) = response.context["candidates"]
    assert (company.last_interview, company.interview_total, company.contact_total) == (
        datetime.date(2021, 9, 9),
        2,
        2,
    )


@pytest.mark.django_db
def test_an_incomplete_decision_keeps_the_ticked_records_ticked(admin_client, archived):
    first, second, _live = archived
    response = admin_client.post(URL, {**_decision("synpunkter", [first.pk]), "reference": ""})
    assert response.status_code == 400
    body = response.content.decode()
    assert f'value="{first.pk}" id="record-{first.pk}" checked>' in body
    assert f'value="{second.pk}" id="record-{second.pk}">' in body
    assert [row.checked for row in response.context["candidate_rows"]] == [True, False]


@pytest.mark.parametrize(
    "text",
    ["kort", "x" * 60, "x" * 61, "Åsa Öberg " * 10, "Ma\u0308rta " * 20, "e\u0301" * 40],
)
def test_candidate_texts_are_cut_as_truncatechars_cuts_them(text):
    from django.template.defaultfilters import truncatechars

    from audit.selectors import _truncated

    assert _truncated(text, 60) == truncatechars(text, 60)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="Postgres only: the kept dates")
@pytest.mark.django_db
@pytest.mark.parametrize(
    ("scope", "index"),
    [("kontakter", "interviews_contact"), ("foretag", "interviews_company")],
)
def test_the_count_of_those_not_interviewed_since_reads_the_index_of_last_interviews(scope, index):
    from audit.selectors import retention_candidates

    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    candidates = retention_candidates(RetentionCriteria(scope=scope, older_than_years=5))
    plan = candidates.order_by().values("pk").explain()
    assert f"{index}_last_interview" in plan, plan
