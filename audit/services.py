"""Writes of the audit app: recording and carrying out a retention decision (gallringsbeslut).

Nothing else in the portal destroys domain records: a finding removed from an interview is
archived (interviews.services.finding_archive) and the Django admin has no delete for the domain
models. A decision deletes or anonymises exactly the records it covers, together with their
change history (which holds copies of the same content), in one transaction with the decision
itself, so either all of it happens and is recorded, or none of it.

Carrying it out also removes the covered records from what was derived from them: an anonymised
contact's name is masked in the notes and texts written about the interviews they took part in
(audit.redaction), and the stored summary snapshots and report workbooks forget the
deleted texts (reports.retention.reports_remove_records). The decision lists every
record it changed that way too, by type and id.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Model
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from simple_history.utils import bulk_update_with_history

from api.models import ApiCall
from archive.models import InformationRule
from interviews.export_jobs import interview_exports_discard
from interviews.models import Company, Contact, Finding, FollowUp, Interview, InterviewExport
from reports.retention import RemovedRecords, reports_remove_records
from smeportal.accounts.roles import has_capability
from smeportal.outbox.models import OutgoingMessage
from workshops.models import Proposal
from workshops.services import proposal_company_counts_refresh

from .models import RetentionDecision, RetentionDecisionItem
from .redaction import name_pattern, redact
from .selectors import ANONYMISED_NAME, RetentionCriteria, retention_candidates

Scope = RetentionDecision.Scope
Action = RetentionDecisionItem.Action

# Rows written per UPDATE or INSERT when many records change at once.
BATCH_SIZE = 500


def scope_description(criteria: RetentionCriteria, count: int) -> str:
    """The decision's scope in words (Swedish, as the records are): kept with the decision.

    The search text is not part of it: it is often a person's name, and the decision is kept
    for good and exported. That a search narrowed the choice is said, and the count.
    """
    parts = [str(Scope(criteria.scope).label)]
    if criteria.scope == Scope.COMPANIES and criteria.sole_traders_only:
        parts.append(_("sole traders only"))
    if criteria.months:
        cutoff = criteria.cutoff()
        if criteria.scope == Scope.ARCHIVED_FINDINGS:
            parts.append(_("archived before %(date)s") % {"date": f"{cutoff:%Y-%m-%d}"})
        elif criteria.scope == Scope.INTERVIEWS:
            parts.append(_("held before %(date)s") % {"date": f"{cutoff:%Y-%m-%d}"})
        elif criteria.scope == Scope.MESSAGES:
            parts.append(_("queued before %(date)s") % {"date": f"{cutoff:%Y-%m-%d}"})
        elif criteria.scope == Scope.API_CALLS:
            parts.append(_("made before %(date)s") % {"date": f"{cutoff:%Y-%m-%d}"})
        else:
            parts.append(_("not interviewed since %(date)s") % {"date": f"{cutoff:%Y-%m-%d}"})
    if criteria.search.strip():
        parts.append(_("narrowed by a search"))
    parts.append(ngettext("%(count)s record", "%(count)s records", count) % {"count": count})
    return "; ".join(parts)


def _delete_with_history(model: type[Model], ids: Iterable[int]) -> None:
    """Delete the records and every history record of them (a deletion adds one more)."""
    ids = list(ids)
    model._base_manager.filter(pk__in=ids).delete()
    history_model = model.history.model
    history = history_model._default_manager.filter(**{f"{model._meta.pk.attname}__in": ids})
    # The many-to-many history (an interview's interviewers and interviewees at each version)
    # points at the history rows without a database constraint: remove it first.
    for relation in history_model._meta.related_objects:
        relation.related_model._base_manager.filter(
            **{f"{relation.field.name}__in": history.values("history_id")}
        ).delete()
    history.delete()


def _ids(*querysets) -> list[int]:
    return sorted({pk for queryset in querysets for pk in queryset})


def _delete_findings(ids: list[int]) -> None:
    # The links to proposals go with the findings (a cascade, without the relation's
    # signals); the proposals themselves stay, and are recounted.
    proposal_ids = list(
        Proposal.evidence.through.objects.filter(finding_id__in=ids)
        .values_list("proposal_id", flat=True)
        .distinct()
    )
    _delete_with_history(Finding, ids)
    proposal_company_counts_refresh(proposal_ids)


def _delete_interviews(ids: list[int]) -> dict[str, list[int]]:
    finding_ids = list(
        Finding.all_objects.filter(interview_id__in=ids).values_list("pk", flat=True)
    )
    follow_up_ids = list(FollowUp.objects.filter(interview_id__in=ids).values_list("pk", flat=True))
    # History rows of a finding or follow-up of these interviews go too, even one whose record
    # is no longer there.
    _delete_with_history(
        FollowUp,
        _ids(
            follow_up_ids,
            FollowUp.history.filter(interview_id__in=ids).values_list("id", flat=True),
        ),
    )
    _delete_findings(
        _ids(finding_ids, Finding.history.filter(interview_id__in=ids).values_list("id", flat=True))
    )
    # Interviewers and interviewees are links only; their history rows go with the interview's.
    _delete_with_history(Interview, ids)
    return {
        Interview._meta.label_lower: ids,
        Finding._meta.label_lower: finding_ids,
        FollowUp._meta.label_lower: follow_up_ids,
    }


def _delete_companies(ids: list[int]) -> dict[str, list[int]]:
    """Delete the companies with their contacts, interviews, findings and follow-ups.

    Every history row of them goes too, so a sole trader's name and personal identity number
    are nowhere left; proposals that had the findings as evidence stay, without the link.
    """
    interview_ids = list(Interview.objects.filter(company_id__in=ids).values_list("pk", flat=True))
    covered = _delete_interviews(
        _ids(
            interview_ids, Interview.history.filter(company_id__in=ids).values_list("id", flat=True)
        )
    )
    covered[Interview._meta.label_lower] = interview_ids
    contact_ids = list(Contact.objects.filter(company_id__in=ids).values_list("pk", flat=True))
    _delete_with_history(
        Contact,
        _ids(contact_ids, Contact.history.filter(company_id__in=ids).values_list("id", flat=True)),
    )
    _delete_with_history(Company, ids)
    return {
        Company._meta.label_lower: ids,
        Contact._meta.label_lower: contact_ids,
        **covered,
    }


PERSONAL_FIELDS = {
    "name": ANONYMISED_NAME,
    "role": "",
    "email": "",
    "phone": "",
    "results_consent_on": None,
    "results_consent_by": None,
    "language": "sv",
}


def _anonymise_contacts(ids: list[int], *, user, reason: str) -> None:
    """Replace the personal data in the contacts and in every earlier version of them.

    A new history record says who anonymised them and when; it is written in bulk, so many
    contacts cost no more queries than one.
    """
    Contact.history.model._default_manager.filter(id__in=ids).update(**PERSONAL_FIELDS)
    contacts = list(Contact.objects.filter(pk__in=ids))
    for contact in contacts:
        for name, value in PERSONAL_FIELDS.items():
            setattr(contact, name, value)
    bulk_update_with_history(
        contacts,
        Contact,
        list(PERSONAL_FIELDS),
        batch_size=BATCH_SIZE,
        default_user=user,
        default_change_reason=reason,
    )


# --- Masking an anonymised contact's name in what was written about them ----------------------


@dataclass(frozen=True)
class _MaskedTexts:
    """Free-text fields of one model that may name the contacts of an interview or company."""

    model: type[Model]
    owner: str  # "interview" or "company": whose contacts' names are masked
    owner_field: str  # the field holding that owner's id ("pk" for the owner itself)
    fields: tuple[str, ...]


MASKED_TEXTS = (
    _MaskedTexts(Company, "company", "pk", ("notes",)),
    _MaskedTexts(Interview, "interview", "pk", ("notes",)),
    _MaskedTexts(Finding, "interview", "interview_id", ("text", "quote")),
    _MaskedTexts(FollowUp, "interview", "interview_id", ("title", "notes")),
)


@dataclass
class _Masked:
    """What masking changed: live records and history rows by label, and finding texts."""

    records: dict[str, list[int]] = field(default_factory=dict)
    history: dict[str, list[int]] = field(default_factory=dict)
    # A finding's text or quote (at any version) and what it reads now: reports may hold it.
    replacements: dict[str, str] = field(default_factory=dict)
    interview_ids: set[int] = field(default_factory=set)


def _interviewee_history_model() -> type[Model]:
    """The table of an interview's interviewees at each of its history records."""
    through = Interview.interviewees.through
    return next(
        relation.related_model
        for relation in Interview.history.model._meta.related_objects
        if getattr(relation.related_model, "instance_type", None) is through
    )


