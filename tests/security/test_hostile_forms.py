"""Hostile and broken input in every form of the portal (issue 7).

Every URL that accepts POST is listed in POST_ENDPOINTS with the fields its form expects and a
valid value for each; a test walks the URL patterns and fails when a POST endpoint is missing
from the list. For each endpoint Hypothesis posts the valid data with one or more fields
replaced by hostile values (random Unicode with control characters, 10k–100k characters,
empty and whitespace-only strings, impossible dates, huge and non-numeric numbers, ids of
nothing, several values where one is expected). Whatever comes in, the answer is never a 500:
either a form error (400, with the Swedish error summary on form pages), a refusal
(403/404/409), or a redirect after saving an object that passes full_clean().

The same checks run on SQLite and on PostgreSQL (set DATABASE_URL); PostgreSQL refuses NUL
characters in text, so test_known_nasty_values_and_nul_in_each_text_field posts "\\x00" in
each text field of each form in turn. django.test.Client raises a view's exception instead of
answering 500, so a crash fails the test with its traceback.
"""

from __future__ import annotations

import datetime
import inspect
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django import forms as django_forms
from django.apps import apps
from django.db import models, transaction
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from actionplan.models import Celebration
from actionplan.services import milestone_save
from interviews.models import Interview
from reports.models import SummarySnapshot
from reports.summary import summary_compute
from smeportal.accounts.roles import Role
from smeportal.areas.models import PriorityArea
from tests.factories import (
    ActionPlanFactory,
    ActivityFactory,
    CompanyFactory,
    ContactFactory,
    FindingFactory,
    FollowUpFactory,
    GoalFactory,
    IndicatorFactory,
    InterviewFactory,
    MeasurementFactory,
    MilestoneFactory,
    PriorityAreaFactory,
    ProposalFactory,
    UserFactory,
    WorkshopFactory,
    WorkshopGroupFactory,
    _valid_orgnr,
)
from tests.security.strategies import hostile_form_data
from tests.urlwalk import iter_url_patterns
from workshops.models import ProposalMerge
from workshops.services import proposals_merge

# One process runs this module: its module fixture is built once (make test: --dist loadgroup).
pytestmark = pytest.mark.xdist_group("hostile_forms")

PASSWORD = "test-password-123"  # noqa: S105 - the factories' test password
SUMMARY = "Formuläret innehåller fel"  # the Swedish error summary (includes/form_errors.html)
SAVED = {200, 201, 204, 301, 302, 303}
REFUSED = {400, 403, 404, 409, 422}
# django-axes answers repeated failed logins (and wrong current passwords) with 403 or 429.
LOGIN_REFUSED = REFUSED | {429}
THROTTLED = frozenset({"login", "password_change"})

# Examples per form: enough to mix hostile values into each field several times, few enough
# that the file runs in about 90 seconds on SQLite. Derandomized, so CI sees the same cases.
POST_EXAMPLES = 12
GET_EXAMPLES = 8


def _hypothesis(examples: int):
    return settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


# --- The objects the forms work on ------------------------------------------------------------


@dataclass
class World:
    admin: Any
    area: PriorityArea
    spare_area: PriorityArea
    company: Any
    contact: Any
    interview: Any
    finding: Any
    follow_up: Any
    workshop: Any
    group: Any
    proposals: list
    plan: Any
    goal: Any
    activity: Any
    milestone: Any
    indicator: Any
    measurement: Any
    celebration: Any
    merge: Any
    # Public records: a request covering the interview, with one review decision (records).
    records: dict[str, Any] | None = None


def _build_world() -> World:
    admin = UserFactory(username="admin", role=Role.ADMINISTRATOR)
    area = PriorityArea.objects.order_by("order").first()
    company = CompanyFactory()
    contact = ContactFactory(company=company)
    interview = InterviewFactory(company=company, interviewers=[admin])
    interview.interviewees.add(contact)
    finding = FindingFactory(interview=interview, area=area)
    workshop = WorkshopFactory()
    workshop.facilitators.add(admin)
    group = WorkshopGroupFactory(workshop=workshop, area=area, facilitator=admin)
    proposals = [ProposalFactory(group=group, area=area) for _ in range(3)]
    plan = ActionPlanFactory()
    indicator = IndicatorFactory(owner=admin)
    goal = GoalFactory(plan=plan, area=area)
    goal.indicators.add(indicator)
    activity = ActivityFactory(plan=plan, goal=goal, contact_user=admin)
    milestone = MilestoneFactory(activity=activity)
    done = MilestoneFactory(activity=activity, title="Klart delmål")
    done.is_done = True
    milestone_save(milestone=done)
    kept, duplicate = (ProposalFactory(group=group, area=area) for _ in range(2))
    proposals_merge(survivor=kept, duplicates=[duplicate], user=admin)
    # The dashboard's period filter offers the periods of the stored summaries.
    SummarySnapshot.objects.create(taken_at=timezone.now(), data=summary_compute())
    world = World(
        admin=admin,
        area=area,
        spare_area=PriorityAreaFactory(),
        company=company,
        contact=contact,
        interview=interview,
        finding=finding,
        follow_up=FollowUpFactory(interview=interview, owner=admin),
        workshop=workshop,
        group=group,
        proposals=proposals,
        plan=plan,
        goal=goal,
        activity=activity,
        milestone=milestone,
        indicator=indicator,
        measurement=MeasurementFactory(indicator=indicator, date=timezone.localdate()),
        celebration=Celebration.objects.get(milestone=done),
        merge=ProposalMerge.objects.get(survivor=kept),
    )
    world.records = _records_world(admin, interview, contact)
    return world


def _records_world(admin, interview, contact) -> dict[str, Any]:
    from django.core.files.base import ContentFile

    from records.models import CoveredItem, Mask, ReleasedDocument, SecrecyGround
    from records.services import covered_item_add, record_request_create

    record_request = record_request_create(
        received_on=timezone.localdate(),
        channel="e-post",
        description="Intervjun med företaget",
        handler=admin,
        user=admin,
    )
    item = covered_item_add(
        record_request=record_request,
        kind=CoveredItem.Kind.INTERVIEW,
        target_id=interview.pk,
        label="Intervjun",
        user=admin,
    )
    mask = Mask.objects.create(
        item=item,
        action=Mask.Action.UNMASK,
        source="contact",
        source_id=contact.pk,
        field="email",
        reason="Funktionsadress.",
        created_by=admin,
    )
    document = ReleasedDocument(request=record_request, kind="pdf", status="klar")
    document.file.save("utlamnat.pdf", ContentFile(b"%PDF-1.7\n"), save=True)
    return {
        "request": record_request,
        "item": item,
        "mask": mask,
        "document": document,
        "ground": SecrecyGround.objects.order_by("pk").first(),
    }


def _records_kwargs(key: str):
    return lambda w: {"pk": w.records[key].pk}


