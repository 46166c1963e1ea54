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

from django.db.models import Count, F, Q, QuerySet, Window
from django.db.models.functions import RowNumber

from actionplan.models import Activity, Celebration, Milestone, celebration_title
from actionplan.selectors import plans_progress
from interviews.models import Company, Finding, Interview, postal_address_missing
from smeportal.areas.models import PriorityArea
from workshops.models import Proposal

from .models import LetterRound, ResultsLetter

# A letter tells per area at most this many of the newest findings and of the proposals they
# support, and how many more there are (a company interviewed for years has said thousands).
FINDINGS_PER_AREA = 15
PROPOSALS_PER_AREA = 10
# The story of at most this many of the company's newest interviews in the period.
STORY_INTERVIEWS = 50


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
    finding_count: int = 0  # all of the area's, told or not
    proposals: list[ProposalStory] = field(default_factory=list)
    proposal_count: int = 0

    @property
    def findings_left_out(self) -> int:
        return self.finding_count - len(self.findings)

    @property
    def proposals_left_out(self) -> int:
        return self.proposal_count - len(self.proposals)


@dataclass
class CompanyStory:
    company: Company
    areas: list[AreaStory]
    more_interviews: bool = False  # the story covers the newest STORY_INTERVIEWS only
    latest_interviews: int = 0  # STORY_INTERVIEWS when the story was read

    @property
    def is_empty(self) -> bool:
        return not self.areas


def _activities_of(proposal_ids: set[int]) -> dict[int, list[int]]:
    """Per proposal, the activities of the plan that realise it (one query)."""
    links = Activity.proposals.through.objects.filter(proposal_id__in=proposal_ids).values_list(
        "proposal_id", "activity_id"
    )
    by_proposal: dict[int, list[int]] = defaultdict(list)
    for proposal_id, activity_id in links:
        by_proposal[proposal_id].append(activity_id)
    return by_proposal


def _activity_stories(by_proposal: dict[int, list[int]]) -> dict[int, list[ActivityStory]]:
    """Per proposal, the stories of its activities (four queries)."""
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


def _story_interviews(
    company: Company, date_from: date | None, date_to: date | None
) -> tuple[list[int], bool]:
    """The newest STORY_INTERVIEWS interviews of the company in the period, and whether there
    are more (one query)."""
    interviews = Interview.objects.filter(company=company)
    if date_from:
        interviews = interviews.filter(date__gte=date_from)
    if date_to:
        interviews = interviews.filter(date__lte=date_to)
    ids = list(
        interviews.order_by("-date", "-pk").values_list("pk", flat=True)[: STORY_INTERVIEWS + 1]
    )
    return ids[:STORY_INTERVIEWS], len(ids) > STORY_INTERVIEWS


def company_story(
    company: Company, *, date_from: date | None = None, date_to: date | None = None
) -> CompanyStory:
    """What the company said in the period (all its interviews without one) and what came
    of it, area by area, in ten queries however much the company said.

    A company interviewed often for a decade has said thousands of things. The story is that of
    its newest STORY_INTERVIEWS interviews, and says so when there are more; each area tells the
    newest FINDINGS_PER_AREA findings and PROPOSALS_PER_AREA of the proposals they support
    (those the plan took up first), and how many more there are.
    """
    interview_ids, more_interviews = _story_interviews(company, date_from, date_to)
    # Never confidential ones (nor archived ones, which Finding.objects leaves out).
    findings = Finding.objects.filter(interview_id__in=interview_ids, is_confidential=False)
    newest = (
        findings.annotate(
            position=Window(
                RowNumber(),
                partition_by=[F("area_id")],
                order_by=[F("interview__date").desc(), F("pk").asc()],
            ),
            in_area=Window(Count("pk"), partition_by=[F("area_id")]),
        )
        .filter(position__lte=FINDINGS_PER_AREA)
        .order_by("area_id", "position")
        .values_list("area_id", "text", "in_area")
    )
    told: dict[int, list[str]] = defaultdict(list)
    told_count: dict[int, int] = {}
    for area_id, text, in_area in newest:
        told[area_id].append(text)
        told_count[area_id] = in_area
    if not told:
        return CompanyStory(
            company=company,
            areas=[],
            more_interviews=more_interviews,
            latest_interviews=STORY_INTERVIEWS,
        )

    # Per area the proposals the findings support; a merged proposal lives on in the one it
    # was merged into.
    supported: dict[int, set[int]] = defaultdict(set)
    for area_id, proposal_id, merged_into_id in (
        Proposal.evidence.through.objects.filter(finding__in=findings)
        .values_list("finding__area_id", "proposal_id", "proposal__merged_into_id")
        .distinct()
    ):
        supported[area_id].add(merged_into_id or proposal_id)
    activities_of = _activities_of({pk for pks in supported.values() for pk in pks})
    shown: dict[int, list[int]] = {
        area_id: sorted(pks, key=lambda pk: (pk not in activities_of, pk))[:PROPOSALS_PER_AREA]
        for area_id, pks in supported.items()
    }
    proposal_ids = {pk for pks in shown.values() for pk in pks}
    proposals = Proposal.objects.filter(pk__in=proposal_ids).only("pk", "title", "status")
    proposals = {proposal.pk: proposal for proposal in proposals}
    stories = _activity_stories({pk: activities_of.get(pk, []) for pk in proposal_ids})

    areas = PriorityArea.objects.filter(pk__in=told).order_by("order", "pk")
    return CompanyStory(
        company=company,
        areas=[
            AreaStory(
                name=area.display_name,
                findings=told[area.pk],
                finding_count=told_count[area.pk],
                proposals=[
                    ProposalStory(
                        pk=pk,
                        title=proposals[pk].title,
                        status_label=proposals[pk].get_status_display(),
                        activities=stories.get(pk, []),
                    )
                    for pk in shown.get(area.pk, [])
                    if pk in proposals
                ],
                proposal_count=len(supported.get(area.pk, ())),
            )
            for area in areas
        ],
        more_interviews=more_interviews,
        latest_interviews=STORY_INTERVIEWS,
    )


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