def _mask_names(contact_ids: list[int]) -> _Masked:
    """Mask the contacts' names in the texts about the interviews they took part in.

    Those are the interviews' notes, their findings' texts and quotes, their follow-ups' titles
    and notes, and the notes of the contacts' companies, in the records and in every history
    row of them. Every name a contact ever had counts (history), and every interview they
    ever took part in (the interviewees' history). A record is masked for the contacts of
    its own interview or company only.

    Set-based: a fixed number of reads (names, links, then each model and its history once)
    and one UPDATE per model per BATCH_SIZE changed rows, whatever the number of contacts.
    Live records get no new history row (an interview's row would need a copy of its links);
    the decision lists them instead. An interview's version is bumped, so an edit begun on
    the unmasked text is refused rather than saved over the masking.
    """
    masked = _Masked()
    names: dict[int, set[str]] = defaultdict(set)
    owners: dict[str, dict[int, set[int]]] = {
        "company": defaultdict(set),
        "interview": defaultdict(set),
    }
    for rows in (
        Contact.objects.filter(pk__in=contact_ids).values_list("pk", "name", "company_id"),
        Contact.history.filter(id__in=contact_ids).values_list("id", "name", "company_id"),
    ):
        for contact_id, name, company_id in rows:
            if name and name != ANONYMISED_NAME:
                names[contact_id].add(name)
            owners["company"][company_id].add(contact_id)
    for rows in (
        Interview.interviewees.through.objects.filter(contact_id__in=contact_ids).values_list(
            "interview_id", "contact_id"
        ),
        _interviewee_history_model()
        ._default_manager.filter(contact_id__in=contact_ids)
        .values_list("history__id", "contact_id"),
    ):
        for interview_id, contact_id in rows:
            owners["interview"][interview_id].add(contact_id)

    patterns: dict[frozenset[int], re.Pattern[str] | None] = {}

    def pattern_for(contacts: set[int]) -> re.Pattern[str] | None:
        key = frozenset(contacts)
        if key not in patterns:
            patterns[key] = name_pattern(name for pk in key for name in names.get(pk, ()))
        return patterns[key]

    for target in MASKED_TEXTS:
        owner_ids = owners[target.owner]
        if not owner_ids:
            continue
        for model, owner_field in (
            (target.model, target.owner_field),
            (
                target.model.history.model,
                "id" if target.owner_field == "pk" else target.owner_field,
            ),
        ):
            is_history = model is not target.model
            rows = model._base_manager.filter(**{f"{owner_field}__in": list(owner_ids)})
            if not is_history:
                rows = rows.select_for_update()  # nobody saves over the masking meanwhile
            changed = []
            for row in rows.order_by("pk"):
                pattern = pattern_for(owner_ids[getattr(row, owner_field)])
                dirty = False
                for name in target.fields:
                    before = getattr(row, name)
                    after = redact(before, pattern)
                    if after != before:
                        setattr(row, name, after)
                        dirty = True
                        if target.model is Finding:
                            masked.replacements[before] = after
                            masked.interview_ids.add(row.interview_id)
                if dirty:
                    changed.append(row)
            if not changed:
                continue
            fields = list(target.fields)
            if target.model is Interview and not is_history:
                for row in changed:
                    row.version += 1
                fields.append("version")
            model._base_manager.bulk_update(changed, fields, batch_size=BATCH_SIZE)
            into = masked.history if is_history else masked.records
            into[model._meta.label_lower] = [row.pk for row in changed]
    return masked