@pytest.fixture(scope="module")
def _module_world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The objects, built once for the module in a transaction that is rolled back at the end."""
    with (
        django_db_blocker.unblock(),
        override_settings(
            # Reports and imports write files; keep them out of the shared test media folder.
            MEDIA_ROOT=str(tmp_path_factory.mktemp("media")),
        ),
        transaction.atomic(),
    ):
        yield _build_world()
        transaction.set_rollback(True)


@pytest.fixture
def world(_module_world, db) -> World:
    """The module's objects; whatever a test changes is rolled back after it (a savepoint)."""
    return _module_world


def _days(offset: int) -> str:
    """A date relative to today, for fields that refuse the future or the past."""
    return (timezone.localdate() + datetime.timedelta(days=offset)).isoformat()


def _interview_fields(w: World) -> dict[str, Any]:
    return {
        "company": w.company.pk,
        "date": _days(-30),
        "interviewers": [w.admin.pk],
        "interviewees": [w.contact.pk],
        "format": "besok",
        "duration_minutes": "60",
        "status": "klar",
        "grade": "4",
        "consent": "anonymt",
        "notes": "Samtal om kompetensförsörjning.",
        "findings-TOTAL_FORMS": "1",
        "findings-INITIAL_FORMS": "0",
        "findings-MIN_NUM_FORMS": "0",
        "findings-MAX_NUM_FORMS": "1000",
        "findings-0-area": w.area.pk,
        "findings-0-type": "utmaning",
        "findings-0-text": "Svårt att rekrytera svetsare.",
        "findings-0-importance": "3",
        "findings-0-quote": "Vi har annonserat i ett halvår.",
        "findings-0-is_key_quote": "on",
        "findings-0-is_confidential": "",
    }


def _interview_update_fields(w: World) -> dict[str, Any]:
    interview = Interview.objects.get(pk=w.interview.pk)
    return {
        **_interview_fields(w),
        "version": interview.version,
        "findings-INITIAL_FORMS": "1",
        "findings-0-id": w.finding.pk,
        "findings-0-DELETE": "",
    }


def _company_fields(w: World, number: str) -> dict[str, Any]:
    return {
        "name": "Svetsarna i Eskilstuna AB",
        "organisation_number": number,
        "industry": "C",
        "size_class": "10-49",
        "district": "centrum",
        "website": "svetsarna.example",
        "notes": "Träffade på företagsfrukosten.",
    }


def _contact_fields(w: World) -> dict[str, Any]:
    return {
        "name": "Åsa Öberg",
        "role": "VD",
        "email": "asa@example.invalid",
        "phone": "016-10 20 30",
    }


def _follow_up_fields(w: World) -> dict[str, Any]:
    return {
        "flag": "gul",
        "title": "Ring tillbaka om bygglovet",
        "owner": w.admin.pk,
        "due_date": _days(30),
        "status": "oppen",
        "notes": "Handläggaren är informerad.",
    }


def _workshop_fields(w: World) -> dict[str, Any]:
    return {
        "title": "Företagsdialog november",
        "date": "2025-11-11",
        "place": "Munktellstaden",
        "description": "Dialog om de sex områdena.",
        "status": "genomford",
        "facilitators": [w.admin.pk],
        "participants_total": "80",
        "participants_companies": "55",
        "participants_municipality": "20",
        "participants_other": "5",
    }


def _group_fields(w: World) -> dict[str, Any]:
    return {
        "name": "Bord 12",
        "area": w.area.pk,
        "member_count": "8",
        "facilitator": w.admin.pk,
        "notes": "Livlig diskussion.",
        "add_more": "",
    }


def _proposal_fields(w: World) -> dict[str, Any]:
    return {
        "title": "Snabbare bygglov",
        "actor": "kommunen",
        "description": "En bygglovslots i veckan.",
        "horizon": "inom_1_ar",
        "effect": "3",
        "effort": "2",
        "area": w.area.pk,
    }


def _plan_fields(w: World) -> dict[str, Any]:
    return {
        "title": "Handlingsplan 2026–2029",
        "start_year": "2026",
        "end_year": "2029",
        "status": "antagen",
        "adopted_on": "2025-12-01",
    }


def _goal_fields(w: World) -> dict[str, Any]:
    return {
        "plan": w.plan.pk,
        "area": w.area.pk,
        "title": "Kortare handläggningstider",
        "description": "Bygglov inom fyra veckor.",
        "indicators": [w.indicator.pk],
    }


def _activity_fields(w: World) -> dict[str, Any]:
    return {
        "plan": w.plan.pk,
        "title": "Bygglovslots varje vecka",
        "description": "Företag bokar en halvtimme med en handläggare.",
        "areas": [w.area.pk],
        "goal": w.goal.pk,
        "parent": "",
        "party_kind": "forvaltning",
        "party_name": "Näringslivskontoret",
        "contact_user": w.admin.pk,
        "municipality_part": "Handläggare avsätter tid.",
        "municipality_owner": "Bygglovschefen",
        "municipality_status": "pagar",
        "business_part": "Företagarna sprider ordet.",
        "business_owner": "Företagarna Eskilstuna",
        "business_status": "ej_paborjad",
        "start_date": "2025-01-01",
        "due_date": "2026-12-31",
        "status": "pagar",
        "manual_progress": "40",
        "proposals": [w.proposals[0].pk],
    }


def _indicator_fields(w: World) -> dict[str, Any]:
    return {
        "name": "NKI företagare",
        "unit": "NKI",
        "direction": "hogre",
        "source": "skr_insikt",
        "source_detail": "SKR Insikt 2021",
        # Only for an indicator fetched from Kolada: empty here, and refused when filled.
        "kolada_kpi": "",
        "kolada_gender": "T",
        "baseline_value": "77",
        "baseline_date": "2021-06-01",
        "target_value": "80,5",
        "target_date": "2030-06-01",
        "reporting_interval": "12",
        "owner": w.admin.pk,
    }


def _no_fields(w: World) -> dict[str, Any]:
    return {}


# --- The declared list of every form the portal posts to ------------------------------------


def _draft_round(w: World):
    """A drafted round of letters covering the world's interview."""
    from letters.services import letter_round_create

    day = w.interview.date
    return letter_round_create(
        title="Hösten", interviews_from=day, interviews_to=day, opening="Tack.", user=w.admin
    )


def _failed_message():
    """A message the mail server refused, for the outbox's "send again"."""
    from smeportal.outbox.models import OutgoingMessage

    return OutgoingMessage.objects.create(
        to="bo@example.invalid",
        subject="Påminnelser",
        body_text="En uppföljning förfaller i dag.",
        purpose=OutgoingMessage.Purpose.DIGEST,
        message_id=f"<{OutgoingMessage.objects.count()}-hostile@foretagsdialog.invalid>",
        status=OutgoingMessage.Status.FAILED,
    )


@dataclass(frozen=True)
class Endpoint:
    """One form: where it posts, who may post, its fields with valid values, what it saves."""

    name: str
    fields: Callable[[World], dict[str, Any]]
    kwargs: Callable[[World], dict[str, Any]] = lambda w: {}
    # Models whose new rows must pass full_clean() after a successful post.
    creates: tuple[str, ...] = ()
    # The objects an edit changes; re-read and full_clean()ed after a successful post.
    edits: Callable[[World], list[models.Model]] = lambda w: []
    anonymous: bool = False
    htmx: bool = False
    method: str = "post"
    # A 400 answer renders a form page with the Swedish error summary.
    form_page: bool = True
    # What the valid data gets (a redirect after saving, unless the endpoint refuses by design).
    valid_statuses: frozenset[int] = frozenset({302})
    label: str = ""

    @property
    def id(self) -> str:
        return self.label or (f"{self.name}-htmx" if self.htmx else self.name)

    def url(self, w: World) -> str:
        return reverse(self.name, kwargs=self.kwargs(w))


