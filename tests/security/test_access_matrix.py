"""Who may open which page: every URL pattern of the portal against a declared access matrix.

Every named URL outside the Django admin is requested with demo objects for its arguments, by an
anonymous visitor and by the demo user of each role, with GET and with an empty POST. The answer
must be what ACCESS declares: the page (or, for an empty POST, the form's 400), a 403 for a role
without access, the login page for an anonymous visitor — and never a 500. A URL that is missing
from ACCESS fails the test, so a new page cannot skip the check.

Tillväxtrådet must never be shown a contact's name, e-mail or phone number, nor an interview's
notes: every answer to the council in the walk is searched for them, and so is every page the
council reaches by following links from the start page.
"""

from __future__ import annotations

import html
import re
from collections import deque
from urllib.parse import urldefrag, urlsplit

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import reverse

from actionplan.models import ActionPlan, Activity, Indicator
from reports.models import ReportRun
from smeportal.accounts.roles import Role
from tests.urlwalk import PUBLIC_URL_NAMES, URL_ARGUMENT_EXAMPLES, iter_url_patterns
from workshops.models import Proposal, Workshop

from .conftest import (
    ANONYMOUS,
    ROLES,
    UNKNOWN_IMPORT_TOKEN,
    DemoPortal,
    Reply,
    leaked_secrets,
    personal_secrets,
)

DEVELOPER = Role.DEVELOPER
FACILITATOR = Role.FACILITATOR
COUNCIL = Role.COUNCIL
ADMINISTRATOR = Role.ADMINISTRATOR

EVERYONE = frozenset({ANONYMOUS, DEVELOPER, FACILITATOR, COUNCIL, ADMINISTRATOR})
ALL_ROLES = frozenset({DEVELOPER, FACILITATOR, COUNCIL, ADMINISTRATOR})
INTERVIEWERS = frozenset({DEVELOPER, ADMINISTRATOR})
FACILITATORS = frozenset({FACILITATOR, ADMINISTRATOR})
FINDING_READERS = frozenset({DEVELOPER, FACILITATOR, ADMINISTRATOR})
PLAN_EDITORS = frozenset({DEVELOPER, ADMINISTRATOR})
ADMINISTRATORS = frozenset({ADMINISTRATOR})
# Public records (records.handle): administrators, and business developers holding the
# registrar grant, which the demo developer `utvecklare` does.
REGISTRARS = frozenset({DEVELOPER, ADMINISTRATOR})
# Delivery packages for the e-archive (archive.deliver): administrators and registrars; the
# demo business developer `utvecklare` holds the registrar grant (smeportal.accounts.demo).
ARCHIVE_DELIVERERS = frozenset({DEVELOPER, ADMINISTRATOR})


def page(get, post=None) -> dict:
    """GET and POST access: a set of roles, or None where the URL has no such method."""
    return {"GET": frozenset(get) if get is not None else None, "POST": post}


