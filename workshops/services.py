"""Writes of the workshops app: workshops, groups, proposals, votes, merges and evidence."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from interviews.models import Finding
from smeportal.areas.selectors import area_list

from .choices import ProposalStatus
from .models import Proposal, ProposalMerge, Workshop, WorkshopGroup

# Ids per UPDATE: well below SQLite's limit on bound parameters.
_REFRESH_CHUNK = 900

# Statuses a user may set by hand; "merged" only comes from a merge.
SETTABLE_STATUSES = (
    ProposalStatus.NEW,
    ProposalStatus.UNDER_REVIEW,
    ProposalStatus.IN_PLAN,
    ProposalStatus.REJECTED,
)


@transaction.atomic
@transaction.atomic
def workshop_save(
    *, workshop: Workshop, facilitators: Iterable | None = None, group_per_area: bool = False
) -> Workshop:
    """Create or change a workshop (and its facilitators, when given). A new workshop may get
    a group for each active priority area at once, named after the area."""
    is_new = workshop.pk is None
    workshop.full_clean()
    workshop.save()
    if facilitators is not None:
        workshop.facilitators.set(facilitators)
    if is_new and group_per_area:
        name_length = WorkshopGroup._meta.get_field("name").max_length
        for area in area_list():
            group_save(
                group=WorkshopGroup(
                    workshop=workshop, area=area, name=f"{area.order}. {area.name}"[:name_length]
                )
            )
    return workshop


def group_save(*, group: WorkshopGroup) -> WorkshopGroup:
    group.full_clean()
    group.save()
    return group


def _check_editable(proposal: Proposal) -> None:
    if proposal.is_merged:
        raise ValidationError(
            _("This proposal has been merged into “%(survivor)s” and can no longer be changed.")
            % {"survivor": proposal.merged_into.title}
        )


@transaction.atomic
def proposal_create(*, group: WorkshopGroup, proposal: Proposal, user) -> Proposal:
    """Add a proposal to a group; its area is the group's unless one is given."""
    proposal.group = group
    if not proposal.area_id:
        proposal.area_id = group.area_id
    proposal.created_by = user
    if proposal.status == ProposalStatus.MERGED:
        raise ValidationError({"status": _("A proposal can only be marked merged by a merge.")})
    proposal.full_clean()
    proposal.save()
    return proposal


def proposal_undo_refusal(proposal: Proposal, user) -> str | None:
    """Why adding the proposal can no longer be undone by this user, or None: only the
    latest proposal of its group, added by this user, with nothing built on it yet."""
    latest = proposal.group.proposals.order_by("-created_at", "-pk").first()
    if proposal.created_by_id != user.pk or latest is None or latest.pk != proposal.pk:
        return _("Only the proposal you added last in the group can be taken back.")
    if (
        proposal.votes
        or proposal.status != ProposalStatus.NEW
        or proposal.merged_from.exists()
        or proposal.evidence.exists()
        or proposal.activities.exists()
    ):
        return _(
            "The proposal has votes, findings or a place in a merge or the plan already; "
            "change it instead."
        )
    return None


@transaction.atomic
def proposal_undo_add(*, proposal: Proposal, user) -> None:
    """Take back the proposal just added (a slip of the keyboard). Its history keeps it."""
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    refusal = proposal_undo_refusal(proposal, user)
    if refusal:
        raise ValidationError(refusal)
    proposal.delete()


@transaction.atomic
def proposal_update(*, proposal: Proposal) -> Proposal:
    """Save edits to a proposal, including its status (a rejection needs a reason)."""
    _check_editable(proposal)
    if proposal.status not in SETTABLE_STATUSES:
        raise ValidationError({"status": _("A proposal can only be marked merged by a merge.")})
    if proposal.status == ProposalStatus.REJECTED and not proposal.rejection_reason.strip():
        raise ValidationError({"rejection_reason": _("Give the reason for the rejection.")})
    if proposal.status != ProposalStatus.REJECTED:
        proposal.rejection_reason = ""
    proposal.full_clean()
    proposal.save()
    return proposal


@transaction.atomic
def proposal_set_status(*, proposal: Proposal, status: str, reason: str = "") -> Proposal:
    proposal.status = status
    proposal.rejection_reason = reason
    return proposal_update(proposal=proposal)


@transaction.atomic
def workshop_votes_save(*, workshop: Workshop, votes: Mapping[int, int]) -> int:
    """Record dot-vote counts {proposal id: votes} for the workshop's live proposals.

    Returns how many proposals changed. Ids of other workshops' or merged proposals are refused.
    """
    proposals = {
        proposal.pk: proposal
        for proposal in Proposal.objects.select_for_update().filter(
            group__workshop=workshop, merged_into__isnull=True, pk__in=list(votes)
        )
    }
    unknown = set(votes) - set(proposals)
    if unknown:
        raise ValidationError(_("Votes were given for proposals that are not in this workshop."))
    changed = []
    for pk, count in votes.items():
        if count is None or count < 0:
            raise ValidationError(_("Votes cannot be negative."))
        if proposals[pk].votes != count:
            proposals[pk].votes = count
            changed.append(proposals[pk])
    for proposal in changed:
        proposal.full_clean()
        proposal.save(update_fields=["votes"])
    return len(changed)