def _refetch(*objects: models.Model) -> list[models.Model]:
    return [type(obj)._default_manager.get(pk=obj.pk) for obj in objects]


def _unsubscribe_token(contact) -> str:
    from letters.services import unsubscribe_token

    return unsubscribe_token(contact)


def _plan_rule(record_type: str = "kontaktpersoner"):
    """A disposal rule of the information management plan (archive) for retention to carry out."""
    from archive.models import COUNTED_FROM_FOR, InformationRule

    rule, _created = InformationRule.objects.get_or_create(
        record_type=record_type,
        defaults={
            "action": InformationRule.Action.DISPOSE,
            "period": 2,
            "period_unit": InformationRule.Unit.YEARS,
            "counted_from": COUNTED_FROM_FOR[record_type][0],
            "decision_reference": "KS 2025/412 § 7",
            "decision_date": datetime.date(2025, 6, 10),
        },
    )
    return rule


def _a_package(w: World):
    """A finished delivery package (its file is not needed: verifying says it is missing)."""
    from archive.models import DeliveryPackage

    return DeliveryPackage.objects.create(
        kind=DeliveryPackage.Kind.INTERVIEW_YEAR,
        year=2025,
        produced_by=w.admin,
        status=DeliveryPackage.Status.DONE,
    )


def _kolada_indicator(w: World):
    """An indicator whose values are fetched from Kolada."""
    from actionplan.models import Indicator

    return Indicator.objects.filter(kolada_kpi="N01004").first() or IndicatorFactory(
        source="kolada", kolada_kpi="N01004", owner=w.admin
    )


def _area_slug(w: World) -> dict[str, Any]:
    # An accepted edit may change the slug; address the area by its current one.
    return {"slug": PriorityArea.objects.get(pk=w.spare_area.pk).slug}