# Who gets through, per URL and method. None: the method is not offered (a 403 or 405 for
# everyone, the login page for anonymous visitors). ANONYMOUS marks the public pages.
ACCESS: dict[str, dict[str, frozenset | None]] = {
    # Foundation
    "core:home": page(ALL_ROLES),
    "core:healthz": page(EVERYONE),
    "core:accessibility": page(EVERYONE),
    # The public page of what the dialogue led to, and its feed: anyone, without logging in.
    "public:results": page(EVERYONE),
    "public:feed": page(EVERYONE),
    # The link in an e-mailed letter that stops them: whoever holds it (the walk's token is made
    # up, so everyone gets 404; tests/letters/test_unsubscribe.py covers a real one).
    "letters:unsubscribe": page(EVERYONE, EVERYONE),
    "login": page(EVERYONE, EVERYONE),
    "logout": page(None, ALL_ROLES),
    "password_change": page(ALL_ROLES, ALL_ROLES),
    "password_change_done": page(ALL_ROLES),
    "set_language": page(EVERYONE, EVERYONE),
    "areas:list": page(ADMINISTRATORS),
    "areas:create": page(ADMINISTRATORS, ADMINISTRATORS),
    "areas:update": page(ADMINISTRATORS, ADMINISTRATORS),
    "areas:archive": page(None, ADMINISTRATORS),
    "areas:delete": page(ADMINISTRATORS, ADMINISTRATORS),
    # Interviews: business developers (and administrators) only
    "interviews:company_list": page(INTERVIEWERS),
    "interviews:company_create": page(INTERVIEWERS, INTERVIEWERS),
    "interviews:company_detail": page(INTERVIEWERS),
    "interviews:company_history": page(INTERVIEWERS),
    "interviews:company_update": page(INTERVIEWERS, INTERVIEWERS),
    "interviews:contact_create": page(INTERVIEWERS, INTERVIEWERS),
    "interviews:contact_update": page(INTERVIEWERS, INTERVIEWERS),
    "interviews:interview_list": page(INTERVIEWERS),
    "interviews:interview_create": page(INTERVIEWERS, INTERVIEWERS),
    "interviews:interview_detail": page(INTERVIEWERS),
    "interviews:interview_history": page(INTERVIEWERS),
    "interviews:interview_update": page(INTERVIEWERS, INTERVIEWERS),
    "interviews:interview_export": page(INTERVIEWERS),
    "interviews:interview_export_create": page(None, INTERVIEWERS),
    # The demo export is the developer's: administrators may open anyone's, no one else.
    "interviews:interview_export_detail": page(INTERVIEWERS),
    "interviews:interview_export_download": page(INTERVIEWERS),
    "interviews:interview_import": page(INTERVIEWERS, INTERVIEWERS),
    "interviews:interview_import_template": page(INTERVIEWERS),
    "interviews:interview_import_confirm": page(INTERVIEWERS, INTERVIEWERS),
    "interviews:finding_list": page(FINDING_READERS),
    "interviews:followup_list": page(INTERVIEWERS),
    "interviews:followup_team": page(INTERVIEWERS, INTERVIEWERS),
    "interviews:followup_create": page(INTERVIEWERS, INTERVIEWERS),
    "interviews:followup_update": page(INTERVIEWERS, INTERVIEWERS),
    # Workshops: everyone reads, facilitators run them
    "workshops:workshop_list": page(ALL_ROLES),
    "workshops:workshop_create": page(FACILITATORS, FACILITATORS),
    "workshops:workshop_detail": page(ALL_ROLES),
    "workshops:workshop_update": page(FACILITATORS, FACILITATORS),
    "workshops:group_create": page(FACILITATORS, FACILITATORS),
    "workshops:group_update": page(FACILITATORS, FACILITATORS),
    "workshops:fast_entry": page(FACILITATORS, FACILITATORS),
    "workshops:votes": page(FACILITATORS, FACILITATORS),
    "workshops:merge": page(FACILITATORS, FACILITATORS),
    "workshops:merge_undo": page(None, FACILITATORS),
    "workshops:proposal_undo_add": page(None, FACILITATORS),
    "workshops:workshop_export": page(ALL_ROLES),
    "workshops:proposal_detail": page(ALL_ROLES),
    "workshops:proposal_update": page(FACILITATORS, FACILITATORS),
    "workshops:proposal_evidence": page(FINDING_READERS, FINDING_READERS),
    # Action plan: everyone reads, developers edit. The demo activity and indicator have
    # neither reader as contact or owner, so the facilitator and the council get 403.
    "actionplan:plan_overview": page(ALL_ROLES),
    "actionplan:plan_create": page(PLAN_EDITORS, PLAN_EDITORS),
    "actionplan:plan_update": page(PLAN_EDITORS, PLAN_EDITORS),
    "actionplan:goal_create": page(PLAN_EDITORS, PLAN_EDITORS),
    "actionplan:goal_update": page(PLAN_EDITORS, PLAN_EDITORS),
    "actionplan:activity_create": page(PLAN_EDITORS, PLAN_EDITORS),
    "actionplan:activity_from_proposals": page(PLAN_EDITORS, PLAN_EDITORS),
    "actionplan:activity_detail": page(ALL_ROLES),
    # Who changed what names staff: the council follows the plan without it.
    "actionplan:activity_history": page(FINDING_READERS),
    "actionplan:activity_update": page(PLAN_EDITORS, PLAN_EDITORS),
    "actionplan:activity_progress": page(PLAN_EDITORS, PLAN_EDITORS),
    "actionplan:milestone_create": page(PLAN_EDITORS, PLAN_EDITORS),
    "actionplan:milestone_update": page(PLAN_EDITORS, PLAN_EDITORS),
    "actionplan:coverage": page(ALL_ROLES),
    "actionplan:indicator_list": page(ALL_ROLES),
    "actionplan:indicator_create": page(PLAN_EDITORS, PLAN_EDITORS),
    "actionplan:indicator_detail": page(ALL_ROLES),
    "actionplan:indicator_update": page(PLAN_EDITORS, PLAN_EDITORS),
    # "Hämta från Kolada nu": whoever may edit the indicator (editors, and its owner), by POST.
    # The demo indicator's values are entered by hand, so editors get 409 and a message.
    "actionplan:indicator_kolada_fetch": page(None, PLAN_EDITORS),
    "actionplan:measurement_create": page(PLAN_EDITORS, PLAN_EDITORS),
    "actionplan:measurement_update": page(PLAN_EDITORS, PLAN_EDITORS),
    "actionplan:measurement_delete": page(PLAN_EDITORS, PLAN_EDITORS),
    # Who changed what names staff: the council follows the figures without it.
    "actionplan:indicator_history": page(FINDING_READERS),
    "actionplan:measurement_import": page(PLAN_EDITORS, PLAN_EDITORS),
    "actionplan:measurement_import_confirm": page(PLAN_EDITORS, PLAN_EDITORS),
    "actionplan:measurement_import_template": page(ALL_ROLES),
    "actionplan:celebration_list": page(ALL_ROLES),
    "actionplan:celebration_mark": page(PLAN_EDITORS, PLAN_EDITORS),
    # Reports: everyone reads finished reports, staff build them, administrators schedule
    "reports:dashboard": page(ALL_ROLES),
    "search:search": page(ALL_ROLES),
    "reports:run_list": page(ALL_ROLES),
    "reports:run_create": page(None, PLAN_EDITORS),
    "reports:run_detail": page(ALL_ROLES),
    "reports:run_download": page(ALL_ROLES),
    "reports:run_download_pdf": page(ALL_ROLES),
    "reports:schedule_update": page(None, ADMINISTRATORS),
    # Audit trail and retention decisions (gallringsbeslut): administrators only
    "audit:audit_list": page(ADMINISTRATORS),
    "audit:retention": page(ADMINISTRATORS, ADMINISTRATORS),
    "audit:decision_list": page(ADMINISTRATORS),
    "audit:api_calls": page(ADMINISTRATORS),
    # The e-archive: registrars (the demo developer is one) and administrators deliver
    # packages; the information management plan is the administrators'.
    "archive:package_list": page(ARCHIVE_DELIVERERS, ARCHIVE_DELIVERERS),
    "archive:package_detail": page(ARCHIVE_DELIVERERS),
    "archive:package_download": page(ARCHIVE_DELIVERERS),
    "archive:package_verify": page(None, ARCHIVE_DELIVERERS),
    "archive:plan": page(ADMINISTRATORS),
    "archive:rule_create": page(ADMINISTRATORS, ADMINISTRATORS),
    "archive:rule_update": page(ADMINISTRATORS, ADMINISTRATORS),
    # E-mail: administrators read the outbox; everyone chooses what they receive
    "outbox:message_list": page(ADMINISTRATORS),
    "outbox:message_detail": page(ADMINISTRATORS),
    "outbox:message_html": page(ADMINISTRATORS),
    "outbox:message_send_again": page(None, ADMINISTRATORS),
    "reminders:preferences": page(ALL_ROLES, ALL_ROLES),
    "reminders:schedule_update": page(None, ADMINISTRATORS),
    "reminders:send_now": page(None, ADMINISTRATORS),
    # "Ni sa – vi gjorde": business developers draft, preview and send the letters
    "letters:round_list": page(INTERVIEWERS, INTERVIEWERS),
    "letters:round_detail": page(INTERVIEWERS),
    "letters:round_send": page(None, INTERVIEWERS),
    "letters:round_post_pdf": page(INTERVIEWERS),
    "letters:letter_detail": page(INTERVIEWERS, INTERVIEWERS),
    "letters:letter_pdf": page(INTERVIEWERS),
    "letters:company_story": page(INTERVIEWERS),
    # Requests for public documents: registrars (the demo developer is one) and administrators;
    # the secrecy grounds are read by registrars and kept by administrators.
    "records:request_list": page(REGISTRARS),
    "records:request_create": page(REGISTRARS, REGISTRARS),
    "records:request_detail": page(REGISTRARS),
    "records:item_add": page(None, REGISTRARS),
    "records:request_release": page(None, REGISTRARS),
    "records:request_decide": page(None, REGISTRARS),
    "records:request_withdraw": page(None, REGISTRARS),
    "records:item_review": page(REGISTRARS),
    "records:mask_create": page(None, REGISTRARS),
    "records:mask_lift": page(None, REGISTRARS),
    "records:item_remove": page(None, REGISTRARS),
    "records:mask_delete": page(None, REGISTRARS),
    "records:document_download": page(REGISTRARS),
    "records:ground_list": page(REGISTRARS, ADMINISTRATORS),
    "records:ground_update": page(ADMINISTRATORS, ADMINISTRATORS),
    # Open data: the page, the files and their DCAT description for anyone (read only); the
    # licence, publisher and contact for administrators.
    "opendata:index": page(EVERYONE),
    "opendata:dcat": page(EVERYONE),
    "opendata:download_csv": page(EVERYONE),
    "opendata:download_json": page(EVERYONE),
    "opendata:settings": page(ADMINISTRATORS, ADMINISTRATORS),
    # The API: published data, its OpenAPI document and documentation page for anyone; staff
    # data with the capability of the matching page. The walk signs in with a session; a
    # token's role narrows it the same way (tests/api/). Anonymous callers of staff data get
    # 401 (a program is asked for its token, not sent to the login page).
    "api:public_areas": page(EVERYONE),
    "api:public_proposals": page(EVERYONE),
    "api:public_activities": page(EVERYONE),
    "api:public_goals": page(EVERYONE),
    "api:public_indicators": page(EVERYONE),
    "api:public_celebrations": page(EVERYONE),
    "api:schema": page(EVERYONE),
    "api:docs": page(EVERYONE),
    "api:interview-list": page(INTERVIEWERS),
    "api:interview-detail": page(INTERVIEWERS),
    "api:finding-list": page(FINDING_READERS),
    "api:finding-detail": page(FINDING_READERS),
    "api:followup-list": page(INTERVIEWERS),
    "api:followup-detail": page(INTERVIEWERS),
    "api:workshop-list": page(ALL_ROLES),
    "api:workshop-detail": page(ALL_ROLES),
    "api:proposal-list": page(ALL_ROLES),
    "api:proposal-detail": page(ALL_ROLES),
    "api:plan-list": page(ALL_ROLES),
    "api:plan-detail": page(ALL_ROLES),
    "api:goal-list": page(ALL_ROLES),
    "api:goal-detail": page(ALL_ROLES),
    "api:activity-list": page(ALL_ROLES),
    "api:activity-detail": page(ALL_ROLES),
    "api:indicator-list": page(ALL_ROLES),
    "api:indicator-detail": page(ALL_ROLES),
    # An empty POST is refused (400) before the indicator, and so who may report on it, is
    # known; tests/api/test_staff.py covers who may write.
    "api:measurement-list": page(ALL_ROLES, ALL_ROLES),
    "api:measurement-detail": page(ALL_ROLES),
    # Personal API tokens: everyone signed in has their own; the demo token is the developer's,
    # which administrators may revoke too.
    "api_tokens:list": page(ALL_ROLES),
    "api_tokens:create": page(None, ALL_ROLES),
    "api_tokens:revoke": page(None, PLAN_EDITORS),
}