# --- What the stored reports must forget ----------------------------------------------------


def _interview_dates(interview_ids: Iterable[int]) -> frozenset[date]:
    """Every date these interviews ever had: a report's period may hold any of them."""
    interview_ids = list(interview_ids)
    return frozenset(
        _ids(
            Interview.objects.filter(pk__in=interview_ids).values_list("date", flat=True),
            Interview.history.filter(id__in=interview_ids).values_list("date", flat=True),
        )
    )


def _deleted_for_reports(
    finding_ids: list[int],
    *,
    interview_ids: Iterable[int] = (),
    company_ids: Iterable[int] = (),
    held_until: datetime | None = None,
) -> RemovedRecords:
    """Read, before they are deleted, what reports may hold of these records.

    The findings' texts and quotes as they read at every version, the dates of their
    interviews (and of `interview_ids`) at every version, and for deleted companies every name
    they had, since a named key quote is attributed to it.
    """
    texts: set[str] = set()
    interviews: set[int] = set(interview_ids)
    for rows in (
        Finding.all_objects.filter(pk__in=finding_ids).values_list("text", "quote", "interview_id"),
        Finding.history.filter(id__in=finding_ids).values_list("text", "quote", "interview_id"),
    ):
        for text, quote, interview_id in rows:
            texts.update((text, quote))
            interviews.add(interview_id)
    texts.discard("")
    names: set[str] = set()
    company_ids = list(company_ids)
    if company_ids:
        interviews.update(
            Interview.history.filter(company_id__in=company_ids).values_list("id", flat=True)
        )
        names.update(Company.objects.filter(pk__in=company_ids).values_list("name", flat=True))
        names.update(Company.history.filter(id__in=company_ids).values_list("name", flat=True))
    return RemovedRecords(
        interview_dates=_interview_dates(interviews),
        replacements=dict.fromkeys(texts),
        attributions=frozenset(names),
        held_until=held_until,
        changes_figures=held_until is None,
    )