@transaction.atomic
def proposals_merge(*, survivor: Proposal, duplicates: Iterable[Proposal], user=None) -> Proposal:
    """Merge duplicate proposals into `survivor`. Nothing is deleted, and it can be undone.

    Each duplicate keeps its text, gets status "merged" and points at the survivor; the
    survivor gets their votes added and their evidence linked, so no support is lost.
    Proposals merged into a duplicate earlier now point at the survivor too, so that a lineage
    always ends at the final survivor; a duplicate's place in the action plan (its activities)
    passes to the survivor. What changed is recorded (ProposalMerge) for proposal_merge_undo.
    """
    duplicates = [proposal for proposal in duplicates if proposal.pk != survivor.pk]
    if not duplicates:
        raise ValidationError(_("Choose at least one other proposal to merge."))
    survivor = Proposal.objects.select_for_update().get(pk=survivor.pk)
    locked = list(Proposal.objects.select_for_update().filter(pk__in=[p.pk for p in duplicates]))
    workshop_id = survivor.group.workshop_id
    for proposal in [survivor, *locked]:
        if proposal.is_merged:
            raise ValidationError(_("“%(title)s” is already merged.") % {"title": proposal.title})
    if any(proposal.group.workshop_id != workshop_id for proposal in locked):
        raise ValidationError(_("Only proposals from the same workshop can be merged."))
    votes_before, status_before = survivor.votes, survivor.status
    evidence_before = _evidence_ids(survivor)
    activities_before = set(survivor.activities.values_list("pk", flat=True))
    duplicate_records, moved_links = [], []
    for duplicate in locked:
        survivor.votes += duplicate.votes
        survivor.evidence.add(*duplicate.evidence.all())
        earlier = list(Proposal.objects.select_for_update().filter(merged_into=duplicate))
        for proposal in earlier:
            proposal.merged_into = survivor
            proposal.save(update_fields=["merged_into"])
        for activity in list(duplicate.activities.all()):
            moved_links.append({"activity": activity.pk, "duplicate": duplicate.pk})
            survivor.activities.add(activity)
            duplicate.activities.remove(activity)
        duplicate_records.append(
            {
                "id": duplicate.pk,
                "status_before": duplicate.status,
                "repointed": [proposal.pk for proposal in earlier],
            }
        )
        duplicate.merged_into = survivor
        duplicate.status = ProposalStatus.MERGED
        duplicate.save(update_fields=["merged_into", "status"])
    if moved_links:
        survivor.status = ProposalStatus.IN_PLAN
    survivor.full_clean()
    survivor.save(update_fields=["votes", "status"])
    evidence_after = _evidence_ids(survivor)
    ProposalMerge.objects.create(
        survivor=survivor,
        merged_by=user if getattr(user, "is_authenticated", False) else None,
        details={
            "votes_before": votes_before,
            "votes_after": survivor.votes,
            "status_before": status_before,
            "status_after": survivor.status,
            "evidence_added": sorted(evidence_after - evidence_before),
            "evidence_after": sorted(evidence_after),
            "activities_before": sorted(activities_before),
            "activities_after": sorted(survivor.activities.values_list("pk", flat=True)),
            "duplicates": duplicate_records,
            "moved_links": moved_links,
        },
    )
    return survivor


def _evidence_ids(proposal: Proposal) -> set[int]:
    """Every finding linked to the proposal, archived ones too (the through table)."""
    links = Proposal.evidence.through.objects.filter(proposal=proposal)
    return set(links.values_list("finding_id", flat=True))


def merge_undo_refusal(merge: ProposalMerge) -> str | None:
    """Why the merge can no longer be undone, or None: undoing restores exactly what it was,
    so nothing may have been built on the result since (the survivor's votes, evidence,
    status or activities changed, a later merge, or the survivor merged on)."""
    if merge.undone_at is not None:
        return _("The merge has already been undone.")
    survivor = merge.survivor
    details = merge.details
    later = ProposalMerge.objects.filter(survivor=survivor, undone_at__isnull=True).exclude(
        pk=merge.pk
    )
    if survivor.merged_into_id is not None or later.filter(pk__gt=merge.pk).exists():
        return _("The kept proposal has been merged again since; undo that merge first.")
    if survivor.votes != details["votes_after"]:
        return _("The kept proposal's votes have changed since the merge.")
    if survivor.status != details["status_after"]:
        return _("The kept proposal's status has changed since the merge.")
    if _evidence_ids(survivor) != set(details["evidence_after"]):
        return _("Findings have been linked to or unlinked from the kept proposal since the merge.")
    if set(survivor.activities.values_list("pk", flat=True)) != set(details["activities_after"]):
        return _("The kept proposal's place in the action plan has changed since the merge.")
    intact = Proposal.objects.filter(
        pk__in=merge.duplicate_ids, merged_into=survivor, status=ProposalStatus.MERGED
    ).count()
    if intact != len(merge.duplicate_ids):
        return _("A merged proposal has changed since the merge.")
    return None