# Which demo object fills a URL's <pk>.
PK_OBJECTS = {
    "interviews:company_detail": "company",
    "interviews:company_history": "company",
    "interviews:company_update": "company",
    "interviews:contact_create": "company",
    "interviews:contact_update": "contact",
    "interviews:interview_detail": "interview",
    "interviews:interview_history": "interview",
    "interviews:interview_update": "interview",
    "interviews:followup_create": "interview",
    "interviews:followup_update": "followup",
    "interviews:interview_export_detail": "export",
    "interviews:interview_export_download": "export",
    "workshops:workshop_detail": "workshop",
    "workshops:workshop_update": "workshop",
    "workshops:group_create": "workshop",
    "workshops:group_update": "group",
    "workshops:fast_entry": "group",
    "workshops:votes": "workshop",
    "workshops:merge": "workshop",
    "workshops:merge_undo": "merge",
    "workshops:proposal_undo_add": "proposal",
    "workshops:workshop_export": "workshop",
    "workshops:proposal_detail": "proposal",
    "workshops:proposal_update": "proposal",
    "workshops:proposal_evidence": "proposal",
    "actionplan:plan_update": "plan",
    "actionplan:goal_update": "goal",
    "actionplan:activity_detail": "activity",
    "actionplan:activity_history": "activity",
    "actionplan:activity_update": "activity",
    "actionplan:activity_progress": "activity",
    "actionplan:milestone_create": "activity",
    "actionplan:milestone_update": "milestone",
    "actionplan:indicator_detail": "indicator",
    "actionplan:indicator_update": "indicator",
    "actionplan:indicator_kolada_fetch": "indicator",
    "actionplan:measurement_create": "indicator",
    "actionplan:measurement_update": "measurement",
    "actionplan:measurement_delete": "measurement",
    "actionplan:indicator_history": "indicator",
    "actionplan:measurement_import": "indicator",
    "actionplan:measurement_import_confirm": "indicator",
    "actionplan:celebration_mark": "celebration",
    "reports:run_detail": "run",
    "reports:run_download": "run",
    "reports:run_download_pdf": "run",
    "archive:package_detail": "package",
    "archive:package_download": "package",
    "archive:package_verify": "package",
    "archive:rule_update": "plan_rule",
    "outbox:message_detail": "message",
    "outbox:message_html": "message",
    "outbox:message_send_again": "message",
    "letters:round_detail": "letter_round",
    "letters:round_send": "letter_round",
    "letters:round_post_pdf": "sent_letter_round",
    "letters:letter_detail": "letter",
    "letters:letter_pdf": "letter",
    "letters:company_story": "company",
    "records:request_detail": "record_request",
    "records:item_add": "record_request",
    "records:request_release": "record_request",
    "records:request_decide": "record_request",
    "records:request_withdraw": "record_request",
    "records:item_review": "covered_item",
    "records:mask_create": "covered_item",
    "records:mask_lift": "covered_item",
    "records:item_remove": "covered_item",
    "records:mask_delete": "mask",
    "records:document_download": "released_document",
    "records:ground_update": "ground",
    "api:interview-detail": "interview",
    "api:finding-detail": "finding",
    "api:followup-detail": "followup",
    "api:workshop-detail": "workshop",
    "api:proposal-detail": "proposal",
    "api:plan-detail": "plan",
    "api:goal-detail": "goal",
    "api:activity-detail": "activity",
    "api:indicator-detail": "indicator",
    "api:measurement-detail": "measurement",
    "api_tokens:revoke": "api_token",
}

