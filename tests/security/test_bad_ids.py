"""Ids in URLs: unknown, malformed or someone else's ids give 404 (or 403), never 500 and never
another object's data.

Every URL pattern with an argument is requested with bad values by each role ACCESS lets
through (so the view gets as far as looking the object up); ids in query strings are tried on
every page. Then, object by object, the cases where an id is valid but not the user's to use.
An upload token of another user is covered in tests/interviews/test_transfer_views.py and
tests/actionplan/test_measurement_import.py (test_another_user_cannot_use_the_token).
"""

from __future__ import annotations

import re
import uuid
from urllib.parse import unquote

import pytest
from django.urls import Resolver404, resolve, reverse

from actionplan.models import Activity, Milestone
from interviews.models import Finding, FollowUp
from reports.models import ReportRun
from smeportal.accounts.roles import Role
from tests.factories import ProposalFactory, WorkshopFactory, WorkshopGroupFactory
from tests.urlwalk import iter_url_patterns
from workshops.models import Proposal

from .conftest import DemoPortal
from .test_access_matrix import ACCESS, url_for

# One process runs this module: its module fixture is built once (make test: --dist loadgroup).
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("bad_ids")]

DEVELOPER = Role.DEVELOPER
FACILITATOR = Role.FACILITATOR
COUNCIL = Role.COUNCIL
ADMINISTRATOR = Role.ADMINISTRATOR

# Values put where the URL expects an id. Those the converter refuses never reach a view.
BAD_VALUES = {
    "int": ["0", "999999", str(2**63), str(2**64), "abc", "-1", "1.5", "%00", "1%20", "²"],
    "slug": ["no-such-area", "%00", "a" * 300],
    "uuid": [str(uuid.uuid4()), "not-a-uuid", "%00"],
    # A signed token (a letter's "no more letters" link): anything the portal did not sign.
    "str": ["MQ:forged", "%00", "a" * 300, "%3Cscript%3E"],
}
ARGUMENT = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")


def _bad_urls():
    """(name, url) with every argument of the pattern replaced by each bad value in turn."""
    for name, route, _pattern in iter_url_patterns():
        arguments = ARGUMENT.findall(route)
        if not arguments:
            continue
        for converter, _argument in arguments:
            for value in BAD_VALUES[converter or "str"]:
                yield name, "/" + ARGUMENT.sub(value, route)


def _reaches_a_view(url: str) -> bool:
    try:
        resolve(unquote(url))
    except Resolver404:
        return False
    return True


def test_unknown_and_malformed_ids_in_the_path_give_404(demo_portal: DemoPortal):
    mismatches, checked = [], 0
    for name, url in _bad_urls():
        for method in ("GET", "POST"):
            roles = sorted(ACCESS[name][method] or (), key=str)
            if not _reaches_a_view(url):
                # The URL resolver refuses the value before any view or role is involved.
                roles = roles[:1] if method == "GET" else []
            for role in roles:
                reply = demo_portal.request(role, method, url)
                checked += 1
                if reply.status != 404:
                    mismatches.append(
                        f"{name} {method} {url!r} as {role}: {reply.status} {reply.error}".rstrip()
                    )
    assert checked > 300
    assert not mismatches, "Bad ids that did not give 404:\n" + "\n".join(mismatches)


# --- Ids and other values in query strings -------------------------------------------------------

# Every parameter a page reads from its query string, with values no form would send.
QUERY_NAMES = ("page", "plan", "area", "company", "parent", "proposal", "q", "visa", "period")
QUERY_VALUES = ("²", str(2**63), "-1\x00")


def test_odd_query_strings_never_break_a_page(demo_portal: DemoPortal):
    patterns = {name: pattern for name, _route, pattern in iter_url_patterns()}
    failures = []
    for name, access in sorted(ACCESS.items()):
        if ADMINISTRATOR not in (access["GET"] or ()) or name == "logout":
            continue
        url = url_for(demo_portal, name, patterns[name])
        for value in QUERY_VALUES:
            query = dict.fromkeys(QUERY_NAMES, value)
            reply = demo_portal.request(ADMINISTRATOR, "GET", url, query)
            if reply.status >= 500 or reply.status not in {200, 204, 302, 400, 404}:
                failures.append(f"{name} ?…={value!r}: {reply.status} {reply.error}".rstrip())
    assert not failures, "Query strings that broke a page:\n" + "\n".join(failures)