POST_ENDPOINTS: list[Endpoint] = [
    # Accounts and language
    Endpoint(
        "login",
        lambda w: {"username": "admin", "password": PASSWORD, "next": "/"},
        anonymous=True,
    ),
    Endpoint("logout", _no_fields, form_page=False),
    Endpoint(
        "password_change",
        lambda w: {
            "old_password": PASSWORD,
            "new_password1": "Svetslåga-2025-Munktell",
            "new_password2": "Svetslåga-2025-Munktell",
        },
    ),
    Endpoint(
        "set_language",
        lambda w: {"language": "en", "next": "/foretag/"},
        anonymous=True,
        form_page=False,
    ),
    # Priority areas
    Endpoint(
        "areas:create",
        lambda w: {
            "name": "Digital infrastruktur",
            "name_en": "Digital infrastructure",
            "slug": "digital-infrastruktur",
            "description": "Bredband och digitala tjänster.",
            "order": "7",
            "colour": "#225577",
        },
        creates=("areas.PriorityArea",),
    ),
    Endpoint(
        "areas:update",
        lambda w: {
            "name": w.spare_area.name,
            "name_en": "Spare area",
            "slug": w.spare_area.slug,
            "description": "Ändrad beskrivning.",
            "order": "99",
            "colour": "#113355",
        },
        kwargs=_area_slug,
        edits=lambda w: _refetch(w.spare_area),
    ),
    Endpoint(
        "areas:archive",
        lambda w: {"archived": "1"},
        kwargs=_area_slug,
        edits=lambda w: _refetch(w.spare_area),
        form_page=False,
        # Archiving is confirmed on a page of its own first (smeportal.core.form_tokens).
        valid_statuses=frozenset({200}),
    ),
    Endpoint(
        "areas:delete",
        _no_fields,
        # The area in use: the answer is a refusal, whatever is posted.
        kwargs=lambda w: {"slug": w.area.slug},
        valid_statuses=frozenset({409}),
        form_page=False,
    ),
    # Companies and contacts
    Endpoint(
        "interviews:company_create",
        lambda w: _company_fields(w, _valid_orgnr(5569990000)),
        creates=("interviews.Company",),
    ),
    Endpoint(
        "interviews:company_update",
        lambda w: _company_fields(w, w.company.organisation_number),
        kwargs=lambda w: {"pk": w.company.pk},
        edits=lambda w: _refetch(w.company),
    ),
    Endpoint(
        "interviews:contact_create",
        _contact_fields,
        kwargs=lambda w: {"pk": w.company.pk},
        creates=("interviews.Contact",),
    ),
    Endpoint(
        "interviews:contact_update",
        _contact_fields,
        kwargs=lambda w: {"pk": w.contact.pk},
        edits=lambda w: _refetch(w.contact),
    ),
    # Interviews with their findings formset
    Endpoint(
        "interviews:interview_create",
        _interview_fields,
        creates=("interviews.Interview", "interviews.Finding"),
    ),
    Endpoint(
        "interviews:interview_update",
        _interview_update_fields,
        kwargs=lambda w: {"pk": w.interview.pk},
        creates=("interviews.Finding",),
        edits=lambda w: [*_refetch(w.interview), *w.interview.findings.all()],
    ),
    Endpoint(
        "interviews:interview_import",
        lambda w: {"file": ""},
        valid_statuses=frozenset({400}),
    ),
    # A large export of the interview list: its filters as the list's export link carries them.
    Endpoint(
        "interviews:interview_export_create",
        lambda w: {
            "q": "bygglov",
            "area": w.area.pk,
            "finding_type": "utmaning",
            "industry": "C",
            "size_class": "10-49",
            "district": "centrum",
            "date_from": "2024-01-01",
            "date_to": _days(-1),
            "interviewer": w.admin.pk,
            "grade": "4",
            "status": "klar",
            "open_flags": "rod",
            "sort": "-company",
        },
        creates=("interviews.InterviewExport",),
    ),
    Endpoint(
        "interviews:interview_import_confirm",
        _no_fields,
        # No stored upload under this token: nothing to confirm.
        kwargs=lambda w: {"token": "8c5f3a52-8d1f-4c1e-9a39-0f1a2b3c4d5e"},
        valid_statuses=frozenset({404}),
        form_page=False,
    ),
    # Follow-ups
    Endpoint(
        "interviews:followup_create",
        _follow_up_fields,
        kwargs=lambda w: {"pk": w.interview.pk},
        creates=("interviews.FollowUp",),
    ),
    Endpoint(
        "interviews:followup_update",
        lambda w: {**_follow_up_fields(w), "next": "mine"},
        kwargs=lambda w: {"pk": w.follow_up.pk},
        edits=lambda w: _refetch(w.follow_up),
    ),
    Endpoint(
        "interviews:followup_team",
        # Closing: valid whatever the factory's flag and due date (a red flag due far ahead may
        # not be given on; tests/interviews/test_followup_team.py covers that refusal).
        lambda w: {"follow_ups": [w.follow_up.pk], "action": "close"},
        edits=lambda w: _refetch(w.follow_up),
    ),
    # Workshops, groups and proposals
    Endpoint("workshops:workshop_create", _workshop_fields, creates=("workshops.Workshop",)),
    Endpoint(
        "workshops:workshop_update",
        _workshop_fields,
        kwargs=lambda w: {"pk": w.workshop.pk},
        edits=lambda w: _refetch(w.workshop),
    ),
    Endpoint(
        "workshops:group_create",
        _group_fields,
        kwargs=lambda w: {"pk": w.workshop.pk},
        creates=("workshops.WorkshopGroup",),
    ),
    Endpoint(
        "workshops:group_update",
        _group_fields,
        kwargs=lambda w: {"pk": w.group.pk},
        edits=lambda w: _refetch(w.group),
    ),
    Endpoint(
        "workshops:fast_entry",
        _proposal_fields,
        kwargs=lambda w: {"pk": w.group.pk},
        creates=("workshops.Proposal",),
    ),
    Endpoint(
        "workshops:fast_entry",
        _proposal_fields,
        kwargs=lambda w: {"pk": w.group.pk},
        creates=("workshops.Proposal",),
        htmx=True,
        # htmx swaps the fragment in: the new proposal (200) or the form with its errors (200).
        valid_statuses=frozenset({200}),
    ),
    Endpoint(
        "workshops:votes",
        lambda w: {f"votes_{proposal.pk}": str(n + 3) for n, proposal in enumerate(w.proposals)},
        kwargs=lambda w: {"pk": w.workshop.pk},
        edits=lambda w: _refetch(*w.proposals),
    ),
    Endpoint(
        "workshops:merge",
        lambda w: {
            "proposals": [w.proposals[1].pk, w.proposals[2].pk],
            "survivor": w.proposals[1].pk,
        },
        kwargs=lambda w: {"pk": w.workshop.pk},
        edits=lambda w: _refetch(*w.proposals),
        # A merge is confirmed on a page of its own first (smeportal.core.form_tokens).
        valid_statuses=frozenset({200}),
    ),
    Endpoint(
        "workshops:proposal_undo_add",
        _no_fields,
        kwargs=lambda w: {"pk": w.proposals[0].pk},
        # Not the user's latest proposal of the group: refused, whatever is posted.
        valid_statuses=frozenset({409}),
        form_page=False,
    ),
    Endpoint(
        "workshops:merge_undo",
        _no_fields,
        kwargs=lambda w: {"pk": w.merge.pk},
        # Undoing is confirmed on a page of its own first, as merging is.
        valid_statuses=frozenset({200}),
        form_page=False,
    ),
    Endpoint(
        "workshops:proposal_update",
        lambda w: {
            **_proposal_fields(w),
            "status": "under_beredning",
            "rejection_reason": "",
        },
        kwargs=lambda w: {"pk": w.proposals[0].pk},
        edits=lambda w: _refetch(w.proposals[0]),
    ),
    Endpoint(
        "workshops:proposal_evidence",
        lambda w: {"action": "link", "findings": [w.finding.pk]},
        kwargs=lambda w: {"pk": w.proposals[0].pk},
        edits=lambda w: _refetch(w.proposals[0]),
    ),
    # The action plan
    Endpoint("actionplan:plan_create", _plan_fields, creates=("actionplan.ActionPlan",)),
    Endpoint(
        "actionplan:plan_update",
        _plan_fields,
        kwargs=lambda w: {"pk": w.plan.pk},
        edits=lambda w: _refetch(w.plan),
    ),
    Endpoint("actionplan:goal_create", _goal_fields, creates=("actionplan.Goal",)),
    Endpoint(
        "actionplan:goal_update",
        _goal_fields,
        kwargs=lambda w: {"pk": w.goal.pk},
        edits=lambda w: _refetch(w.goal),
    ),
    Endpoint("actionplan:activity_create", _activity_fields, creates=("actionplan.Activity",)),
    Endpoint(
        "actionplan:activity_update",
        _activity_fields,
        kwargs=lambda w: {"pk": w.activity.pk},
        edits=lambda w: _refetch(w.activity),
    ),
    Endpoint(
        "actionplan:activity_from_proposals",
        lambda w: {**_activity_fields(w), "areas": [], "proposals": [w.proposals[0].pk]},
        creates=("actionplan.Activity",),
    ),
    Endpoint(
        "actionplan:activity_progress",
        lambda w: {"status": "pagar", "manual_progress": "55"},
        kwargs=lambda w: {"pk": w.activity.pk},
        edits=lambda w: _refetch(w.activity),
    ),
    Endpoint(
        "actionplan:milestone_create",
        lambda w: {"title": "Första bygglovsloten", "date": "2026-03-01", "is_done": ""},
        kwargs=lambda w: {"pk": w.activity.pk},
        creates=("actionplan.Milestone", "actionplan.Celebration"),
    ),
    Endpoint(
        "actionplan:milestone_update",
        lambda w: {
            "title": "Första bygglovsloten",
            "date": "2026-03-01",
            "is_done": "on",
            "mark_done": "",
        },
        kwargs=lambda w: {"pk": w.milestone.pk},
        creates=("actionplan.Celebration",),
        edits=lambda w: _refetch(w.milestone),
    ),
    Endpoint("actionplan:indicator_create", _indicator_fields, creates=("actionplan.Indicator",)),
    Endpoint(
        "actionplan:indicator_update",
        _indicator_fields,
        kwargs=lambda w: {"pk": w.indicator.pk},
        edits=lambda w: _refetch(w.indicator),
    ),
    # "Hämta från Kolada nu": queues a fetch (run once the request commits, which the rolled
    # back test transaction never does, so nothing reaches the network).
    Endpoint(
        "actionplan:indicator_kolada_fetch",
        _no_fields,
        kwargs=lambda w: {"pk": _kolada_indicator(w).pk},
        creates=("actionplan.KoladaFetch",),
        form_page=False,
    ),
    Endpoint(
        "actionplan:measurement_create",
        lambda w: {"value": "3,45", "date": _days(-1), "comment": "Enkäten"},
        kwargs=lambda w: {"pk": w.indicator.pk},
        creates=("actionplan.Measurement", "actionplan.Celebration"),
    ),
    Endpoint(
        "actionplan:measurement_update",
        lambda w: {"value": "3,5", "date": _days(-2), "comment": "Rättat"},
        kwargs=lambda w: {"pk": w.measurement.pk},
        edits=lambda w: _refetch(w.measurement),
    ),
    Endpoint(
        "actionplan:measurement_delete",
        _no_fields,
        kwargs=lambda w: {"pk": w.measurement.pk},
        form_page=False,
    ),
    Endpoint(
        "actionplan:measurement_import",
        lambda w: {"file": ""},
        kwargs=lambda w: {"pk": w.indicator.pk},
        valid_statuses=frozenset({400}),
    ),
    Endpoint(
        "actionplan:measurement_import_confirm",
        _no_fields,
        # No stored upload under this token: nothing to confirm.
        kwargs=lambda w: {"pk": w.indicator.pk, "token": "8c5f3a52-8d1f-4c1e-9a39-0f1a2b3c4d5e"},
        valid_statuses=frozenset({404}),
        form_page=False,
    ),
    Endpoint(
        "actionplan:celebration_mark",
        lambda w: {"celebrated": "1", "note": "Berättat i nyhetsbrevet.", "visa": "firade"},
        kwargs=lambda w: {"pk": w.celebration.pk},
        edits=lambda w: _refetch(w.celebration),
    ),
    # Reports
    Endpoint(
        "reports:run_create",
        lambda w: {"period_start": "2025-01-01", "period_end": "2025-06-30"},
        creates=("reports.ReportRun",),
    ),
    Endpoint(
        "reports:schedule_update",
        lambda w: {"enabled": "on", "day_of_week": "1", "hour": "7"},
        creates=("django_celery_beat.PeriodicTask", "django_celery_beat.CrontabSchedule"),
    ),
    # E-mail: what one receives, and when the daily reminders go out
    Endpoint(
        "reminders:preferences",
        lambda w: {
            "language": "en",
            "follow_ups": "on",
            "activities": "on",
            "indicators": "",
            "council_summary": "on",
        },
        creates=("outbox.MailPreference",),
    ),
    Endpoint(
        "reminders:schedule_update",
        lambda w: {"enabled": "on", "hour": "6"},
        creates=("django_celery_beat.PeriodicTask", "django_celery_beat.CrontabSchedule"),
    ),
    Endpoint("reminders:send_now", _no_fields, form_page=False),
    # "Ni sa – vi gjorde": draft a round, adjust a letter, approve and send
    Endpoint(
        "letters:round_list",
        lambda w: {
            "title": "Hösten 2026",
            "interviews_from": "2026-01-01",
            "interviews_to": "2026-06-30",
            "opening": "Tack för att ni tog emot oss.",
        },
        creates=("letters.LetterRound", "letters.ResultsLetter"),
    ),
    Endpoint(
        "letters:letter_detail",
        lambda w: {"opening": "Tack för samtalet i oktober."},
        kwargs=lambda w: {"pk": _draft_round(w).letters.get().pk},
    ),
    Endpoint(
        "letters:round_send",
        lambda w: {"previewed": "on"},
        kwargs=lambda w: {"pk": _draft_round(w).pk},
    ),
    # The link in an e-mailed letter that stops them: anyone holding it, posted by a mail
    # program too (RFC 8058), so no form page.
    Endpoint(
        "letters:unsubscribe",
        lambda w: {"List-Unsubscribe": "One-Click"},
        kwargs=lambda w: {"token": _unsubscribe_token(w.contact)},
        edits=lambda w: _refetch(w.contact),
        anonymous=True,
        form_page=False,
        valid_statuses=frozenset({200}),
    ),
    Endpoint(
        "outbox:message_send_again",
        _no_fields,
        kwargs=lambda w: {"pk": _failed_message().pk},
        form_page=False,
    ),
    # Audit trail and retention (gallring)
    Endpoint(
        "audit:retention",
        lambda w: {
            "rule": _plan_rule().pk,
            "search": "",
            "reference": "KS 2025/123 § 4",
            "reason": "Kontaktuppgifter som inte längre behövs.",
            "cover_all": "on",
            "confirm": "on",
        },
        # The decision is confirmed on a page of its own first (smeportal.core.form_tokens).
        valid_statuses=frozenset({200}),
    ),
    # The criteria step lists the records: a POST too, so a searched name is not in the URL.
    Endpoint(
        "audit:retention",
        lambda w: {
            "rule": _plan_rule("foretag").pk,
            "search": "Testbolaget",
            "sole_traders_only": "on",
            "show": "1",
        },
        valid_statuses=frozenset({200}),
        label="audit:retention-show",
    ),
    # The information management plan and delivery packages for the e-archive (archive)
    Endpoint(
        "archive:rule_create",
        lambda w: {
            "record_type": "utskick",
            "action": "gallras",
            "period": "1",
            "period_unit": "ar",
            "counted_from": "skickat",
            "decision_reference": "KS 2025/412 § 7",
            "decision_date": "2025-06-10",
            "note": "Kopior av utskick.",
        },
        creates=("archive.InformationRule",),
    ),
    Endpoint(
        "archive:rule_update",
        lambda w: {
            "action": "gallras",
            "period": "3",
            "period_unit": "ar",
            "counted_from": "senaste_intervju",
            "decision_reference": "KS 2025/412 § 7",
            "decision_date": "2025-06-10",
            "note": "Personuppgifter.",
        },
        kwargs=lambda w: {"pk": _plan_rule().pk},
        edits=lambda w: _refetch(_plan_rule()),
    ),
    Endpoint(
        "archive:package_list",
        lambda w: {"kind": "intervjuar", "year": str(timezone.localdate().year - 1)},
        creates=("archive.DeliveryPackage",),
    ),
    Endpoint(
        "archive:package_verify",
        _no_fields,
        kwargs=lambda w: {"pk": _a_package(w).pk},
        form_page=False,
    ),
    # Requests for public documents (records)
    Endpoint(
        "records:request_create",
        lambda w: {
            "received_on": _days(-1),
            "channel": "e-post",
            "description": "Alla intervjuer med Svetsarna AB under 2025.",
            "requester_name": "",
            "requester_contact": "svar@example.invalid",
            "handler": w.admin.pk,
        },
        creates=("records.RecordRequest",),
    ),
    Endpoint(
        "records:item_add",
        lambda w: {
            "kind": "synpunkter",
            "company": w.company.organisation_number,
            "interview_date": w.interview.date.isoformat(),
            "area": w.area.pk,
            "date_from": "2024-01-01",
            "date_to": _days(0),
            "workshop": w.workshop.pk,
            "plan": w.plan.pk,
            "report": "",
        },
        kwargs=_records_kwargs("request"),
        creates=("records.CoveredItem",),
    ),
    Endpoint(
        "records:mask_create",
        lambda w: {
            "page": "1",
            "field": f"company:{w.company.pk}:name",
            "passage": w.company.name[:4],
            "ground": w.records["ground"].pk,
            "reason": "Uppgiften röjer affärsförhållanden.",
        },
        kwargs=_records_kwargs("item"),
        creates=("records.Mask",),
    ),
    Endpoint(
        "records:mask_lift",
        lambda w: {
            "page": "1",
            "lift-field": f"contact:{w.contact.pk}:name",
            "lift-reason": "Personen har själv gått ut med uppgiften.",
        },
        kwargs=_records_kwargs("item"),
        creates=("records.Mask",),
    ),
    Endpoint("records:mask_delete", _no_fields, kwargs=_records_kwargs("mask"), form_page=False),
    Endpoint("records:item_remove", _no_fields, kwargs=_records_kwargs("item"), form_page=False),
    Endpoint(
        "records:request_release",
        lambda w: {"reviewed": "on", "with_workbook": "on"},
        kwargs=_records_kwargs("request"),
        creates=("records.ReleasedDocument",),
    ),
    Endpoint(
        "records:request_decide",
        lambda w: {"outcome": "helhet", "grounds": [], "reasoning": "Inget är sekretessbelagt."},
        kwargs=_records_kwargs("request"),
        edits=lambda w: _refetch(w.records["request"]),
    ),
    Endpoint(
        "records:request_withdraw",
        lambda w: {"confirm": "on"},
        kwargs=_records_kwargs("request"),
        edits=lambda w: _refetch(w.records["request"]),
    ),
    Endpoint(
        "records:ground_list",
        lambda w: {
            "reference": "18 kap. 8 § OSL",
            "title": "Säkerhets- eller bevakningsåtgärd",
            "explanation": "Uppgift om en säkerhetsåtgärd.",
            "is_active": "on",
        },
        creates=("records.SecrecyGround",),
    ),
    Endpoint(
        "records:ground_update",
        lambda w: {
            "reference": w.records["ground"].reference,
            "title": "Enskilds affärsförhållanden",
            "explanation": "Uppdaterad förklaring.",
            "is_active": "on",
        },
        kwargs=_records_kwargs("ground"),
        edits=lambda w: _refetch(w.records["ground"]),
    ),
]