# Allowed roles get 404 here: the token is made up (tests/interviews/test_transfer_views.py and
# tests/actionplan/test_measurement_import.py cover a real upload and another user's token).
NOT_FOUND_FOR_ALLOWED = {
    "interviews:interview_import_confirm",
    "actionplan:measurement_import_confirm",
    "letters:unsubscribe",
}
# Exempt from CSRF by design: a mail program posts to a letter's link itself (RFC 8058), and the
# link's signed token is what authorises the POST (letters.views.unsubscribe).
CSRF_EXEMPT = {"letters:unsubscribe"}
# A successful POST here sends the user to the login page: that is the point of it.
SIGNS_OUT = {"logout"}

# One process runs this module: its module fixture is built once (make test: --dist loadgroup).
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("access_matrix")]

REDIRECTS = {301, 302, 303, 307, 308}


def url_for(portal: DemoPortal, name: str, pattern) -> str:
    kwargs = {}
    for key in pattern.pattern.converters:
        if key == "slug":
            kwargs[key] = portal.objects["area"].slug
        elif key == "token":
            kwargs[key] = UNKNOWN_IMPORT_TOKEN
        elif key == "pk":
            kwargs[key] = portal.objects[PK_OBJECTS[name]].pk
        elif key in URL_ARGUMENT_EXAMPLES:
            kwargs[key] = URL_ARGUMENT_EXAMPLES[key]
        else:  # pragma: no cover - a new kind of URL argument
            raise KeyError(f"{name}: no demo value for <{key}>")
    return reverse(name, kwargs=kwargs)


