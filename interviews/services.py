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
from smeportal.core.bulk_history import bulk_create_with_history_rows, history_copy_changed
from smeportal.core.folding import lenient_key

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
    the interview's fields and the fields of each of its findings.

    `contact` is the person interviewed: a saved contact of the company, or a new one not yet
    saved, which is matched by name against the company's contacts when it is written (see
    interviews_create_many). `results_consent`: the person agreed in this interview to hear
    about the results.
    """

    company: Company
    fields: dict
    findings: list[dict] = field(default_factory=list)
    contact: Contact | None = None
    results_consent: bool = False


@dataclass(frozen=True)
class CreatedInterviews:
    interviews: list[Interview]
    companies_created: int
    contacts_created: int = 0
    # Contacts whose agreement to hear about the results was recorded now (new ones included).
    results_consents_recorded: int = 0


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


def _resolve_companies(new_interviews: list[NewInterview]) -> list[Company]:
    """Give each interview the portal's company for its organisation number where there is
    one (a colleague may have saved it since the caller looked, as company_save's callers do
    with CompanyExistsError), and one unsaved company per new number; return the new ones."""
    pending: dict[str, Company] = {}
    for new in new_interviews:
        if new.company.pk is None:
            parsed = parse_organisation_number(new.company.organisation_number)
            new.company.organisation_number = parsed.formatted
            new.company.is_personal_data = parsed.is_personal_identity_number
            new.company = pending.setdefault(parsed.formatted, new.company)
    saved = Company.objects.in_bulk(list(pending), field_name="organisation_number")
    for new in new_interviews:
        if new.company.pk is None and new.company.organisation_number in saved:
            new.company = saved[new.company.organisation_number]
    return [company for number, company in pending.items() if number not in saved]


def _create_companies(companies: list[Company], *, user, now) -> None:
    try:
        with transaction.atomic():
            bulk_create_with_history_rows(companies, Company, user=user, date=now)
    except IntegrityError:
        raise ValidationError(
            _(
                "A company in the file was added to the portal by someone else meanwhile. "
                "Nothing has been imported; upload the file again."
            )
        ) from None


# The contact's fields an interview in a batch may fill in (only where the portal has none).
_CONTACT_DETAILS = ("role", "email")


def contact_name_key(name: str) -> str:
    """Contacts of one company are one person when their names match ignoring case, accents
    and spacing (the import's rule)."""
    return lenient_key(name)


@dataclass
class _ContactPlan:
    """What interviews_create_many writes for the batch's interviewees: the new contacts, and
    of the portal's, those who agree now and the empty details filled in (field -> contacts)."""

    new: list[Contact] = field(default_factory=list)
    agreeing: dict[int, Contact] = field(default_factory=dict)
    filled: dict[str, dict[int, Contact]] = field(default_factory=dict)
    consents: int = 0
    today: date | None = None

    @property
    def changed(self) -> set[int]:
        return {pk for contacts in (self.agreeing, *self.filled.values()) for pk in contacts}


def _plan_contacts(new_interviews: list[NewInterview], *, user) -> _ContactPlan:
    """Resolve each interview's contact, before anything is written (one query, none without
    contacts).

    A new contact is matched by name against the contacts its company has now, so a person a
    colleague added since the caller looked is used rather than entered twice; the portal's
    details are kept, and only an empty role or e-mail is filled in from the new one. New
    contacts with the same name at the same company are one. An agreement to hear about the
    results is recorded today, by `user`, unless the contact has one already.
    """
    plan = _ContactPlan(today=timezone.localdate())
    wanted = [new for new in new_interviews if new.contact is not None]
    if not wanted:
        return plan
    known: dict[tuple[str, str], Contact] = {}
    for new in wanted:
        contact = new.contact
        if contact.pk is not None:
            if contact.company_id != new.company.pk:
                raise ValidationError(
                    {"interviewees": _("Interviewees must be contact persons of the company.")}
                )
            known.setdefault(
                (new.company.organisation_number, contact_name_key(contact.name)), contact
            )
    saved_companies = {new.company.pk: new.company for new in wanted if new.company.pk is not None}
    if any(new.contact.pk is None and new.company.pk is not None for new in wanted):
        portal = Contact.objects.filter(company_id__in=list(saved_companies)).order_by("pk")
        for contact in portal:
            number = saved_companies[contact.company_id].organisation_number
            known.setdefault((number, contact_name_key(contact.name)), contact)

    pending: dict[tuple[str, str], Contact] = {}
    for new in wanted:
        contact = new.contact
        if contact.pk is None:
            key = (new.company.organisation_number, contact_name_key(contact.name))
            target = known.get(key) or pending.setdefault(key, contact)
            for name in _CONTACT_DETAILS:
                if not getattr(target, name) and getattr(contact, name):
                    setattr(target, name, getattr(contact, name))
                    if target.pk is not None:
                        plan.filled.setdefault(name, {})[target.pk] = target
            new.contact = contact = target
        if new.results_consent and contact.results_consent_on is None:
            contact.results_consent_on = plan.today
            contact.results_consent_by = user
            plan.consents += 1
            if contact.pk is not None:
                plan.agreeing[contact.pk] = contact
    plan.new = list(pending.values())
    return plan


def _check_contacts(new_interviews: list[NewInterview]) -> None:
    """The model's checks, and the contact form's rule: an agreement needs an e-mail address."""
    checked: set[int] = set()
    for new in new_interviews:
        contact = new.contact
        if contact is None or id(contact) in checked:
            continue
        checked.add(id(contact))
        _check_fields(contact, given=("company", "results_consent_by"))
        if contact.results_consent_on is not None and not contact.email:
            raise ValidationError(
                {"email": _("Give the e-mail address the results should be sent to.")}
            )


def _write_contacts(plan: _ContactPlan, new_interviews: list[NewInterview], *, user, now) -> None:
    """Insert the new contacts and update the changed ones, each with its history record."""
    for new in new_interviews:
        if new.contact is not None and new.contact.pk is None:
            new.contact.company = new.company  # saved by now
    if plan.new:
        bulk_create_with_history_rows(plan.new, Contact, user=user, date=now)
    if plan.agreeing:
        # One date and one user for all: a plain UPDATE (bulk_update's CASE per row would grow
        # with the square of the rows on Postgres).
        Contact.objects.filter(pk__in=list(plan.agreeing)).update(
            results_consent_on=plan.today, results_consent_by=user
        )
    for name, contacts in plan.filled.items():
        Contact.objects.bulk_update(list(contacts.values()), [name])
    if changed := plan.changed:
        history_copy_changed(Contact, list(changed), user=user, date=now)


@transaction.atomic
def interviews_create_many(*, user, interviews: list[NewInterview]) -> CreatedInterviews:
    """Create many interviews with their findings (and new companies and contacts), all or
    nothing.

    The bulk counterpart of interview_create for the Excel import, in a number of queries that
    does not grow with the rows (issue 12: a 5,000-row file took about 37,500 queries). Every
    object gets the checks of full_clean() in memory before anything is written, `user`
    becomes creator and interviewer of each interview, and the audit trail gets one "created"
    record per company, contact, interview and finding naming `user`, the interview's record
    with its interviewers and interviewee. A contact given with an interview becomes its
    interviewee (see _plan_contacts); one whose details or agreement change gets a "changed"
    record naming `user`.
    """
    created = [Interview(created_by=user, **new.fields) for new in interviews]
    findings = [
        Finding(interview=interview, **data)
        for interview, new in zip(created, interviews, strict=True)
        for data in new.findings
    ]
    for interview, new in zip(created, interviews, strict=True):
        _check_fields(interview, given=("company", "created_by"))
        validate_findings_for_status(interview.status, len(new.findings))
    for finding in findings:
        _check_fields(finding, given=("interview", "area", "archived_by"))
    _check_areas_exist(findings)
    new_companies = _resolve_companies(interviews)
    for company in new_companies:
        _check_fields(company, given=())
    contacts = _plan_contacts(interviews, user=user)
    _check_contacts(interviews)

    # Everything has been checked: now it is written.
    now = timezone.now()
    _create_companies(new_companies, user=user, now=now)
    _write_contacts(contacts, interviews, user=user, now=now)
    for interview, new in zip(created, interviews, strict=True):
        interview.company = new.company
    Interview.objects.bulk_create(created)
    through = Interview.interviewers.through
    links = through.objects.bulk_create([through(interview=i, user=user) for i in created])
    seen = Interview.interviewees.through
    seen_links = seen.objects.bulk_create(
        [
            seen(interview=interview, contact=new.contact)
            for interview, new in zip(created, interviews, strict=True)
            if new.contact is not None
        ]
    )
    # The history is written after the links, so that each interview's one "created" record
    # holds its interviewers and interviewee (saving one by one recorded them in a second,
    # "changed" record).
    records = Interview.history.bulk_history_create(created, default_user=user, default_date=now)
    if records:
        linked = Interview.history.model.interviewers.model
        linked.objects.bulk_create(
            linked(history=record, id=link.pk, interview_id=link.interview_id, user_id=user.pk)
            for record, link in zip(records, links, strict=True)
        )
        interviewee_of = {link.interview_id: link for link in seen_links}
        linked = Interview.history.model.interviewees.model
        linked.objects.bulk_create(
            linked(
                history=record,
                id=link.pk,
                interview_id=link.interview_id,
                contact_id=link.contact_id,
            )
            for record in records
            if (link := interviewee_of.get(record.id)) is not None
        )
    bulk_create_with_history_rows(findings, Finding, user=user, date=now)
    return CreatedInterviews(
        interviews=created,
        companies_created=len(new_companies),
        contacts_created=len(contacts.new),
        results_consents_recorded=contacts.consents,
    )


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