def _api_token(w: World):
    """A personal API token of the administrator, to revoke."""
    from api.services import token_create

    return token_create(
        user=w.admin,
        name="Power BI",
        role=Role.ADMINISTRATOR,
        expires_at=timezone.now() + datetime.timedelta(days=30),
    ).token


POST_ENDPOINTS += [
    # Personal API tokens, and a measurement reported through the API (a form post works there
    # as well as JSON, so the same hostile values reach it).
    Endpoint(
        "api_tokens:create",
        lambda w: {
            "name": "Power BI, rådets rapport",
            "role": Role.ADMINISTRATOR.value,
            "lifetime": "90",
        },
        creates=("api.ApiToken",),
        valid_statuses=frozenset({200}),
    ),
    Endpoint(
        "api_tokens:revoke",
        _no_fields,
        kwargs=lambda w: {"pk": _api_token(w).pk},
        form_page=False,
    ),
    Endpoint(
        "api:measurement-list",
        lambda w: {
            "indicator": w.indicator.pk,
            "date": "2023-03-31",
            "value": "3.7",
            "comment": "Rapporterat av BI-systemet.",
        },
        creates=("actionplan.Measurement",),
        form_page=False,
        valid_statuses=frozenset({201}),
    ),
]

POST_ENDPOINTS += [
    # Open data: the licence, publisher and contact of the published files (one row, edited).
    Endpoint(
        "opendata:settings",
        lambda w: {
            "licence": "http://creativecommons.org/licenses/by/4.0/",
            "publisher_name": "Eskilstuna kommun",
            "organisation_number": "212000-0340",
            "contact_email": "oppnadata@eskilstuna.invalid",
        },
        edits=lambda w: list(apps.get_model("opendata", "OpenDataSettings").objects.all()),
    ),
]