def is_login_redirect(reply: Reply) -> bool:
    return reply.status in REDIRECTS and urlsplit(reply.location).path == reverse("login")


def outcome(name: str, method: str, role: str, reply: Reply) -> str:
    """What the user experienced: "ok", "login", or the status code."""
    if reply.status >= 500:
        return "500"
    if is_login_redirect(reply):
        return "ok" if name in SIGNS_OUT and role != ANONYMOUS else "login"
    if reply.status < 400:
        return "ok"
    if method == "POST" and reply.status in {400, 409}:
        return "ok"  # an empty form is refused with its errors, or a locked record says so
    return str(reply.status)


def expected(name: str, method: str, role: str) -> set[str]:
    allowed = ACCESS[name][method]
    public = ANONYMOUS in (ACCESS[name]["GET"] or ())
    if role == ANONYMOUS and name.startswith("api:") and not public:
        return {"401"}  # a program is asked for its token, not sent to the login page
    if allowed is None:
        if role == ANONYMOUS:
            return {"405"} if public else {"login"}
        return {"403", "405"}
    if role in allowed:
        return {"404"} if name in NOT_FOUND_FOR_ALLOWED else {"ok"}
    return {"login"} if role == ANONYMOUS else {"403"}


@pytest.fixture(scope="module")
def walk(demo_portal: DemoPortal) -> list[tuple[str, str, str, str, Reply]]:
    """(name, url, method, role, reply) for every URL in ACCESS, role and method."""
    patterns = {name: pattern for name, _route, pattern in iter_url_patterns()}
    replies = []
    for name in sorted(set(patterns) & set(ACCESS)):
        url = url_for(demo_portal, name, patterns[name])
        for method in ("GET", "POST"):
            for role in ROLES:
                replies.append((name, url, method, role, demo_portal.request(role, method, url)))
    return replies