@transaction.atomic
def proposal_merge_undo(*, merge: ProposalMerge, user=None) -> Proposal:
    """Undo a merge exactly: the survivor's votes, status and evidence as they were, each
    duplicate back on its own with its status, earlier merges pointing at it again, and the
    activities linked to it again. Refused (ValidationError) once something was built on it."""
    merge = ProposalMerge.objects.select_for_update().select_related("survivor").get(pk=merge.pk)
    survivor = Proposal.objects.select_for_update().get(pk=merge.survivor_id)
    merge.survivor = survivor
    refusal = merge_undo_refusal(merge)
    if refusal:
        raise ValidationError(refusal)
    details = merge.details
    survivor.evidence.remove(*details["evidence_added"])
    for link in details["moved_links"]:
        Proposal.objects.get(pk=link["duplicate"]).activities.add(link["activity"])
    survivor.activities.remove(
        *(set(details["activities_after"]) - set(details["activities_before"]))
    )
    for record in details["duplicates"]:
        duplicate = Proposal.objects.select_for_update().get(pk=record["id"])
        duplicate.merged_into = None
        duplicate.status = record["status_before"]
        duplicate.save(update_fields=["merged_into", "status"])
        for proposal in Proposal.objects.filter(pk__in=record["repointed"]):
            proposal.merged_into = duplicate
            proposal.save(update_fields=["merged_into"])
    survivor.votes = details["votes_before"]
    survivor.status = details["status_before"]
    survivor.full_clean()
    survivor.save(update_fields=["votes", "status"])
    merge.undone_at = timezone.now()
    merge.undone_by = user if getattr(user, "is_authenticated", False) else None
    merge.save(update_fields=["undone_at", "undone_by"])
    return survivor


@transaction.atomic
def evidence_link(*, proposal: Proposal, findings: Iterable[Finding]) -> None:
    """Link interview findings that the proposal answers."""
    _check_editable(proposal)
    proposal.evidence.add(*findings)


@transaction.atomic
def evidence_unlink(*, proposal: Proposal, findings: Iterable[Finding]) -> None:
    _check_editable(proposal)
    proposal.evidence.remove(*findings)


def proposal_company_counts_refresh(proposal_ids: Iterable[int] | None = None) -> None:
    """Recount `Proposal.company_count` of these proposals (every proposal when None).

    One UPDATE from a GROUP BY over their evidence: the number of distinct companies whose
    interviews hold a finding linked to the proposal. Every writer that changes the links or
    removes what they point at calls it with the proposals it touched (linking and unlinking
    through the relation's managers does it through workshops.signals); recounting instead of
    adding and subtracting keeps it exact whatever the writer did, and costs as little.
    """
    if proposal_ids is None:
        _refresh_counts(None)
        return
    ids = sorted({int(pk) for pk in proposal_ids})
    for start in range(0, len(ids), _REFRESH_CHUNK):
        _refresh_counts(ids[start : start + _REFRESH_CHUNK])


def _refresh_counts(ids: list[int] | None) -> None:
    proposal = Proposal._meta.db_table
    evidence = Proposal.evidence.through._meta.db_table
    finding = Finding._meta.db_table
    interview = Finding._meta.get_field("interview").related_model._meta.db_table
    where, params = "", []
    if ids is not None:
        if not ids:
            return
        where = f"WHERE p.id IN ({', '.join(['%s'] * len(ids))})"
        params = ids
    # Proposals without evidence join to NULL, which COUNT(DISTINCT ...) counts as 0. The
    # table names come from the models, never from input. UPDATE ... FROM is Postgres and
    # SQLite >= 3.33 alike.
    sql = (
        f"UPDATE {proposal} SET company_count = counted.total "  # noqa: S608
        "FROM ("
        f"  SELECT p.id AS proposal_id, COUNT(DISTINCT i.company_id) AS total FROM {proposal} p"
        f"  LEFT JOIN {evidence} e ON e.proposal_id = p.id"
        f"  LEFT JOIN {finding} f ON f.id = e.finding_id"
        f"  LEFT JOIN {interview} i ON i.id = f.interview_id"
        f"  {where} GROUP BY p.id"
        ") AS counted "
        f"WHERE {proposal}.id = counted.proposal_id "
        f"AND {proposal}.company_count <> counted.total"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