@pytest.mark.parametrize(
    ("name", "query", "status"),
    [
        # A plan asked for by id must exist; anything else is "no such page".
        ("actionplan:plan_overview", {"plan": "999999"}, 404),
        ("actionplan:plan_overview", {"plan": "abc"}, 404),
        ("actionplan:plan_overview", {"plan": "²"}, 404),
        ("actionplan:plan_overview", {"plan": str(2**63)}, 404),
        ("actionplan:goal_create", {"plan": "999999"}, 404),
        # An unknown area in a filter is a form error.
        ("actionplan:plan_overview", {"area": "999999"}, 400),
        ("actionplan:coverage", {"area": "999999"}, 400),
        ("interviews:finding_list", {"area": "999999"}, 400),
        ("interviews:interview_list", {"area": "999999"}, 400),
        # A starting value that is unknown is ignored: the form opens empty.
        ("actionplan:goal_create", {"area": "999999"}, 200),
        ("actionplan:activity_create", {"parent": "999999"}, 200),
        ("actionplan:activity_create", {"plan": "²"}, 200),
        ("actionplan:activity_from_proposals", {"proposal": ["999999", "²", "x"]}, 200),
        # Choosing an unknown company for a new interview is a form error.
        ("interviews:interview_create", {"company": "999999"}, 400),
        ("interviews:interview_create", {"company": "²"}, 400),
    ],
)
def test_ids_in_query_strings(demo_portal: DemoPortal, name, query, status):
    reply = demo_portal.request(DEVELOPER, "GET", reverse(name), query)
    assert reply.status == status, reply.error


# --- Ids that exist but are not the user's to use --------------------------------------------------


def _run(demo_portal: DemoPortal, status: str, **fields) -> ReportRun:
    return ReportRun.objects.create(
        requested_by=demo_portal.users[DEVELOPER], status=status, **fields
    )


@pytest.mark.parametrize(
    "status", [ReportRun.Status.QUEUED, ReportRun.Status.RUNNING, ReportRun.Status.FAILED]
)
def test_the_council_sees_no_report_run_that_is_not_done(demo_portal: DemoPortal, status):
    run = _run(demo_portal, status, error_message="Redis nere hos utvecklaren")
    for name in ("reports:run_detail", "reports:run_download"):
        reply = demo_portal.request(COUNCIL, "GET", reverse(name, kwargs={"pk": run.pk}))
        assert reply.status == 404, name
        assert "Redis nere" not in reply.text
    # Staff follow their runs, but only a finished one can be downloaded.
    detail = reverse("reports:run_detail", kwargs={"pk": run.pk})
    assert demo_portal.request(DEVELOPER, "GET", detail).status == 200
    download = reverse("reports:run_download", kwargs={"pk": run.pk})
    assert demo_portal.request(DEVELOPER, "GET", download).status == 404


def test_a_finished_run_without_its_file_is_404(demo_portal: DemoPortal):
    without_file = _run(demo_portal, ReportRun.Status.DONE)
    file_gone = _run(demo_portal, ReportRun.Status.DONE, file="reports/2020/01/borta.xlsx")
    for run in (without_file, file_gone):
        url = reverse("reports:run_download", kwargs={"pk": run.pk})
        assert demo_portal.request(COUNCIL, "GET", url).status == 404


def _facilitators_activity(demo_portal: DemoPortal) -> Activity:
    """An activity whose contact user is the facilitator (who cannot edit the plan)."""
    facilitator = demo_portal.users[FACILITATOR]
    activity = Activity.objects.filter(milestones__isnull=False).exclude(
        pk=demo_portal.objects["activity"].pk
    )[0]
    activity.contact_user = facilitator
    activity.save(update_fields=["contact_user"])
    Activity.objects.exclude(pk=activity.pk).filter(contact_user=facilitator).update(
        contact_user=None
    )
    return activity


def test_a_contact_user_may_update_their_activity_and_no_other(demo_portal: DemoPortal):
    own = _facilitators_activity(demo_portal)
    other = demo_portal.objects["activity"]
    own_milestone = own.milestones.order_by("pk").first()
    other_milestone = other.milestones.order_by("pk").first()
    for name, mine, theirs in (
        ("actionplan:activity_progress", own.pk, other.pk),
        ("actionplan:milestone_create", own.pk, other.pk),
        ("actionplan:milestone_update", own_milestone.pk, other_milestone.pk),
    ):
        assert (
            demo_portal.request(FACILITATOR, "GET", reverse(name, kwargs={"pk": mine})).status
            == 200
        )
        theirs_url = reverse(name, kwargs={"pk": theirs})
        assert demo_portal.request(FACILITATOR, "GET", theirs_url).status == 403, name
        assert demo_portal.request(FACILITATOR, "POST", theirs_url).status == 403, name


