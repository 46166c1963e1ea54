"""The demo portal, seeded once per module, and a client that leaves it as it found it.

`manage.py seed_demo` fills the database with the demo users (one per role) and the demo chain
interview → proposal → action → indicator → celebration; a finished report run is built on top.
Tests that use it must be marked django_db (so that pytest-django sets up the test database).
Everything happens inside one transaction that is rolled back when the module is done, and each
request runs in a savepoint of its own that is rolled back too, so a POST in one check (an area
archived, a user logged out) cannot change what a later check sees.
"""

from __future__ import annotations

import html
import io
import logging
import re
import shutil
import subprocess
import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cached_property
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Max, Min
from django.http import HttpResponse
from django.test import Client, override_settings

from actionplan.models import (
    ActionPlan,
    Activity,
    Celebration,
    Goal,
    Indicator,
    Measurement,
    Milestone,
)
from interviews.export_jobs import interview_export_execute
from interviews.models import Company, Contact, FollowUp, Interview, InterviewExport
from reports.models import ReportRun
from reports.services import report_run_execute
from smeportal.accounts.models import User
from smeportal.accounts.roles import Role
from smeportal.areas.models import PriorityArea
from smeportal.outbox.models import OutgoingMessage
from workshops.models import Proposal, ProposalMerge, Workshop, WorkshopGroup
from workshops.services import proposals_merge

ANONYMOUS = "anonymous"
ROLES = (ANONYMOUS, Role.DEVELOPER, Role.FACILITATOR, Role.COUNCIL, Role.ADMINISTRATOR)
DEMO_USERNAMES = {
    Role.DEVELOPER: "utvecklare",
    Role.FACILITATOR: "processledare",
    Role.COUNCIL: "radsmedlem",
    Role.ADMINISTRATOR: "admin",
}
# Not a stored upload of anyone: the confirm page must answer 404 for it.
UNKNOWN_IMPORT_TOKEN = uuid.UUID("8c5f3a52-8d1f-4c1e-9a39-0f1a2b3c4d5e")
# Personal data shorter than this is not searched for: it would match ordinary words.
MIN_SECRET_LENGTH = 6


@dataclass
class Reply:
    """What one request gave: the status, where it redirects, and its body (for leak checks)."""

    status: int
    location: str = ""
    content: bytes = b""
    error: str = ""  # the exception, when the view raised instead of answering
    cache_control: str = ""  # the Cache-Control header

    @cached_property
    def text(self) -> str:
        return content_text(self.content)


@dataclass
class DemoPortal:
    users: dict[Role, User]
    objects: dict[str, object]
    clients: dict[str, Client] = field(default_factory=dict)
    sessions: dict[str, str] = field(default_factory=dict)

    def client_for(self, role: str) -> Client:
        client = self.clients[role]
        if role != ANONYMOUS:
            # A POST to the logout page ends the session in the client's cookie; the row in the
            # database came back with the rollback, so the old cookie logs the user in again.
            client.cookies[settings.SESSION_COOKIE_NAME] = self.sessions[role]
        return client

    def request(self, role: str, method: str, url: str, data=None, **extra) -> Reply:
        """One request in a savepoint that is rolled back; an exception is reported as a 500."""
        client = self.client_for(role)
        with transaction.atomic():
            try:
                if method == "GET":
                    response = client.get(url, data, **extra)
                else:
                    response = client.post(url, data or {}, **extra)
            except Exception as error:  # noqa: BLE001 - any exception is the finding
                transaction.set_rollback(True)
                return Reply(status=500, error=f"{type(error).__name__}: {error}")
            transaction.set_rollback(True)
        return Reply(
            status=response.status_code,
            location=response.get("Location", ""),
            content=response_content(response),
            cache_control=response.get("Cache-Control", ""),
        )


def response_content(response: HttpResponse) -> bytes:
    if not response.streaming:
        return response.content
    # The test client closes a streamed response once it is read, without closing the database
    # connection; calling response.close() again would (request_finished), and on Postgres that
    # ends the connection the module's transaction lives in.
    return b"".join(response.streaming_content)


def content_text(content: bytes) -> str:
    """The body as text; an Excel file is opened and its cells are read, a PDF's text is
    extracted with pdftotext (poppler-utils)."""
    if content[:5] == b"%PDF-":
        pdftotext = shutil.which("pdftotext")
        if pdftotext is None:
            pytest.fail("pdftotext is missing: run `make system-deps` (poppler-utils).")
        extracted = subprocess.run(
            [pdftotext, "-enc", "UTF-8", "-", "-"], input=content, capture_output=True, check=True
        )
        return extracted.stdout.decode()
    if content[:2] == b"PK":  # a zip file: the only ones the portal serves are workbooks
        from openpyxl import load_workbook

        workbook = load_workbook(io.BytesIO(content), read_only=True)
        cells = [
            str(value)
            for sheet in workbook.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value is not None
        ]
        workbook.close()
        return "\n".join(cells)
    return content.decode("utf-8", errors="replace")