# --- The decision ----------------------------------------------------------------------------


@transaction.atomic
def retention_decision_execute(
    *,
    user,
    criteria: RetentionCriteria,
    reference: str,
    reason: str,
    record_ids: Iterable[int] | None = None,
) -> RetentionDecision:
    """Record a retention decision and carry it out on the records it covers.

    `record_ids` chooses among the records the criteria allow (all of them when None); an id
    outside them (already handled, or not archived) is refused rather than skipped, so that a
    decision never covers something other than what the administrator saw.

    Besides the covered records, the decision masks an anonymised contact's name where it was
    written (see _mask_names) and has the stored reports forget what it removed (see
    reports.retention.reports_remove_records); everything it changed that way is
    listed with it, by type and id.
    """
    if not has_capability(user, "retention.decide"):
        raise PermissionDenied
    reference, reason = reference.strip(), reason.strip()
    errors = {}
    if not reference:
        errors["reference"] = _("Give the retention decision's number or title.")
    if not reason:
        errors["reason"] = _("Give the reason for the decision.")
    if errors:
        raise ValidationError(errors)

    if criteria.rule_id is not None:
        # The rule of the plan the decision cites: still a disposal rule for this kind.
        rule = InformationRule.objects.filter(pk=criteria.rule_id).first()
        if rule is None or not rule.is_disposal or rule.months != criteria.months:
            raise ValidationError(
                _(
                    "The rule of the information management plan has changed since the list "
                    "was made. Choose the rule again."
                )
            )

    candidates = retention_candidates(criteria)
    allowed = set(candidates.values_list("pk", flat=True))
    chosen = allowed if record_ids is None else {int(pk) for pk in record_ids}
    if not chosen:
        raise ValidationError(_("Choose at least one record for the decision to cover."))
    if not chosen <= allowed:
        raise ValidationError(
            _(
                "%(count)s of the chosen records are not covered by the criteria any more. "
                "Reload the list and choose again."
            )
            % {"count": len(chosen - allowed)}
        )
    ids = sorted(chosen)

    effects: dict[Action, dict[str, list[int]]] = {}
    if criteria.scope == Scope.ARCHIVED_FINDINGS:
        # Reports started after the last of them was archived never held them.
        archived_until = Finding.all_objects.filter(pk__in=ids).aggregate(last=Max("archived_at"))[
            "last"
        ]
        removed = _deleted_for_reports(ids, held_until=archived_until)
        _delete_findings(ids)
        covered = {Finding._meta.label_lower: ids}
        action = Action.DELETED
    elif criteria.scope == Scope.INTERVIEWS:
        finding_ids = list(
            Finding.all_objects.filter(interview_id__in=ids).values_list("pk", flat=True)
        )
        removed = _deleted_for_reports(finding_ids, interview_ids=ids)
        covered = _delete_interviews(ids)
        action = Action.DELETED
    elif criteria.scope == Scope.COMPANIES:
        finding_ids = list(
            Finding.all_objects.filter(interview__company_id__in=ids).values_list("pk", flat=True)
        )
        interview_ids = Interview.objects.filter(company_id__in=ids).values_list("pk", flat=True)
        removed = _deleted_for_reports(finding_ids, interview_ids=interview_ids, company_ids=ids)
        covered = _delete_companies(ids)
        action = Action.DELETED
    elif criteria.scope == Scope.MESSAGES:
        # Copies of what was sent: nothing refers to them, no report or export holds them.
        OutgoingMessage.objects.filter(pk__in=ids).delete()
        removed = None
        covered = {OutgoingMessage._meta.label_lower: ids}
        action = Action.DELETED
    elif criteria.scope == Scope.API_CALLS:
        # Who called what and when: nothing refers to a call, no report or export holds it.
        ApiCall.objects.filter(pk__in=ids).delete()
        removed = None
        covered = {ApiCall._meta.label_lower: ids}
        action = Action.DELETED
    else:
        masked = _mask_names(ids)
        _anonymise_contacts(ids, user=user, reason=_change_reason(reference))
        removed = RemovedRecords(
            interview_dates=_interview_dates(masked.interview_ids),
            replacements=masked.replacements,
            changes_figures=False,
        )
        covered = {Contact._meta.label_lower: ids}
        action = Action.ANONYMISED
        effects[Action.NAME_REDACTED] = {**masked.records, **masked.history}

    decision = RetentionDecision(
        reference=reference,
        reason=reason,
        scope=criteria.scope,
        scope_description=scope_description(criteria, len(ids)),
        rule_id=criteria.rule_id,
        decided_by=user,
        decided_at=timezone.now(),
        counts={label: len(pks) for label, pks in covered.items()},
    )
    decision.full_clean()
    decision.save()

    if removed is not None:
        cleaned = reports_remove_records(removed=removed, decision=decision, user=user)
        effects[Action.SNAPSHOT_CLEANED] = {"reports.summarysnapshot": cleaned.snapshot_ids}
        effects[Action.FILE_REMOVED] = {
            "reports.reportrun": cleaned.removed_run_ids,
            # Interview exports are short-lived copies: every stored one goes.
            InterviewExport._meta.label_lower: interview_exports_discard(),
        }
        effects[Action.REPORT_REQUESTED] = {"reports.reportrun": cleaned.requested_run_ids}

    RetentionDecisionItem.objects.bulk_create(
        (
            RetentionDecisionItem(decision=decision, model_label=label, object_id=pk, action=done)
            for done, labelled in [(action, covered), *effects.items()]
            for label, pks in labelled.items()
            for pk in pks
        ),
        batch_size=BATCH_SIZE,
    )
    return decision


def _change_reason(reference: str) -> str:
    # history_change_reason holds 100 characters.
    return (_("Retention decision %(reference)s") % {"reference": reference})[:100]
