"""Writes of the interviews app. Each service validates (full_clean) and saves atomically."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from smeportal.areas.models import PriorityArea
from smeportal.core.bulk_history import bulk_create_with_history_rows

from .choices import Flag, FollowUpStatus
from .models import (
    Company,
    Contact,
    Finding,
    FollowUp,
    Interview,
    validate_findings_for_status,
)
from .orgnumbers import parse_organisation_number

# A red flag means "act now": its due date may be at most this far ahead.
RED_FLAG_MAX_DAYS = 14
DEFAULT_DUE_DAYS = {Flag.RED: 7, Flag.YELLOW: 30}


class InterviewConflictError(Exception):
    """Someone saved the interview after the editor opened it; the edit was not saved."""

    def __init__(self, current: Interview):
        super().__init__("interview changed since it was opened")
        self.current = current


@dataclass
class FindingChange:
    """One row of the findings part of the interview form."""

    data: dict
    finding: Finding | None = None  # None: a new finding
    delete: bool = False


@dataclass
class InterviewInput:
    fields: dict
    interviewers: Iterable
    interviewees: Iterable[Contact] = ()
    findings: list[FindingChange] = field(default_factory=list)
    # Interviewees who agreed in the interview to hear about the results ("Ni sa – vi gjorde").
    results_consents: Iterable[Contact] = ()


class CompanyExistsError(Exception):
    """Another company has the organisation number: a colleague saved it first."""

    def __init__(self, company: Company):
        super().__init__(company.organisation_number)
        self.company = company


def company_save(*, company: Company) -> Company:
    """Normalise the organisation number, mark sole traders as personal data, save.

    Two people saving the same new company at once may both pass the form's uniqueness
    check, and even full_clean()'s; the database's unique constraint then refuses the second.
    Either way the caller is told which company is already there (CompanyExistsError).
    """
    parsed = parse_organisation_number(company.organisation_number)
    company.organisation_number = parsed.formatted
    company.is_personal_data = parsed.is_personal_identity_number
    try:
        company.full_clean()
    except ValidationError as error:
        codes = (
            error.error_dict.get("organisation_number", []) if hasattr(error, "error_dict") else []
        )
        existing = _other_company_with_number(company)
        if existing is not None and any(item.code == "unique" for item in codes):
            raise CompanyExistsError(existing) from None
        raise
    try:
        with transaction.atomic():
            company.save()
    except IntegrityError:
        existing = _other_company_with_number(company)
        if existing is None:
            raise
        raise CompanyExistsError(existing) from None
    return company


def _other_company_with_number(company: Company) -> Company | None:
    others = Company.objects.filter(organisation_number=company.organisation_number)
    if company.pk:
        others = others.exclude(pk=company.pk)
    return others.first()


def contact_save(*, contact: Contact, results_consent: bool | None = None, user=None) -> Contact:
    """Save a contact; `results_consent` records (with today's date and `user`) or withdraws
    the agreement to hear about the results, and None leaves it as it is."""
    if results_consent and contact.results_consent_on is None:
        contact.results_consent_on = timezone.localdate()
        contact.results_consent_by = user
    elif results_consent is False:
        contact.results_consent_on = None
        contact.results_consent_by = None
    contact.full_clean()
    contact.save()
    return contact


def _record_results_consents(contacts: Iterable[Contact], user) -> None:
    """Record today, by `user`, the agreement of those who had not agreed before; an agreement
    is withdrawn on the contact's own form."""
    for contact in contacts:
        if contact.results_consent_on is None:
            contact_save(contact=contact, results_consent=True, user=user)


def _check_interviewees(company: Company, interviewees: Iterable[Contact]) -> None:
    if any(contact.company_id != company.pk for contact in interviewees):
        raise ValidationError(
            {"interviewees": _("Interviewees must be contact persons of the company.")}
        )


def finding_archive(*, finding: Finding, user=None) -> Finding:
    """Archive a finding removed from its interview instead of deleting it (arkivlagen).

    The finding stays in the database, hidden from every page, list, export and count, until
    an administrator's retention decision (audit) destroys it. Its links to workshop
    proposals are removed, as a deletion did before, so that no proposal counts it as
    evidence; the proposal's history keeps the link.
    """
    if finding.is_archived:
        return finding
    # Unlink first, from the proposal's side: its history then records the change, and the
    # evidence manager (which hides archived findings) still sees the finding.
    for proposal in finding.proposals.all():
        proposal.evidence.remove(finding)
    finding.is_archived = True
    finding.archived_at = timezone.now()
    finding.archived_by = user if getattr(user, "is_authenticated", False) else None
    finding.save(update_fields=["is_archived", "archived_at", "archived_by"])
    return finding


def _apply_findings(interview: Interview, changes: list[FindingChange], user=None) -> None:
    for change in changes:
        if change.finding is not None and change.finding.interview_id != interview.pk:
            raise ValidationError(_("A finding belongs to another interview."))
        if change.delete:
            if change.finding is not None:
                finding_archive(finding=change.finding, user=user)
            continue
        finding = change.finding or Finding(interview=interview)
        for name, value in change.data.items():
            setattr(finding, name, value)
        finding.full_clean()
        finding.save()


@transaction.atomic
def interview_create(*, user, company: Company, data: InterviewInput) -> Interview:
    """Create an interview with its findings; the creator is recorded."""
    interview = Interview(company=company, created_by=user, **data.fields)
    _check_interviewees(company, data.interviewees)
    interview.full_clean()
    interview.save()
    interview.interviewers.set(data.interviewers)
    interview.interviewees.set(data.interviewees)
    _record_results_consents(data.results_consents, user)
    _apply_findings(interview, data.findings, user)
    _check_findings_for_status(interview)
    return interview


def _check_findings_for_status(interview: Interview) -> None:
    """After the findings' changes, inside the transaction: a refusal undoes them all."""
    validate_findings_for_status(interview.status, interview.findings.count())


@transaction.atomic
def interview_update(
    *, interview: Interview, expected_version: int, data: InterviewInput, user=None
) -> Interview:
    """Save an edit made on version `expected_version`, or raise InterviewConflictError.

    The version check and bump is one UPDATE, so of two editors of the same version exactly
    one succeeds; the other's work is refused, not silently merged over the first.
    """
    claimed = Interview.objects.filter(pk=interview.pk, version=expected_version).update(
        version=F("version") + 1
    )
    if not claimed:
        raise InterviewConflictError(
            Interview.objects.select_related("company").get(pk=interview.pk)
        )
    interview.version = expected_version + 1
    for name, value in data.fields.items():
        setattr(interview, name, value)
    _check_interviewees(interview.company, data.interviewees)
    interview.full_clean()
    interview.save()
    interview.interviewers.set(data.interviewers)
    interview.interviewees.set(data.interviewees)
    _record_results_consents(data.results_consents, user)
    _apply_findings(interview, data.findings, user)
    _check_findings_for_status(interview)
    return interview


# --- Many interviews at once (the Excel import) -------------------------------------------------


@dataclass
class NewInterview:
    """An interview for interviews_create_many: its company (saved, or new and not yet saved),
    the interview's fields and the fields of each of its findings."""

    company: Company
    fields: dict
    findings: list[dict] = field(default_factory=list)


@dataclass(frozen=True)
class CreatedInterviews:
    interviews: list[Interview]
    companies_created: int


def _check_fields(instance, *, given: tuple[str, ...]) -> None:
    """full_clean() without its queries: the foreign keys in `given` are objects the caller
    resolved, and uniqueness is checked once for the whole batch."""
    instance.clean_fields(exclude=list(given))
    instance.clean()


def _check_areas_exist(findings: list[Finding]) -> None:
    """The findings' areas still exist (one query), as full_clean() checks each one's."""
    wanted = {finding.area_id for finding in findings}
    found = set(PriorityArea.objects.filter(pk__in=wanted).values_list("pk", flat=True))
    if missing := sorted(wanted - found):
        area = Finding._meta.get_field("area")
        raise ValidationError(
            {
                "area": ValidationError(
                    area.error_messages["invalid"],
                    code="invalid",
                    params={
                        "model": PriorityArea._meta.verbose_name,
                        "pk": missing[0],
                        "field": "id",
                        "value": missing[0],
                    },
                )
            }
        )


def _create_companies(new_interviews: list[NewInterview], *, user, now) -> int:
    """Save the new companies of the batch (each organisation number once); return how many.

    A company a colleague saved since the caller looked is used instead, as company_save's
    callers do with CompanyExistsError.
    """
    pending: dict[str, Company] = {}
    for new in new_interviews:
        if new.company.pk is None:
            parsed = parse_organisation_number(new.company.organisation_number)
            new.company.organisation_number = parsed.formatted
            new.company.is_personal_data = parsed.is_personal_identity_number
            new.company = pending.setdefault(parsed.formatted, new.company)
    saved = Company.objects.in_bulk(list(pending), field_name="organisation_number")
    for number in saved:
        del pending[number]
    for company in pending.values():
        _check_fields(company, given=())
    try:
        with transaction.atomic():
            bulk_create_with_history_rows(list(pending.values()), Company, user=user, date=now)
    except IntegrityError:
        raise ValidationError(
            _(
                "A company in the file was added to the portal by someone else meanwhile. "
                "Nothing has been imported; upload the file again."
            )
        ) from None
    for new in new_interviews:
        number = new.company.organisation_number
        if new.company.pk is None and number in saved:
            new.company = saved[number]
    return len(pending)


@transaction.atomic
def interviews_create_many(*, user, interviews: list[NewInterview]) -> CreatedInterviews:
    """Create many interviews with their findings (and new companies), all or nothing.

    The bulk counterpart of interview_create for the Excel import, in a number of queries that
    does not grow with the rows (issue 12: a 5,000-row file took about 37,500 queries). Every
    object gets the checks of full_clean() in memory, `user` becomes creator and interviewer
    of each interview, and the audit trail gets one "created" record per company, interview
    and finding naming `user`, the interview's record with its interviewers.
    """
    created = [Interview(created_by=user, **new.fields) for new in interviews]
    findings = [
        Finding(interview=interview, **data)
        for interview, new in zip(created, interviews, strict=True)
        for data in new.findings
    ]
    # Everything is checked before anything is written.
    for interview, new in zip(created, interviews, strict=True):
        _check_fields(interview, given=("company", "created_by"))
        validate_findings_for_status(interview.status, len(new.findings))
    for finding in findings:
        _check_fields(finding, given=("interview", "area", "archived_by"))
    _check_areas_exist(findings)

    now = timezone.now()
    companies_created = _create_companies(interviews, user=user, now=now)
    for interview, new in zip(created, interviews, strict=True):
        interview.company = new.company
    Interview.objects.bulk_create(created)
    through = Interview.interviewers.through
    links = through.objects.bulk_create([through(interview=i, user=user) for i in created])
    # The history is written after the links, so that each interview's one "created" record
    # holds its interviewers (saving one by one recorded them in a second, "changed" record).
    records = Interview.history.bulk_history_create(created, default_user=user, default_date=now)
    if records:
        linked = Interview.history.model.interviewers.model
        linked.objects.bulk_create(
            linked(history=record, id=link.pk, interview_id=link.interview_id, user_id=user.pk)
            for record, link in zip(records, links, strict=True)
        )
    bulk_create_with_history_rows(findings, Finding, user=user, date=now)
    return CreatedInterviews(interviews=created, companies_created=companies_created)


def follow_up_default_due_date(flag: str, today: date | None = None) -> date:
    return (today or timezone.localdate()) + timedelta(days=DEFAULT_DUE_DAYS[Flag(flag)])


def _check_follow_up_rules(follow_up: FollowUp, *, is_new: bool) -> None:
    today = timezone.localdate()
    errors = {}
    if is_new and follow_up.due_date and follow_up.due_date < today:
        errors["due_date"] = _("A new follow-up cannot be due in the past.")
    if (
        follow_up.flag == Flag.RED
        and follow_up.due_date
        and follow_up.due_date > today + timedelta(days=RED_FLAG_MAX_DAYS)
        and follow_up.status != FollowUpStatus.DONE
    ):
        errors["due_date"] = _(
            "A red flag means act now: set a due date within %(days)s days, or use a yellow flag."
        ) % {"days": RED_FLAG_MAX_DAYS}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def follow_up_create(*, interview: Interview, follow_up: FollowUp) -> FollowUp:
    """Raise a red or yellow flag from an interview."""
    follow_up.interview = interview
    _check_follow_up_rules(follow_up, is_new=True)
    follow_up.closed_at = timezone.now() if follow_up.status == FollowUpStatus.DONE else None
    follow_up.full_clean()
    follow_up.save()
    return follow_up


@transaction.atomic
@transaction.atomic
def follow_ups_bulk_update(*, follow_ups: list[FollowUp], close: bool = False, owner=None) -> int:
    """Close several follow-ups, or give them to another owner, all or none: each is saved as
    follow_up_update saves one (its rules, its history); the first refusal undoes them all."""
    for follow_up in follow_ups:
        if close:
            follow_up.status = FollowUpStatus.DONE
        if owner is not None:
            follow_up.owner = owner
        follow_up_update(follow_up=follow_up)
    return len(follow_ups)


def follow_up_update(*, follow_up: FollowUp) -> FollowUp:
    """Save a change; closing records when, reopening clears it."""
    _check_follow_up_rules(follow_up, is_new=False)
    if follow_up.status == FollowUpStatus.DONE and follow_up.closed_at is None:
        follow_up.closed_at = timezone.now()
    elif follow_up.status != FollowUpStatus.DONE:
        follow_up.closed_at = None
    follow_up.full_clean()
    follow_up.save()
    return follow_up