def personal_secrets() -> set[str]:
    """Contact names, e-mails and phone numbers, sole traders' postal addresses (the owner's),
    and interview notes (sentence by sentence)."""
    secrets: set[str] = set()
    for name, email, phone in Contact.objects.values_list("name", "email", "phone"):
        secrets.update({name, email, phone})
    sole_traders = Company.objects.filter(is_personal_data=True)
    secrets.update(sole_traders.values_list("postal_address", flat=True))
    for notes in Interview.objects.values_list("notes", flat=True):
        secrets.add(notes.strip())
        # A page that shortened the notes would still show whole sentences of them.
        secrets.update(part.strip() for part in re.split(r"(?<=[.!?])\s+|\n+", notes))
    return {secret for secret in secrets if secret and len(secret) >= MIN_SECRET_LENGTH}


def leaked_secrets(text: str, secrets: set[str]) -> list[str]:
    """The secrets found in the text, as typed or HTML-escaped."""
    return sorted(secret for secret in secrets if secret in text or html.escape(secret) in text)


def _demo_objects(users: dict[Role, User], media_root) -> dict[str, object]:
    """One record of each kind, chosen so that the matrix's expectations hold for it."""
    readers = [users[Role.FACILITATOR].pk, users[Role.COUNCIL].pk]
    contact = Contact.objects.select_related("company").order_by("pk").first()
    follow_up = FollowUp.objects.select_related("interview").order_by("pk").first()
    workshop = Workshop.objects.order_by("pk").first()
    group = WorkshopGroup.objects.filter(workshop=workshop).order_by("pk").first()
    # An activity neither reader is contact for: readers must get 403 on its update pages.
    activity = (
        Activity.objects.exclude(contact_user__in=readers)
        .filter(milestones__isnull=False)
        .order_by("pk")
        .first()
    )
    indicator = next(
        indicator
        for indicator in Indicator.objects.order_by("pk")
        if indicator.owner_id not in readers
        and not Activity.objects.filter(goal__indicators=indicator, contact_user__in=readers)
    )
    run = ReportRun.objects.create(requested_by=users[Role.DEVELOPER])
    with override_settings(MEDIA_ROOT=str(media_root)):
        report_run_execute(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == ReportRun.Status.DONE and run.file and run.pdf_file, run.error_message
    export = InterviewExport.objects.create(requested_by=users[Role.DEVELOPER])
    with override_settings(MEDIA_ROOT=str(media_root)):
        export = interview_export_execute(export_id=export.pk)
    assert export.status == InterviewExport.Status.DONE and export.file, export.error_message
    return {
        "area": PriorityArea.objects.order_by("order").first(),
        "company": contact.company,
        "contact": contact,
        "interview": follow_up.interview,
        "followup": follow_up,
        "workshop": workshop,
        "group": group,
        "proposal": Proposal.objects.filter(group=group, merged_into__isnull=True)
        .order_by("pk")
        .first(),
        "plan": ActionPlan.objects.order_by("pk").first(),
        "goal": Goal.objects.order_by("pk").first(),
        "activity": activity,
        "milestone": Milestone.objects.filter(activity=activity).order_by("pk").first(),
        "indicator": indicator,
        "merge": _a_merge(group),
        "measurement": Measurement.objects.filter(indicator=indicator).order_by("pk").first(),
        "celebration": Celebration.objects.order_by("pk").first(),
        "run": run,
        "export": export,
        "message": _a_failed_message(users[Role.DEVELOPER]),
        **_archive(users[Role.ADMINISTRATOR], media_root),
        **_letters(users[Role.DEVELOPER]),
        **_records(users[Role.DEVELOPER]),
        "finding": follow_up.interview.findings.order_by("pk").first(),
        "api_token": _api_token(users[Role.DEVELOPER]),
    }


def _api_token(user):
    """A personal API token of the developer (its secret is not needed: the walk signs in)."""
    from datetime import timedelta

    from django.utils import timezone

    from api.services import token_create

    return token_create(
        user=user,
        name="Power BI",
        role=Role.DEVELOPER,
        expires_at=timezone.now() + timedelta(days=30),
    ).token


def _letters(user) -> dict:
    """A drafted round of "Ni sa – vi gjorde" letters over the demo's interviews, and a sent
    round of the last month's, whose letters for post are ready to print."""
    from letters.services import letter_round_create, letter_round_deliver, letter_round_send

    first, last = Interview.objects.aggregate(first=Min("date"), last=Max("date")).values()
    letter_round = letter_round_create(
        title="Hösten", interviews_from=first, interviews_to=last, opening="Tack.", user=user
    )
    sent_round = letter_round_create(
        title="Oktober",
        interviews_from=last - timedelta(days=30),
        interviews_to=last,
        opening="Tack.",
        user=user,
    )
    letter_round_send(letter_round=sent_round, user=user)
    letter_round_deliver(round_id=sent_round.pk)
    assert sent_round.letters.filter(status="for_post").exists()
    return {
        "letter_round": letter_round,
        "letter": letter_round.letters.order_by("pk").first(),
        "sent_letter_round": sent_round,
    }


def _archive(user, media_root) -> dict:
    """A rule of the demo's information management plan, and a produced delivery package of
    the demo's first interview year (archive)."""
    from archive.models import DeliveryPackage, InformationRule
    from archive.services import delivery_package_produce

    first_year = Interview.objects.aggregate(first=Min("date"))["first"].year
    package = DeliveryPackage.objects.create(
        kind=DeliveryPackage.Kind.INTERVIEW_YEAR, year=first_year, produced_by=user
    )
    with override_settings(MEDIA_ROOT=str(media_root)):
        package = delivery_package_produce(package_id=package.pk)
    assert package.status == DeliveryPackage.Status.DONE, package.error_message
    return {
        "plan_rule": InformationRule.objects.order_by("pk").first(),
        "package": package,
    }


def _records(user) -> dict:
    """The demo's open request for public documents (records.demo), its covered item with one
    review decision, the decided request's released PDF, and a secrecy ground."""
    from records.models import Mask, RecordRequest, ReleasedDocument, SecrecyGround

    open_request = RecordRequest.objects.filter(status="provning").order_by("pk").first()
    item = open_request.items.order_by("pk").first()
    mask = Mask.objects.create(
        item=item,
        action=Mask.Action.UNMASK,
        source="contact",
        source_id=1,
        field="role",
        reason="Rollen är inte sekretessbelagd.",
        created_by=user,
    )
    document = ReleasedDocument.objects.filter(status="klar", kind="pdf").order_by("pk").first()
    assert document is not None and document.file
    return {
        "record_request": open_request,
        "covered_item": item,
        "mask": mask,
        "released_document": document,
        "ground": SecrecyGround.objects.order_by("pk").first(),
    }


def _a_failed_message(recipient) -> OutgoingMessage:
    """A reminder the mail server refused, as the outbox page shows it."""
    return OutgoingMessage.objects.create(
        to=recipient.email,
        recipient=recipient,
        subject="Två uppföljningar väntar på dig",
        body_text="En uppföljning förfaller i dag.",
        body_html=(
            '<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8">'
            "<title>Två uppföljningar väntar på dig</title></head>"
            "<body><main><p>En uppföljning förfaller i dag.</p></main></body></html>"
        ),
        purpose=OutgoingMessage.Purpose.DIGEST,
        message_id="<demo-1@foretagsdialog.invalid>",
        status=OutgoingMessage.Status.FAILED,
        attempts=1,
        last_error="SMTPDataError: 550 No such mailbox",
    )


def _a_merge(group) -> ProposalMerge:
    """A merge to undo: two new proposals of the demo's group, one merged into the other."""
    kept, duplicate = (
        Proposal.objects.create(group=group, area=group.area, title=title, actor="kommunen")
        for title in ("Samlad företagslots", "En väg in för företag")
    )
    proposals_merge(survivor=kept, duplicates=[duplicate])
    return ProposalMerge.objects.get(survivor=kept)


def _refuse_a_real_database() -> None:
    """pytest-django sets up the test database only when a collected test is marked django_db;
    without that the fixture would write to the configured database, so stop instead."""
    name = str(connection.settings_dict["NAME"])
    in_memory = connection.vendor == "sqlite" and connection.is_in_memory_db()
    if not in_memory and not Path(name).name.startswith("test_"):
        raise RuntimeError(
            f"demo_portal needs the test database, not {name}: mark the tests django_db"
        )


@pytest.fixture(scope="module")
def demo_portal(django_db_setup, django_db_blocker, tmp_path_factory):
    """The seeded demo portal with a logged-in client per role (and one anonymous client)."""
    media_root = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock():
        _refuse_a_real_database()
    with (
        django_db_blocker.unblock(),
        override_settings(
            MEDIA_ROOT=str(media_root),
        ),
        pytest.MonkeyPatch.context() as monkeypatch,
    ):
        # Hundreds of expected 403s and 404s would each be logged with a traceback; errors
        # are still logged, and a request that raises is reported by DemoPortal.request.
        monkeypatch.setattr(logging.getLogger("django.request"), "level", logging.ERROR)
        monkeypatch.setenv("DEMO_PASSWORD", "security-walk-demo-password")
        with transaction.atomic():
            call_command("seed_demo", stdout=StringIO())
            users = {role: User.objects.get(username=name) for role, name in DEMO_USERNAMES.items()}
            portal = DemoPortal(users=users, objects=_demo_objects(users, media_root))
            portal.clients[ANONYMOUS] = Client()
            for role, user in users.items():
                client = Client()
                client.force_login(user)
                portal.clients[role] = client
                portal.sessions[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
            yield portal
            transaction.set_rollback(True)