def test_the_matrix_names_every_url_pattern_and_nothing_else():
    names = {name for name, _route, _pattern in iter_url_patterns()}
    missing = sorted(names - set(ACCESS))
    gone = sorted(set(ACCESS) - names)
    assert not missing and not gone, (
        f"URL patterns missing from ACCESS (declare who may use them): {missing}; "
        f"ACCESS names URLs that no longer exist: {gone}"
    )
    without_object = sorted(
        name
        for name, _route, pattern in iter_url_patterns()
        if "pk" in pattern.pattern.converters and name not in PK_OBJECTS
    )
    assert not without_object, f"Say which demo object fills <pk> in PK_OBJECTS: {without_object}"


def test_the_public_pages_are_the_ones_the_walker_knows():
    public = {name for name, access in ACCESS.items() if ANONYMOUS in (access["GET"] or ())}
    assert public == PUBLIC_URL_NAMES


def test_every_url_answers_each_role_as_declared(walk):
    mismatches = []
    for name, url, method, role, reply in walk:
        got = outcome(name, method, role, reply)
        wanted = expected(name, method, role)
        if got not in wanted:
            detail = reply.error or (f"→ {reply.location}" if reply.location else "")
            mismatches.append(
                f"{name} {method} {url} as {role}: expected {' or '.join(sorted(wanted))}, "
                f"got {reply.status} {detail}".rstrip()
            )
    assert not mismatches, f"{len(mismatches)} answers differ from ACCESS:\n" + "\n".join(
        mismatches
    )