def test_marking_another_activitys_milestone_done_is_refused(demo_portal: DemoPortal):
    _facilitators_activity(demo_portal)
    milestone = demo_portal.objects["milestone"]
    Milestone.objects.filter(pk=milestone.pk).update(is_done=False)
    url = reverse("actionplan:milestone_update", kwargs={"pk": milestone.pk})
    client = demo_portal.client_for(FACILITATOR)
    assert client.post(url, {"mark_done": "1"}).status_code == 403
    milestone.refresh_from_db()
    assert not milestone.is_done


def test_measurements_only_by_editors_owners_and_contact_users(demo_portal: DemoPortal):
    indicator = demo_portal.objects["indicator"]
    for name in ("actionplan:measurement_create", "actionplan:measurement_import"):
        url = reverse(name, kwargs={"pk": indicator.pk})
        for role in (FACILITATOR, COUNCIL):
            assert demo_portal.request(role, "GET", url).status == 403, (name, role)
            assert demo_portal.request(role, "POST", url, {"value": "4"}).status == 403
    indicator.owner = demo_portal.users[COUNCIL]
    indicator.save(update_fields=["owner"])
    url = reverse("actionplan:measurement_create", kwargs={"pk": indicator.pk})
    assert demo_portal.request(COUNCIL, "GET", url).status == 200


def test_developers_share_follow_ups_including_other_peoples(demo_portal: DemoPortal):
    developer = demo_portal.users[DEVELOPER]
    follow_up = FollowUp.objects.exclude(owner=developer).order_by("pk").first()
    url = reverse("interviews:followup_update", kwargs={"pk": follow_up.pk})
    assert demo_portal.request(DEVELOPER, "GET", url).status == 200
    assert demo_portal.request(FACILITATOR, "GET", url).status == 403
    assert demo_portal.request(COUNCIL, "GET", url).status == 403


def test_a_merged_proposal_cannot_be_edited_through_its_id(demo_portal: DemoPortal):
    survivor, duplicate = Proposal.objects.filter(merged_into__isnull=True).order_by("pk")[:2]
    duplicate.merged_into = survivor
    duplicate.save(update_fields=["merged_into"])
    url = reverse("workshops:proposal_update", kwargs={"pk": duplicate.pk})
    opened = demo_portal.request(FACILITATOR, "GET", url)
    assert opened.status == 302
    assert opened.location == reverse("workshops:proposal_detail", kwargs={"pk": duplicate.pk})
    client = demo_portal.client_for(FACILITATOR)
    assert client.post(url, {"title": "Ändrad"}).status_code == 409
    duplicate.refresh_from_db()
    assert duplicate.title != "Ändrad"


def test_proposals_of_another_workshop_cannot_be_merged_or_voted_on(demo_portal: DemoPortal):
    workshop = demo_portal.objects["workshop"]
    other_group = WorkshopGroupFactory(workshop=WorkshopFactory())
    foreign = ProposalFactory(group=other_group, area=other_group.area, votes=0)
    own = Proposal.objects.filter(group__workshop=workshop, merged_into__isnull=True).order_by(
        "pk"
    )[0]
    client = demo_portal.client_for(FACILITATOR)

    merge = reverse("workshops:merge", kwargs={"pk": workshop.pk})
    response = client.post(merge, {"proposals": [own.pk, foreign.pk], "survivor": own.pk})
    assert response.status_code == 400
    foreign.refresh_from_db()
    assert foreign.merged_into_id is None

    votes = reverse("workshops:votes", kwargs={"pk": workshop.pk})
    client.post(votes, {f"votes_{foreign.pk}": "7"})
    foreign.refresh_from_db()
    assert foreign.votes == 0


def test_findings_of_another_area_cannot_be_linked_as_evidence(demo_portal: DemoPortal):
    proposal = demo_portal.objects["proposal"]
    elsewhere = Finding.objects.exclude(area=proposal.area_id).order_by("pk").first()
    url = reverse("workshops:proposal_evidence", kwargs={"pk": proposal.pk})
    response = demo_portal.client_for(DEVELOPER).post(
        url, {"action": "link", "findings": [elsewhere.pk]}
    )
    assert response.status_code == 400
    assert not proposal.evidence.filter(pk=elsewhere.pk).exists()


def test_an_organisation_number_with_other_digits_is_a_form_error(demo_portal: DemoPortal):
    # "²" passes str.isdigit() but not int(): it must be refused like any wrong number.
    url = reverse("interviews:company_create")
    for number in ("55²036-0793", "٥٥٦٠٣٦-٠٧٩٣"):
        reply = demo_portal.request(
            DEVELOPER, "POST", url, {"name": "Udda AB", "organisation_number": number}
        )
        assert reply.status == 400, reply.error
