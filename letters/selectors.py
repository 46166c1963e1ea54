"""The story a letter tells a company, and the rounds' letters: read in a fixed number of queries.

What the company told us (its findings of the round's interviews, never confidential ones nor
archived ones, in its own words) area by area; the proposals those findings support (a merged
proposal through the one it was merged into) with their status; the activities of the plan
behind them, with each side's owner, progress, the next milestone and celebrations.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q, QuerySet

from actionplan.models import Activity, Celebration, Milestone, celebration_title
from actionplan.selectors import plans_progress
from interviews.models import Company, Finding, postal_address_missing
from workshops.models import Proposal

from .models import LetterRound, ResultsLetter

# At most this many findings of one area in a letter (a company rarely has more).
FINDINGS_PER_AREA = 15


@dataclass
class ActivityStory:
    pk: int
    title: str
    status_label: str
    progress: int
    municipality_owner: str
    business_owner: str
    next_milestone: tuple[str, date] | None = None
    celebrations: list[str] = field(default_factory=list)


@dataclass
class ProposalStory:
    pk: int
    title: str
    status_label: str
    activities: list[ActivityStory] = field(default_factory=list)


@dataclass
class AreaStory:
    name: str
    findings: list[str] = field(default_factory=list)
    proposals: list[ProposalStory] = field(default_factory=list)


@dataclass
class CompanyStory:
    company: Company
    areas: list[AreaStory]

    @property
    def is_empty(self) -> bool:
        return not self.areas


def _activity_stories(proposal_ids: set[int]) -> dict[int, list[ActivityStory]]:
    """Per proposal, the activities that realise it (four queries)."""
    links = Activity.proposals.through.objects.filter(proposal_id__in=proposal_ids).values_list(
        "proposal_id", "activity_id"
    )
    by_proposal = defaultdict(list)
    for proposal_id, activity_id in links:
        by_proposal[proposal_id].append(activity_id)
    activity_ids = {pk for pks in by_proposal.values() for pk in pks}
    activities = {
        activity.pk: activity
        for activity in Activity.objects.filter(pk__in=activity_ids).order_by("title", "pk")
    }
    progress = plans_progress({activity.plan_id for activity in activities.values()}).progress
    next_milestones: dict[int, tuple[str, date]] = {}
    for activity_id, title, on in (
        Milestone.objects.filter(activity_id__in=activities, is_done=False)
        .order_by("activity_id", "date", "pk")
        .values_list("activity_id", "title", "date")
    ):
        next_milestones.setdefault(activity_id, (title, on))
    celebrations = defaultdict(list)
    for celebration in (
        Celebration.objects.filter(activity_id__in=activities)
        .select_related("activity", "milestone", "indicator")
        .order_by("-occurred_on", "-pk")
    ):
        celebrations[celebration.activity_id].append(
            celebration_title(
                celebration.kind,
                activity=celebration.activity.title if celebration.activity else None,
                milestone=celebration.milestone.title if celebration.milestone else None,
                indicator=celebration.indicator.name if celebration.indicator else None,
                value=celebration.value,
                stored=celebration.title,
            )
        )
    stories = {
        pk: ActivityStory(
            pk=pk,
            title=activity.title,
            status_label=activity.get_status_display(),
            progress=progress.get(pk, activity.manual_progress),
            municipality_owner=activity.municipality_owner,
            business_owner=activity.business_owner,
            next_milestone=next_milestones.get(pk),
            celebrations=celebrations.get(pk, [])[:3],
        )
        for pk, activity in activities.items()
    }
    return {
        proposal_id: [stories[pk] for pk in pks if pk in stories]
        for proposal_id, pks in by_proposal.items()
    }


def company_story(
    company: Company, *, date_from: date | None = None, date_to: date | None = None
) -> CompanyStory:
    """What the company said in the period (all its interviews without one) and what came
    of it."""
    findings = Finding.objects.filter(interview__company=company, is_confidential=False)
    if date_from:
        findings = findings.filter(interview__date__gte=date_from)
    if date_to:
        findings = findings.filter(interview__date__lte=date_to)
    findings = list(
        findings.select_related("area").order_by("area__order", "-interview__date", "pk")
    )
    evidence = Proposal.evidence.through.objects.filter(
        finding_id__in=[finding.pk for finding in findings]
    ).values_list("finding_id", "proposal_id")
    proposals_of_finding = defaultdict(set)
    for finding_id, proposal_id in evidence:
        proposals_of_finding[finding_id].add(proposal_id)
    # A merged proposal lives on in the one it was merged into.
    proposals = {
        proposal.pk: proposal
        for proposal in Proposal.objects.filter(
            pk__in={pk for pks in proposals_of_finding.values() for pk in pks}
        ).select_related("merged_into")
    }
    live = {pk: (proposal.merged_into or proposal) for pk, proposal in proposals.items()}
    activities = _activity_stories({proposal.pk for proposal in live.values()})

    areas: dict[int, AreaStory] = {}
    seen_proposals: dict[int, set[int]] = defaultdict(set)
    for finding in findings:
        area = areas.setdefault(finding.area_id, AreaStory(name=finding.area.display_name))
        if len(area.findings) < FINDINGS_PER_AREA:
            area.findings.append(finding.text)
        for proposal_id in sorted(proposals_of_finding.get(finding.pk, ())):
            proposal = live[proposal_id]
            if proposal.pk in seen_proposals[finding.area_id]:
                continue
            seen_proposals[finding.area_id].add(proposal.pk)
            area.proposals.append(
                ProposalStory(
                    pk=proposal.pk,
                    title=proposal.title,
                    status_label=proposal.get_status_display(),
                    activities=activities.get(proposal.pk, []),
                )
            )
    return CompanyStory(company=company, areas=list(areas.values()))


def round_letters(letter_round: LetterRound) -> QuerySet[ResultsLetter]:
    return letter_round.letters.select_related("company", "contact", "message").order_by(
        "company__name", "pk"
    )


def round_counts(letter_round: LetterRound) -> dict[str, int]:
    """How many letters the round has, by delivery; how many are still drafts, ready to post,
    and to go by post without a whole address (one query)."""
    post = Q(delivery=ResultsLetter.Delivery.POST)
    counts = letter_round.letters.aggregate(
        total=Count("pk"),
        email=Count("pk", filter=Q(delivery=ResultsLetter.Delivery.EMAIL)),
        drafts=Count("pk", filter=Q(status=ResultsLetter.Status.DRAFT)),
        for_post=Count("pk", filter=Q(status=ResultsLetter.Status.FOR_POST)),
        without_address=Count("pk", filter=post & postal_address_missing("company__")),
    )
    return {**counts, "post": counts["total"] - counts["email"]}


def round_letters_without_address(letter_round: LetterRound) -> QuerySet[ResultsLetter]:
    """The round's letters for post whose company lacks a whole address, by company name."""
    return (
        letter_round.letters.filter(delivery=ResultsLetter.Delivery.POST)
        .filter(postal_address_missing("company__"))
        .select_related("company")
        .order_by("company__name", "pk")
    )


def round_post_letters(letter_round: LetterRound) -> QuerySet[ResultsLetter]:
    """The round's letters ready to post, by company name (the order they are printed in)."""
    return (
        letter_round.letters.filter(status=ResultsLetter.Status.FOR_POST)
        .select_related("round", "company", "contact")
        .order_by("company__name", "pk")
    )


def company_letters(company: Company) -> QuerySet[ResultsLetter]:
    """What the company was sent, newest first."""
    return (
        company.results_letters.exclude(status=ResultsLetter.Status.DRAFT)
        .select_related("round", "contact")
        .order_by("-sent_at", "-pk")
    )