# Filters and searches: forms submitted with GET.
GET_ENDPOINTS: list[Endpoint] = [
    # The API's filters, as a program sends them.
    Endpoint(
        "api:interview-list",
        lambda w: {
            "q": "bygglov",
            "area": w.area.pk,
            "finding_type": "utmaning",
            "date_from": "2024-01-01",
            "interviewer": w.admin.pk,
            "ordering": "-date",
            "page_size": "10",
        },
        method="get",
        valid_statuses=frozenset({200}),
        form_page=False,
    ),
    Endpoint(
        "api:public_proposals",
        lambda w: {"area": w.area.pk, "status": "ny", "ordering": "-votes", "page": "1"},
        method="get",
        valid_statuses=frozenset({200}),
        form_page=False,
    ),
    Endpoint(
        "api:measurement-list",
        lambda w: {"indicator": w.indicator.pk, "date_from": "2024-01-01", "ordering": "date"},
        method="get",
        valid_statuses=frozenset({200}),
        form_page=False,
        label="api:measurement-list-get",
    ),
    Endpoint(
        "records:request_list",
        lambda w: {"status": "provning", "handler": w.admin.pk, "overdue": "on", "page": "1"},
        method="get",
        valid_statuses=frozenset({200}),
    ),
    Endpoint(
        "interviews:interview_list",
        lambda w: {
            "q": "bygglov",
            "area": w.area.pk,
            "finding_type": "utmaning",
            "industry": "C",
            "size_class": "10-49",
            "district": "centrum",
            "date_from": "2024-01-01",
            "date_to": "2025-12-31",
            "interviewer": w.admin.pk,
            "grade": "4",
            "status": "klar",
            "open_flags": "rod",
            "sort": "-company",
            "page": "1",
        },
        method="get",
        valid_statuses=frozenset({200}),
    ),
    Endpoint(
        "interviews:interview_export",
        lambda w: {"q": "bygglov", "area": w.area.pk, "date_from": "2024-01-01", "sort": "date"},
        method="get",
        valid_statuses=frozenset({200}),
        form_page=False,
    ),
    # The import templates' language (issue 13): a file, or a 400 for an unknown language.
    Endpoint(
        "interviews:interview_import_template",
        lambda w: {"sprak": "en"},
        method="get",
        valid_statuses=frozenset({200}),
        form_page=False,
    ),
    Endpoint(
        "actionplan:measurement_import_template",
        lambda w: {"sprak": "sv"},
        method="get",
        valid_statuses=frozenset({200}),
        form_page=False,
    ),
    Endpoint(
        "interviews:finding_list",
        lambda w: {
            "area": w.area.pk,
            "type": "utmaning",
            "industry": "C",
            "size_class": "10-49",
            "page": "1",
        },
        method="get",
        valid_statuses=frozenset({200}),
    ),
    Endpoint(
        "interviews:company_list",
        lambda w: {"q": "Testbolaget", "page": "1"},
        method="get",
        valid_statuses=frozenset({200}),
        form_page=False,
    ),
    Endpoint(
        "interviews:interview_create",
        lambda w: {"company": w.company.pk},
        method="get",
        valid_statuses=frozenset({200}),
        label="interviews:interview_create-get",
    ),
    Endpoint(
        "workshops:proposal_evidence",
        lambda w: {"q": "handläggningstider", "type": "utmaning", "page": "1"},
        kwargs=lambda w: {"pk": w.proposals[0].pk},
        method="get",
        valid_statuses=frozenset({200}),
        form_page=False,
        label="workshops:proposal_evidence-get",
    ),
    Endpoint(
        "workshops:workshop_list",
        lambda w: {"page": "1"},
        method="get",
        valid_statuses=frozenset({200}),
        form_page=False,
    ),
    Endpoint(
        "actionplan:plan_overview",
        lambda w: {"plan": w.plan.pk, "area": w.area.pk, "status": "pagar", "overdue": "on"},
        method="get",
        valid_statuses=frozenset({200}),
    ),
    Endpoint(
        "actionplan:goal_create",
        lambda w: {"plan": w.plan.pk, "area": w.area.pk},
        method="get",
        valid_statuses=frozenset({200}),
        form_page=False,
        label="actionplan:goal_create-get",
    ),
    Endpoint(
        "actionplan:activity_create",
        lambda w: {"plan": w.plan.pk, "parent": w.activity.pk},
        method="get",
        valid_statuses=frozenset({200}),
        form_page=False,
        label="actionplan:activity_create-get",
    ),
    Endpoint(
        "actionplan:activity_from_proposals",
        lambda w: {"proposal": [w.proposals[0].pk, w.proposals[1].pk]},
        method="get",
        valid_statuses=frozenset({200}),
        form_page=False,
        label="actionplan:activity_from_proposals-get",
    ),
    Endpoint(
        "actionplan:coverage",
        lambda w: {"area": w.area.pk},
        method="get",
        valid_statuses=frozenset({200}),
    ),
    Endpoint(
        "actionplan:celebration_list",
        lambda w: {"visa": "ej-firade", "page": "1"},
        method="get",
        valid_statuses=frozenset({200}),
        form_page=False,
    ),
    Endpoint(
        "reports:dashboard",
        lambda w: {"period": "egen", "start": "2025-01-01", "end": "2025-12-31"},
        method="get",
        valid_statuses=frozenset({200}),
    ),
    Endpoint(
        "audit:audit_list",
        lambda w: {
            "user": w.admin.pk,
            "object_type": "",
            "date_from": "2024-01-01",
            "date_to": _days(0),
            "page": "1",
        },
        method="get",
        valid_statuses=frozenset({200}),
    ),
]