def test_the_walk_covers_every_url_role_and_method(walk):
    assert len(walk) == len(ACCESS) * len(ROLES) * 2


def test_every_answer_to_a_signed_in_user_is_not_stored(walk):
    """Pages with personal data must not stay in a shared computer's browser cache."""
    stored = [
        f"{name} {method} {url} as {role}: Cache-Control {reply.cache_control!r}"
        for name, url, method, role, reply in walk
        if role != ANONYMOUS and "no-store" not in reply.cache_control
    ]
    assert not stored, f"{len(stored)} answers may be cached:\n" + "\n".join(stored)


def test_no_answer_to_the_council_in_the_walk_shows_contact_details_or_notes(walk):
    secrets = personal_secrets()
    assert len(secrets) > 100  # the demo data has contacts and notes to look for
    leaks = [
        f"{name} {method} {url}: {found[:3]}"
        for name, url, method, role, reply in walk
        if role == COUNCIL and (found := leaked_secrets(reply.text, secrets))
    ]
    assert not leaks, "Personal data shown to Tillväxtrådet:\n" + "\n".join(leaks)


def test_the_leak_check_finds_personal_data_where_staff_may_see_it(walk):
    # The search itself must work: the developer's own pages do show these details.
    secrets = personal_secrets()
    replies = {(name, method, role): reply for name, _url, method, role, reply in walk}
    for name in ("interviews:interview_detail", "interviews:contact_update"):
        assert leaked_secrets(replies[(name, "GET", DEVELOPER)].text, secrets), name


# --- The council clicks through the portal ------------------------------------------------------

CRAWL_STARTS = (
    "core:home",
    "reports:dashboard",
    "workshops:workshop_list",
    "actionplan:plan_overview",
    "actionplan:coverage",
    "actionplan:indicator_list",
    "actionplan:celebration_list",
    "reports:run_list",
    "public:results",
)
# Not followed: leaving the portal or the session, and files that are not pages of the portal.
CRAWL_SKIP = re.compile(r"^/(static|media|admin)/|^/konto/logga-ut/|^/i18n/")
CRAWL_LIMIT = 1500
HREF = re.compile(r"""href=["']([^"']+)["']""")


def _links(text: str) -> list[str]:
    links = []
    for raw in HREF.findall(text):
        url = urldefrag(html.unescape(raw)).url
        if url.startswith("/") and not url.startswith("//") and not CRAWL_SKIP.search(url):
            links.append(url)
    return links


def _every_object_page() -> list[str]:
    """The council's pages of every workshop, proposal (merged ones too), plan, activity,
    indicator and finished report, whether or not some page links to them."""
    pages = [
        *(
            ("workshops:workshop_detail", pk)
            for pk in Workshop.objects.values_list("pk", flat=True)
        ),
        *(
            ("workshops:proposal_detail", pk)
            for pk in Proposal.objects.values_list("pk", flat=True)
        ),
        *(
            ("actionplan:activity_detail", pk)
            for pk in Activity.objects.values_list("pk", flat=True)
        ),
        *(
            ("actionplan:indicator_detail", pk)
            for pk in Indicator.objects.values_list("pk", flat=True)
        ),
        *(
            ("reports:run_detail", pk)
            for pk in ReportRun.objects.filter(status=ReportRun.Status.DONE).values_list(
                "pk", flat=True
            )
        ),
    ]
    plans = [
        f"{reverse('actionplan:plan_overview')}?plan={pk}"
        for pk in ActionPlan.objects.values_list("pk", flat=True)
    ]
    return [reverse(name, kwargs={"pk": pk}) for name, pk in pages] + plans


@pytest.fixture(scope="module")
def council_crawl(demo_portal: DemoPortal) -> dict[str, Reply]:
    """Every page the council reaches by following links (GET only), breadth first."""
    queue = deque([*(reverse(name) for name in CRAWL_STARTS), *_every_object_page()])
    seen = set(queue)
    replies: dict[str, Reply] = {}
    while queue and len(replies) < CRAWL_LIMIT:
        url = queue.popleft()
        reply = demo_portal.request(COUNCIL, "GET", url)
        replies[url] = reply
        if reply.status == 200:
            for link in _links(reply.text):
                if link not in seen:
                    seen.add(link)
                    queue.append(link)
    return replies


