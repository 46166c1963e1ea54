"""Writes of the audit app: recording and carrying out a retention decision (gallringsbeslut).

Nothing else in the portal destroys domain records: a finding removed from an interview is
archived (interviews.services.finding_archive) and the Django admin has no delete for the domain
models. A decision deletes or anonymises exactly the records it covers, together with their
change history (which holds copies of the same content), in one transaction with the decision
itself, so either all of it happens and is recorded, or none of it.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from interviews.models import Contact, Finding, FollowUp, Interview
from smeportal.accounts.roles import has_capability

from .models import RetentionDecision, RetentionDecisionItem
from .selectors import ANONYMISED_NAME, RetentionCriteria, retention_candidates

Scope = RetentionDecision.Scope
Action = RetentionDecisionItem.Action


def scope_description(criteria: RetentionCriteria, count: int) -> str:
    """The decision's scope in words (Swedish, as the records are): kept with the decision."""
    parts = [str(Scope(criteria.scope).label)]
    if criteria.older_than_years:
        cutoff = criteria.cutoff()
        if criteria.scope == Scope.ARCHIVED_FINDINGS:
            parts.append(_("archived before %(date)s") % {"date": f"{cutoff:%Y-%m-%d}"})
        elif criteria.scope == Scope.INTERVIEWS:
            parts.append(_("held before %(date)s") % {"date": f"{cutoff:%Y-%m-%d}"})
        else:
            parts.append(_("not interviewed since %(date)s") % {"date": f"{cutoff:%Y-%m-%d}"})
    if criteria.search.strip():
        parts.append(_("matching “%(search)s”") % {"search": criteria.search.strip()})
    parts.append(ngettext("%(count)s record", "%(count)s records", count) % {"count": count})
    return "; ".join(parts)


def _delete_with_history(model: type[Model], ids: list[int]) -> None:
    """Delete the records and every history record of them (a deletion adds one more)."""
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


def _delete_findings(ids: list[int]) -> None:
    # The links to proposals go with the findings; the proposals themselves stay.
    _delete_with_history(Finding, ids)


def _delete_interviews(ids: list[int]) -> dict[str, list[int]]:
    finding_ids = list(
        Finding.all_objects.filter(interview_id__in=ids).values_list("pk", flat=True)
    )
    follow_up_ids = list(FollowUp.objects.filter(interview_id__in=ids).values_list("pk", flat=True))
    _delete_with_history(FollowUp, follow_up_ids)
    _delete_findings(finding_ids)
    # Interviewers and interviewees are links only; their history rows go with the interview's.
    _delete_with_history(Interview, ids)
    return {
        Interview._meta.label_lower: ids,
        Finding._meta.label_lower: finding_ids,
        FollowUp._meta.label_lower: follow_up_ids,
    }


PERSONAL_FIELDS = {"name": ANONYMISED_NAME, "role": "", "email": "", "phone": ""}


def _anonymise_contacts(ids: list[int]) -> None:
    """Replace the personal data in the contacts and in every earlier version of them.

    The save adds a history record, so the trail shows who anonymised them and when.
    """
    Contact.history.model._default_manager.filter(id__in=ids).update(**PERSONAL_FIELDS)
    for contact in Contact.objects.filter(pk__in=ids):
        for name, value in PERSONAL_FIELDS.items():
            setattr(contact, name, value)
        contact.save()


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

    if criteria.scope == Scope.ARCHIVED_FINDINGS:
        _delete_findings(ids)
        covered = {Finding._meta.label_lower: ids}
        action = Action.DELETED
    elif criteria.scope == Scope.INTERVIEWS:
        covered = _delete_interviews(ids)
        action = Action.DELETED
    else:
        _anonymise_contacts(ids)
        covered = {Contact._meta.label_lower: ids}
        action = Action.ANONYMISED

    decision = RetentionDecision(
        reference=reference,
        reason=reason,
        scope=criteria.scope,
        scope_description=scope_description(criteria, len(ids)),
        decided_by=user,
        decided_at=timezone.now(),
        counts={label: len(pks) for label, pks in covered.items()},
    )
    decision.full_clean()
    decision.save()
    RetentionDecisionItem.objects.bulk_create(
        RetentionDecisionItem(decision=decision, model_label=label, object_id=pk, action=action)
        for label, pks in covered.items()
        for pk in pks
    )
    return decision