ALL_ENDPOINTS = POST_ENDPOINTS + GET_ENDPOINTS


# --- Finding the URLs that accept POST --------------------------------------------------------


def _accepts_post(callback) -> bool:
    """Whether a view answers POST: a class with post(), a REST framework view set routing POST
    to an action, or a function not limited to GET."""
    actions = getattr(callback, "actions", None)
    if actions is not None:
        return "post" in actions
    view_class = getattr(callback, "view_class", None)
    if view_class is not None:
        return hasattr(view_class, "post") and "post" in view_class.http_method_names
    function = callback
    while function is not None:
        # django.views.decorators.http.require_http_methods keeps the allowed list in a closure.
        methods = inspect.getclosurevars(function).nonlocals.get("request_method_list")
        if methods is not None:
            return "POST" in methods
        function = getattr(function, "__wrapped__", None)
    return True


def test_every_url_that_accepts_post_is_in_the_declared_list():
    posting = {
        name for name, _route, pattern in iter_url_patterns() if _accepts_post(pattern.callback)
    }
    declared = {endpoint.name for endpoint in POST_ENDPOINTS}
    assert posting - declared == set(), "add these forms to POST_ENDPOINTS"
    assert declared - posting == set(), "these no longer accept POST"


# --- Posting ----------------------------------------------------------------------------------


@pytest.fixture
def session(world) -> Client:
    """The administrator's client, logged in once per test (all roles' forms are open to it)."""
    client = Client()
    client.force_login(world.admin)
    return client


def _client(session: Client, w: World, endpoint: Endpoint) -> Client:
    if endpoint.anonymous:
        return Client()
    if endpoint.name == "logout":
        session.force_login(w.admin)  # the previous example logged it out
    return session


def _send(client: Client, w: World, endpoint: Endpoint, data: dict[str, Any]):
    headers = {"HX-Request": "true"} if endpoint.htmx else {}
    send = client.post if endpoint.method == "post" else client.get
    return send(endpoint.url(w), data, headers=headers)


def _max_pks(labels: tuple[str, ...]) -> dict[str, int]:
    return {
        label: apps.get_model(label)._default_manager.aggregate(top=models.Max("pk"))["top"] or 0
        for label in labels
    }


def _saved_objects(w: World, endpoint: Endpoint, before: dict[str, int]) -> list[models.Model]:
    saved = []
    for label, top in before.items():
        saved.extend(apps.get_model(label)._default_manager.filter(pk__gt=top))
    return saved + list(endpoint.edits(w))


def _text_values(obj: models.Model) -> list[str]:
    return [
        value
        for model_field in obj._meta.concrete_fields
        if isinstance(value := getattr(obj, model_field.attname), str)
    ]


def _check_answer(w: World, endpoint: Endpoint, response, before: dict[str, int]) -> None:
    status = response.status_code
    refused = LOGIN_REFUSED if endpoint.name in THROTTLED else REFUSED
    assert status in SAVED | refused, f"{endpoint.id} answered {status}"
    if status in SAVED:
        for obj in _saved_objects(w, endpoint, before):
            obj.full_clean()
            assert not any("\x00" in text for text in _text_values(obj)), obj
    # A refused form (400, or the htmx fragment's 200 with errors) shows the error summary.
    if endpoint.form_page and (status == 400 or (status in SAVED and _form_errors(response))):
        assert SUMMARY in response.content.decode(), f"{endpoint.id}: no error summary"


def _form_errors(response) -> list:
    """The errors of the bound forms on the page."""
    found = []
    for context in response.context or []:
        for value in context.flatten().values():
            if isinstance(value, django_forms.BaseForm) and value.is_bound and value.errors:
                found.append(value.errors)
    return found


def _errors(response) -> list:
    """The form errors on the page, or its start, for a readable failure message."""
    return _form_errors(response) or [response.content.decode(errors="replace")[:500]]


def _post_and_check(session: Client, w: World, endpoint: Endpoint, data: dict[str, Any]):
    client = _client(session, w, endpoint)
    before = _max_pks(endpoint.creates)
    response = _send(client, w, endpoint, data)
    _check_answer(w, endpoint, response, before)
    return response


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", ALL_ENDPOINTS, ids=lambda endpoint: endpoint.id)
def test_the_valid_data_is_accepted(session, world, endpoint):
    """The baseline the hostile values are mixed into really passes, so they reach the save."""
    response = _post_and_check(session, world, endpoint, endpoint.fields(world))
    assert response.status_code in endpoint.valid_statuses, _errors(response)


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", POST_ENDPOINTS, ids=lambda endpoint: endpoint.id)
@_hypothesis(POST_EXAMPLES)
@given(data=st.data())
def test_hostile_posts_never_give_a_server_error(session, world, endpoint, data):
    payload = data.draw(hostile_form_data(endpoint.fields(world)), label="posted")
    _post_and_check(session, world, endpoint, payload)


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", GET_ENDPOINTS, ids=lambda endpoint: endpoint.id)
@_hypothesis(GET_EXAMPLES)
@given(data=st.data())
def test_hostile_filters_never_give_a_server_error(session, world, endpoint, data):
    payload = data.draw(hostile_form_data(endpoint.fields(world)), label="query")
    _post_and_check(session, world, endpoint, payload)


def _text_fields_of_bound_forms(response, posted: dict[str, Any]) -> list[str]:
    """The posted names that are text fields (forms.CharField) of the forms on the page."""
    names = []
    for context in response.context or []:
        for value in context.flatten().values():
            forms_on_page = (
                getattr(value, "forms", None) if hasattr(value, "management_form") else None
            )
            for bound in forms_on_page or (
                [value] if isinstance(value, django_forms.BaseForm) else []
            ):
                if not bound.is_bound:
                    continue
                for name, form_field in bound.fields.items():
                    if isinstance(form_field, django_forms.CharField):
                        names.append(bound.add_prefix(name))
    return sorted({name for name in names if name in posted})