def test_the_council_reaches_the_pages_it_reads(council_crawl, demo_portal):
    objects = demo_portal.objects
    reached = set(council_crawl)
    for url in (
        reverse("workshops:workshop_detail", kwargs={"pk": objects["workshop"].pk}),
        reverse("workshops:proposal_detail", kwargs={"pk": objects["proposal"].pk}),
        reverse("actionplan:activity_detail", kwargs={"pk": objects["activity"].pk}),
        reverse("actionplan:indicator_detail", kwargs={"pk": objects["indicator"].pk}),
        reverse("reports:run_detail", kwargs={"pk": objects["run"].pk}),
        reverse("reports:run_download", kwargs={"pk": objects["run"].pk}),
        reverse("reports:run_download_pdf", kwargs={"pk": objects["run"].pk}),
    ):
        assert url in reached
    assert 50 < len(council_crawl) < CRAWL_LIMIT, "the crawl stopped early; raise CRAWL_LIMIT"


def test_links_shown_to_the_council_never_fail(council_crawl):
    broken = [
        f"{url}: {reply.status} {reply.error}".rstrip()
        for url, reply in council_crawl.items()
        if reply.status >= 400
    ]
    assert not broken, "Links on the council's pages that fail:\n" + "\n".join(broken)


def test_no_page_the_council_reaches_shows_contact_details_or_notes(council_crawl):
    secrets = personal_secrets()
    leaks = [
        f"{url}: {found[:3]}"
        for url, reply in council_crawl.items()
        if (found := leaked_secrets(reply.text, secrets))
    ]
    assert not leaks, "Personal data shown to Tillväxtrådet:\n" + "\n".join(leaks)


# --- CSRF on every form ------------------------------------------------------------------------

FORM = re.compile(r"<form\b(?P<attributes>[^>]*)>(?P<body>.*?)</form>", re.IGNORECASE | re.DOTALL)
POST_METHOD = re.compile(r"""\bmethod\s*=\s*["']?post\b""", re.IGNORECASE)


def test_every_post_form_in_the_walk_carries_a_csrf_token(walk):
    forms_seen = 0
    without_token = set()
    for name, url, method, role, reply in walk:
        if method != "GET" or reply.status != 200 or reply.content[:2] == b"PK":
            continue
        for form in FORM.finditer(reply.text):
            if POST_METHOD.search(form["attributes"]):
                forms_seen += 1
                if 'name="csrfmiddlewaretoken"' not in form["body"]:
                    without_token.add(f"{name} ({url}) as {role}")
    assert forms_seen > 50  # the walk meets the portal's forms
    assert not without_token, "POST forms without a CSRF token:\n" + "\n".join(
        sorted(without_token)
    )


def test_a_post_without_a_csrf_token_is_refused_on_every_url(demo_portal):
    """Each URL that takes a POST, posted by a role allowed to, without the token: 403."""
    patterns = {name: pattern for name, _route, pattern in iter_url_patterns()}
    accepted = []
    checked = 0
    for name in sorted(set(patterns) & set(ACCESS)):
        allowed = ACCESS[name]["POST"]
        if not allowed or name in CSRF_EXEMPT:
            continue
        role = ANONYMOUS if ANONYMOUS in allowed else sorted(allowed)[0]
        client = Client(enforce_csrf_checks=True)
        if role != ANONYMOUS:
            client.cookies[settings.SESSION_COOKIE_NAME] = demo_portal.sessions[role]
        url = url_for(demo_portal, name, patterns[name])
        with transaction.atomic():
            response = client.post(url, {})
            transaction.set_rollback(True)
        checked += 1
        if response.status_code != 403:
            accepted.append(f"{name} {url} as {role}: {response.status_code}")
    assert checked > 30
    assert not accepted, "POST accepted without a CSRF token:\n" + "\n".join(accepted)
