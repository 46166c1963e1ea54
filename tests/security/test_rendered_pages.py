"""Every page, as every role sees it: user text never becomes markup, and the HTML is valid.

A marker that would be an element with an htmx attribute if it reached the page unescaped is
written into every free-text field of the demo data. The fields are found by introspecting the
models of the domain apps, so a field added later is covered without touching this file. Then
each role crawls the portal: every GET URL pattern (filled with the demo objects, as in
test_access_matrix) and every link the pages show, breadth first. No page may contain a marker
as markup; the escaped markers must show up, or the test proved nothing.

The same pages go, all at once, through the Nu Html Checker (`vnu.jar` from the vnu-jar npm
package, run with Java), which must report no error.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from collections import defaultdict, deque
from urllib.parse import urldefrag

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import Value
from django.db.models.functions import Cast, Concat

from audit.models import RetentionDecision
from reports.models import ReportRun
from reports.services import report_run_execute
from smeportal.accounts.roles import Role
from tests.urlwalk import iter_url_patterns

from .conftest import ANONYMOUS, ROLES, DemoPortal, Reply
from .test_access_matrix import ACCESS, url_for

# One process runs this module: its module fixture is built once (make test: --dist loadgroup).
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("rendered_pages")]

# The apps whose models hold text that a role writes (in the portal or the Django admin).
FREE_TEXT_APPS = ("interviews", "workshops", "actionplan", "areas", "accounts", "reports", "audit")
# Character fields that hold no free text: machine values, or formats validated on the way in
# that cannot carry markup. Keyed by the model's label (historical copies share it).
NOT_FREE_TEXT = {
    "accounts.User.password": "a password hash",
    "accounts.User.username": "letters, digits and @.+-_ only",
    "interviews.Company.organisation_number": "digits and one hyphen, at most 11 characters",
    "interviews.Company.postal_code": "a Swedish postcode, NNN NN",
    "areas.PriorityArea.colour": "a #rrggbb colour",
    "audit.RetentionDecisionItem.model_label": "the label of a model, written by the portal",
    "interviews.InterviewExport.error_message": "one of the portal's own messages (export_jobs)",
    "actionplan.Indicator.kolada_kpi": "a capital letter and five digits (a Kolada KPI id)",
    "actionplan.KoladaFetch.message": "one of the portal's own messages (actionplan.kolada)",
    # simple_history's reason for a change; the portal never sets or shows one.
    "*.history_change_reason": "not written by the portal",
}
# Validated formats (an address, a URL, a slug in URLs) and fields with choices are not free text.
NOT_FREE_TEXT_TYPES = (models.EmailField, models.URLField, models.SlugField)
# Free-text fields no page shows (so the crawl cannot check them), and why.
NOT_SHOWN: dict[str, str] = {
    # Entries are worded from their facts in the reader's language (Celebration.display_title);
    # the sentence stored when it happened shows only for an entry whose facts are gone, and
    # then through the same autoescaped templates.
    "actionplan.Celebration.title": "worded from the entry's facts",
}

MARKER = "<i data-x={number} hx-get=/x>"
# Any marker that reached a page as markup, whatever its number.
RAW_MARKER = re.compile(r"<i data-x=\d+ hx-get=/x>")
ESCAPED_MARKER = re.compile(r"&lt;i data-x=(\d+) hx-get=/x&gt;")
# Room left for the row's id, which keeps unique fields unique.
ID_ROOM = 10

# Not followed: leaving the portal or the session, and files that are not pages of the portal.
CRAWL_SKIP = re.compile(r"^/(static|media|admin)/|^/konto/logga-ut/|^/i18n/")
CRAWL_LIMIT_PER_ROLE = 1500
HREF = re.compile(r"""href=["']([^"']+)["']""")
VNU_JAR = settings.BASE_DIR / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def _field_label(model: type[models.Model], field: models.Field) -> str:
    base = getattr(model, "instance_type", model)  # a historical copy counts as its model
    return f"{base._meta.label}.{field.name}"


def free_text_fields() -> list[tuple[type[models.Model], models.Field, str]]:
    """(model, field, label) for every character field a role can fill with its own words."""
    found = []
    for app_label in FREE_TEXT_APPS:
        for model in apps.get_app_config(app_label).get_models():
            for field in model._meta.concrete_fields:
                if not isinstance(field, models.CharField | models.TextField) or field.choices:
                    continue
                if isinstance(field, NOT_FREE_TEXT_TYPES) or field.primary_key:
                    continue
                label = _field_label(model, field)
                if label in NOT_FREE_TEXT or f"*.{field.name}" in NOT_FREE_TEXT:
                    continue
                found.append((model, field, label))
    return found


def _links(text: str) -> list[str]:
    links = []
    for raw in HREF.findall(text):
        url = urldefrag(html.unescape(raw)).url
        if url.startswith("/") and not url.startswith("//") and not CRAWL_SKIP.search(url):
            links.append(url)
    return links


def is_html(reply: Reply) -> bool:
    """A whole page (a refused form answers 400 with the page)."""
    return reply.status in {200, 400} and reply.content.lstrip()[:15].lower() == b"<!doctype html>"


@pytest.fixture(scope="module")
def marked_fields(demo_portal: DemoPortal) -> dict[int, str]:
    """Write a numbered marker into every free-text field of every row; {number: field}."""
    # The demo has no retention decision and no failed report: one of each, so that their
    # texts are marked and shown too.
    administrator = demo_portal.users[Role.ADMINISTRATOR]
    RetentionDecision.objects.create(
        reference="KS 2025/123 § 4",
        reason="Gallring enligt informationshanteringsplanen",
        scope=RetentionDecision.Scope.ARCHIVED_FINDINGS,
        scope_description="Arkiverade synpunkter",
        decided_by=administrator,
    )
    ReportRun.objects.create(
        requested_by=administrator, status=ReportRun.Status.FAILED, error_message="Fel"
    )
    # A queued report, whose page polls its status with htmx.
    ReportRun.objects.create(requested_by=administrator)
    labels = {}
    for number, (model, field, label) in enumerate(free_text_fields(), start=1):
        marker = MARKER.format(number=number)
        assert field.max_length is None or len(marker) + ID_ROOM <= field.max_length, (
            f"{label} is too short for the marker: declare it in NOT_FREE_TEXT if no one "
            "types into it"
        )
        # The row's id after the marker keeps unique fields (an area's name) unique.
        model._base_manager.update(
            **{
                field.name: Concat(
                    Value(marker), Cast("pk", models.CharField()), output_field=field
                )
            }
        )
        labels[number] = label
    # The dashboard shows the latest summary snapshot: take one of the marked data.
    run = ReportRun.objects.create(requested_by=administrator)
    report_run_execute(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == ReportRun.Status.DONE, run.error_message
    return labels


@pytest.fixture(scope="module")
def crawl(demo_portal: DemoPortal, marked_fields) -> dict[tuple[str, str], Reply]:
    """{(role, url): reply} for every page each role reaches: each GET URL pattern it may
    open, and every link on the pages it gets, breadth first."""
    patterns = {name: pattern for name, _route, pattern in iter_url_patterns()}
    replies: dict[tuple[str, str], Reply] = {}
    for role in ROLES:
        starts = [
            url_for(demo_portal, name, patterns[name])
            for name in sorted(patterns)
            if role in (ACCESS[name]["GET"] or ())
        ]
        queue = deque(starts)
        seen = set(queue)
        fetched = 0
        while queue and fetched < CRAWL_LIMIT_PER_ROLE:
            url = queue.popleft()
            reply = demo_portal.request(role, "GET", url)
            replies[(role, url)] = reply
            fetched += 1
            if is_html(reply):
                for link in _links(reply.text):
                    if link not in seen:
                        seen.add(link)
                        queue.append(link)
        assert fetched < CRAWL_LIMIT_PER_ROLE, f"{role}: the crawl stopped early, raise the limit"
    return replies


@pytest.fixture(scope="module")
def refused_forms(demo_portal: DemoPortal, marked_fields) -> dict[tuple[str, str], Reply]:
    """{(role, url): reply} for an empty POST to every form, by a role that may post it: the
    form comes back with its errors (markup no GET page shows)."""
    patterns = {name: pattern for name, _route, pattern in iter_url_patterns()}
    replies = {}
    for name in sorted(patterns):
        allowed = sorted(role for role in ACCESS[name]["POST"] or () if role != ANONYMOUS)
        if allowed:
            url = url_for(demo_portal, name, patterns[name])
            replies[(allowed[-1], url)] = demo_portal.request(allowed[-1], "POST", url)
    return replies


@pytest.fixture(scope="module")
def pages(crawl, refused_forms) -> dict[tuple[str, str], Reply]:
    """Every HTML page of the crawl and of the refused forms."""
    every = {
        **crawl,
        **{(role, f"POST {url}"): reply for (role, url), reply in refused_forms.items()},
    }
    return {key: reply for key, reply in every.items() if is_html(reply)}


def test_the_markers_reach_every_free_text_field_the_issue_names(marked_fields):
    covered = set(marked_fields.values())
    for label in (
        "workshops.WorkshopGroup.name",
        "actionplan.Indicator.unit",
        "workshops.Proposal.title",
        "interviews.Interview.notes",
        "areas.PriorityArea.name",
        "accounts.User.first_name",
        "audit.RetentionDecision.reason",
    ):
        assert label in covered, label


def test_the_crawl_reaches_the_pages_of_every_role(crawl):
    counts = defaultdict(int)
    for (role, _url), reply in crawl.items():
        counts[role] += is_html(reply)
    assert counts[ANONYMOUS] >= 2  # the login page and the accessibility statement
    for role in ROLES:
        if role != ANONYMOUS:
            assert counts[role] > 40, (role, counts[role])
    errors = [f"{role} {url}: {reply.error}" for (role, url), reply in crawl.items() if reply.error]
    assert not errors, "\n".join(errors)


def test_no_page_shows_user_text_as_markup(pages, marked_fields):
    unescaped = defaultdict(set)
    for (role, url), reply in pages.items():
        for found in RAW_MARKER.findall(reply.text):
            number = int(found.split("=")[1].split()[0])
            unescaped[marked_fields[number]].add(f"{url} as {role}")
    assert not unescaped, "User text rendered as markup:\n" + "\n".join(
        f"{label}: {', '.join(sorted(where)[:4])}" for label, where in sorted(unescaped.items())
    )


def test_the_pages_show_the_markers_escaped(pages, marked_fields):
    shown = set()
    for reply in pages.values():
        shown.update(int(number) for number in ESCAPED_MARKER.findall(reply.text))
    shown_labels = {marked_fields[number] for number in shown}
    # Every field shows up somewhere (so the check above saw it), or is declared unseen.
    never_shown = set(marked_fields.values()) - shown_labels - set(NOT_SHOWN)
    assert not never_shown, (
        f"No page shows {sorted(never_shown)}: the crawl cannot check them. Add demo data "
        "that shows them, or declare them in NOT_SHOWN"
    )


# --- The Nu Html Checker ------------------------------------------------------------------------


def _java() -> str:
    java = shutil.which("java")
    assert java, "Java is needed for the HTML checker: run `make system-deps`"
    assert VNU_JAR.is_file(), f"{VNU_JAR} is missing: run `make assets` (npm ci)"
    return java


def test_every_page_is_valid_html(pages, tmp_path_factory):
    java = _java()
    folder = tmp_path_factory.mktemp("pages")
    files = {}
    for index, ((role, url), reply) in enumerate(sorted(pages.items())):
        path = folder / f"page-{index:05d}.html"
        path.write_bytes(reply.content)
        files[path.resolve().as_uri()] = f"{url} as {role} ({reply.status})"
    assert len(files) > 200
    # The pages where htmx is at work are among them.
    for attribute in ("data-hx-get=", "data-hx-post="):
        assert any(attribute in reply.text for reply in pages.values()), attribute
    print(f"The Nu Html Checker reads {len(files)} pages")  # noqa: T201 - seen with -s
    result = subprocess.run(  # noqa: S603 - our own arguments
        [java, "-jar", str(VNU_JAR), "--errors-only", "--format", "json", str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )
    messages = json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]
    by_message = defaultdict(list)
    for message in messages:
        page = files.get(message.get("url", ""), message.get("url", ""))
        where = f"{page} line {message.get('lastLine', '?')}: {message.get('extract', '')!r}"
        by_message[message["message"]].append(where)
    report = "\n".join(
        f"{len(places)}× {text}\n    " + "\n    ".join(places[:3])
        for text, places in sorted(by_message.items(), key=lambda item: -len(item[1]))
    )
    assert not messages, f"The Nu Html Checker found {len(messages)} errors:\n{report}"


def test_the_checker_finds_errors(tmp_path):
    """The checker itself works here: a page with an hx-* attribute and a stray tag fails."""
    java = _java()
    page = tmp_path / "broken.html"
    page.write_text(
        '<!DOCTYPE html><html lang="sv"><head><title>x</title></head>'
        '<body><div hx-get="/x">x</span></body></html>',
        encoding="utf-8",
    )
    result = subprocess.run(  # noqa: S603
        [java, "-jar", str(VNU_JAR), "--errors-only", "--format", "json", str(page)],
        capture_output=True,
        text=True,
        check=False,
    )
    messages = json.loads(result.stderr)["messages"]
    assert any("hx-get" in message["message"] for message in messages), messages