# The same value in every field at once: code that reads the request before (or beside) the
# form meets it too. NUL (which PostgreSQL refuses), a number int() refuses (over 4,300
# digits), an id beyond every integer column, a digit int() refuses ("²"), 100,000 characters,
# and a list where one value is expected.
KNOWN_NASTIES = {
    "nul": "Svets\x00arna",
    "5000-digits": "9" * 5000,
    "beyond-bigint": str(2**63),  # an id no integer column holds (SQLite: OverflowError)
    "superscript-two": "²",
    "100k-characters": "å" * 100_000,
    "a-list": ["1", "Svetsarna", "2025-01-01"],
}


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", ALL_ENDPOINTS, ids=lambda endpoint: endpoint.id)
def test_known_nasty_values_and_nul_in_each_text_field(session, world, endpoint):
    """Each known nasty value in every field at once; then NUL in each text field alone.

    PostgreSQL refuses NUL in text, so every text field must stop it with a form error first;
    posting it alone, with the other fields valid, lets no other error hide a field that does
    not.
    """
    valid = endpoint.fields(world)
    answers = {
        name: _post_and_check(session, world, endpoint, dict.fromkeys(valid, value))
        for name, value in KNOWN_NASTIES.items()
    }
    text_fields = _text_fields_of_bound_forms(answers["nul"], valid)
    if not text_fields and endpoint.method == "post":
        text_fields = list(valid)  # no form on the answer: try every field
    for name in text_fields:
        _post_and_check(session, world, endpoint, {**valid, name: KNOWN_NASTIES["nul"]})


# --- Dates ------------------------------------------------------------------------------------

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# Year 1 and 9999 overflow date arithmetic (the day before, the day after); the others are
# merely implausible for the municipality's records. smeportal.core.dates holds the bounds.
IMPLAUSIBLE_DATES = ("0001-01-01", "1000-06-15", "1989-12-31", "2101-01-01", "9999-12-31")
DATE_MESSAGES = ("Ange ett datum från 1990-01-01 till 2100-12-31.", "Datumet ligger i framtiden.")


def _date_fields_of_bound_forms(response) -> set[str]:
    """The names of the date fields of the submitted forms on the page."""
    names = set()
    for context in response.context or []:
        for value in context.flatten().values():
            forms_on_page = (
                getattr(value, "forms", None) if hasattr(value, "management_form") else None
            )
            for bound in forms_on_page or (
                [value] if isinstance(value, django_forms.BaseForm) else []
            ):
                if not bound.is_bound:
                    continue  # e.g. the empty form a GET with preselected values shows
                names.update(
                    bound.add_prefix(name)
                    for name, form_field in bound.fields.items()
                    if isinstance(form_field, django_forms.DateField)
                )
    return names


def _stored_implausible_dates() -> list[str]:
    """Every stored date outside the bounds, in every model of the portal."""
    found = []
    for model in apps.get_models():
        for model_field in model._meta.concrete_fields:
            if type(model_field) is not models.DateField:
                continue
            outside = model._default_manager.filter(
                models.Q(**{f"{model_field.name}__lt": datetime.date(1990, 1, 1)})
                | models.Q(**{f"{model_field.name}__gt": datetime.date(2100, 12, 31)})
            )
            found.extend(f"{model._meta.label}.{model_field.name}: {obj.pk}" for obj in outside)
    return found


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", ALL_ENDPOINTS, ids=lambda endpoint: endpoint.id)
def test_every_date_field_refuses_implausible_years(session, world, endpoint):
    """Year 1, 9999 and other far dates in each date field: a Swedish form error, nothing saved."""
    names = sorted(
        name
        for name, value in endpoint.fields(world).items()
        if isinstance(value, str) and _ISO_DATE.fullmatch(value)
    )
    if not names:
        response = _post_and_check(session, world, endpoint, endpoint.fields(world))
        assert not _date_fields_of_bound_forms(response), "give the date fields valid data"
    for name in names:
        for far in IMPLAUSIBLE_DATES:
            # Asked again each time: an update form carries the record's current version.
            data = {**endpoint.fields(world), name: far}
            response = _post_and_check(session, world, endpoint, data)
            assert _date_fields_of_bound_forms(response) <= set(names), "a date field untested"
            if endpoint.form_page:
                body = response.content.decode()
                assert response.status_code == 400, (endpoint.id, name, far)
                assert any(message in body for message in DATE_MESSAGES), (endpoint.id, name, far)
            else:
                assert response.status_code not in SAVED - {200}, (endpoint.id, name, far)
    assert _stored_implausible_dates() == []


# --- Lengths ----------------------------------------------------------------------------------

TOO_LONG_MESSAGE = "Säkerställ att detta värde har som mest"


def _text_fields_with_limits(response) -> dict[str, int | None]:
    """Every text input of the submitted forms on the page, with its maximum length.

    Only the forms bound to what was sent: a page may also show, say, a search form bound to
    its (empty) query string.
    """
    request = response.wsgi_request
    sent = request.POST if request.method == "POST" else request.GET
    limits: dict[str, int | None] = {}
    for context in response.context or []:
        for value in context.flatten().values():
            forms_on_page = (
                getattr(value, "forms", None) if hasattr(value, "management_form") else None
            )
            for bound in forms_on_page or (
                [value] if isinstance(value, django_forms.BaseForm) else []
            ):
                if bound.data is not sent:
                    continue
                for name, form_field in bound.fields.items():
                    typed = not isinstance(
                        form_field.widget, django_forms.HiddenInput | django_forms.PasswordInput
                    )
                    if isinstance(form_field, django_forms.CharField) and typed:
                        limits[bound.add_prefix(name)] = form_field.max_length
    return limits


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", ALL_ENDPOINTS, ids=lambda endpoint: endpoint.id)
def test_every_text_field_has_a_limit_and_refuses_a_longer_value(session, world, endpoint):
    """One character over the limit in each text field: a Swedish form error, nothing saved."""
    # Find the text fields: 100,000 characters in one field at a time keeps the form on the
    # page (a 100,000-character company id, say, ends on the company chooser instead).
    limits: dict[str, int | None] = {}
    for key in endpoint.fields(world):
        probe = {**endpoint.fields(world), key: "å" * 100_001}
        limits.update(_text_fields_with_limits(_post_and_check(session, world, endpoint, probe)))
    assert all(limits.values()), f"text fields without a maximum length: {limits}"
    for name, limit in sorted(limits.items()):
        marker = "ö" * (limit + 1)
        before = _max_pks(endpoint.creates)
        response = _send(
            _client(session, world, endpoint),
            world,
            endpoint,
            {**endpoint.fields(world), name: marker},
        )
        _check_answer(world, endpoint, response, before)
        assert response.status_code in {200, 400}, (endpoint.id, name, response.status_code)
        assert TOO_LONG_MESSAGE in response.content.decode(), (endpoint.id, name)
        saved = _saved_objects(world, endpoint, before)
        assert not any(marker in text for obj in saved for text in _text_values(obj)), name
