"""Keep Proposal.company_count exact when evidence is linked or unlinked through the relation.

The relation's managers fire m2m_changed from either side: a proposal's own services, forms
and the admin (proposal.evidence), and interviews.services.finding_archive, which unlinks an
archived finding. The interviews app stands below this one and cannot call the recount
itself, so the receiver lives here, in the app that owns the count. Writers that bypass the
managers (the retention decision's deletions, bulk inserts of links) call
workshops.services.proposal_company_counts_refresh themselves.
"""

from __future__ import annotations

from django.db.models.signals import m2m_changed
from django.dispatch import receiver

from .models import Proposal

_CHANGED = {"post_add", "post_remove", "post_clear"}


@receiver(m2m_changed, sender=Proposal.evidence.through, dispatch_uid="proposal_company_count")
def _evidence_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    from .services import proposal_company_counts_refresh

    if not reverse:
        if action in _CHANGED:
            proposal_company_counts_refresh([instance.pk])
        return
    # From a finding's side: pk_set holds the proposals, except on clear, whose set is not
    # given, so it is read before the links go.
    if action == "pre_clear":
        instance._proposals_before_clear = list(instance.proposals.values_list("pk", flat=True))
    elif action == "post_clear":
        proposal_company_counts_refresh(getattr(instance, "_proposals_before_clear", []))
    elif action in _CHANGED and pk_set:
        proposal_company_counts_refresh(pk_set)
