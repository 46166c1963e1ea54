"""The story a letter tells a company, and the rounds' letters: read in a fixed number of queries.

What the company told us (its findings of the round's interviews, never confidential ones nor
archived ones, in its own words) area by area; the proposals those findings support (a merged
proposal through the one it was merged into) with their status; the activities of the plan
behind them, with each side's owner, progress, the next milestone and celebrations.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery, Window
from django.db.models.functions import Coalesce, RowNumber

from actionplan.choices import ActivityStatus
from actionplan.models import Activity, Milestone, celebration_title
from actionplan.progress import ActivityFacts, rolled_up_progress
from interviews.models import Company, Finding, Interview, postal_address_missing
from smeportal.areas.models import PriorityArea
from smeportal.core.compiled import CompiledRead
from workshops.choices import ProposalStatus
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


# --- The reads of a story -------------------------------------------------------------------------
#
# Five reads, each a query that runs whenever the company has said something, whether or not
# it has come to proposals and activities: a story costs as many queries at any size. Each
# is built from the company's id alone (its newest interviews are a subquery), so that the
# page's story, over all the company's interviews, runs SQL compiled once per process
# (smeportal.core.compiled): compiling these joins cost ten times running them. A letter's story
# covers a period, whose dates are no ids: it is built anew each time.


def _interviews(company_id: int, date_from: date | None, date_to: date | None) -> QuerySet:
    """The company's interviews in the period, newest first."""
    interviews = Interview.objects.filter(company_id=company_id)
    if date_from:
        interviews = interviews.filter(date__gte=date_from)
    if date_to:
        interviews = interviews.filter(date__lte=date_to)
    return interviews.order_by("-date", "-pk")


def _findings(company_id: int, date_from: date | None, date_to: date | None) -> QuerySet:
    """What the company said in its newest STORY_INTERVIEWS interviews of the period: never
    confidential findings (nor archived ones, which Finding.objects leaves out)."""
    newest = _interviews(company_id, date_from, date_to).values("pk")[:STORY_INTERVIEWS]
    return Finding.objects.filter(interview_id__in=newest, is_confidential=False)


def _interview_ids_read(company_id: int, date_from=None, date_to=None) -> QuerySet:
    """One more than STORY_INTERVIEWS of the newest interviews: whether there are more."""
    return _interviews(company_id, date_from, date_to).values_list("pk")[: STORY_INTERVIEWS + 1]


def _told_read(company_id: int, date_from=None, date_to=None) -> QuerySet:
    """Per area its newest FINDINGS_PER_AREA findings, with the area's number of them and
    the area itself."""
    return (
        _findings(company_id, date_from, date_to)
        .annotate(
            position=Window(
                RowNumber(),
                partition_by=[F("area_id")],
                order_by=[F("interview__date").desc(), F("pk").asc()],
            ),
            in_area=Window(Count("pk"), partition_by=[F("area_id")]),
        )
        .filter(position__lte=FINDINGS_PER_AREA)
        .order_by("area_id", "position")
        # The annotation last, where the SQL has it (smeportal.core.compiled reorders otherwise, which
        # a filtered window's outer query does not need).
        .values_list("area_id", "text", "area__order", "area__name", "area__name_en", "in_area")
    )


def _evidence(company_id: int, date_from: date | None, date_to: date | None) -> QuerySet:
    """The links of the company's findings to proposals."""
    return Proposal.evidence.through.objects.filter(
        finding__in=_findings(company_id, date_from, date_to)
    )


def _supported_read(company_id: int, date_from=None, date_to=None) -> QuerySet:
    """Per area the proposals the findings support, with their titles and statuses, and those
    of the proposals they were merged into."""
    return (
        _evidence(company_id, date_from, date_to)
        .values_list(
            "finding__area_id",
            "proposal_id",
            "proposal__title",
            "proposal__status",
            "proposal__merged_into_id",
            "proposal__merged_into__title",
            "proposal__merged_into__status",
        )
        .distinct()
    )


def _live_proposals(company_id: int, date_from: date | None, date_to: date | None) -> QuerySet:
    """The supported proposals as a subquery; a merged one as the one it was merged into."""
    return _evidence(company_id, date_from, date_to).values(
        live=Coalesce("proposal__merged_into_id", "proposal_id")
    )


def _activities_read(company_id: int, date_from=None, date_to=None) -> QuerySet:
    """Per link of an activity to a supported proposal, in the order the links were made:
    the link, the proposal, the activity and what the story tells of it, its next milestone,
    and one of its celebrations (None when it has none), newest first. One query, the
    celebrations joined, rather than one each for the links, the activities, their
    milestones and their celebrations."""
    next_milestone = Milestone.objects.filter(
        activity_id=OuterRef("activity_id"), is_done=False
    ).order_by("date", "pk")
    return (
        Activity.proposals.through.objects.filter(
            proposal_id__in=_live_proposals(company_id, date_from, date_to)
        )
        .annotate(
            next_title=Subquery(next_milestone.values("title")[:1]),
            next_date=Subquery(next_milestone.values("date")[:1]),
        )
        .order_by(
            "pk",
            F("activity__celebrations__occurred_on").desc(),
            F("activity__celebrations__pk").desc(),
        )
        .values_list(
            "pk",
            "proposal_id",
            "activity_id",
            "activity__title",
            "activity__status",
            "activity__manual_progress",
            "activity__municipality_owner",
            "activity__business_owner",
            "activity__celebrations__pk",
            "activity__celebrations__kind",
            "activity__celebrations__milestone__title",
            "activity__celebrations__indicator__name",
            "activity__celebrations__value",
            "activity__celebrations__title",
            "next_title",  # the annotations last, where the SQL has them
            "next_date",
        )
    )


def _facts_read(company_id: int, date_from=None, date_to=None) -> QuerySet:
    """What the roll-up of progress needs (actionplan.progress) of every activity of the
    plans that realise a supported proposal: the roll-up reads a plan's every activity and its
    milestones, as actionplan.selectors.plans_progress does. Read here, from the proposals
    rather than from a list of plans: plans_progress asks nothing when there is no plan, and
    the story would cost a query less when nothing it tells is in the plan."""
    plans = Activity.objects.filter(
        proposals__in=_live_proposals(company_id, date_from, date_to)
    ).values("plan_id")
    return (
        Activity.objects.filter(plan_id__in=plans)
        .annotate(
            milestones_total=Count("milestones"),
            milestones_done=Count("milestones", filter=Q(milestones__is_done=True)),
        )
        .order_by()
        .values_list(
            "pk", "parent_id", "status", "manual_progress", "milestones_total", "milestones_done"
        )
    )


@functools.cache
def _compiled(build: Callable[..., QuerySet], *bounds: int) -> CompiledRead:
    """The compiled read of `build`, one per value of the bounds its SQL holds (the number of
    interviews and of findings an area tells, which the tests lower)."""
    return CompiledRead(build)


def _activity_stories(
    rows: list[tuple], progress: dict[int, int]
) -> dict[int, list[ActivityStory]]:
    """Per proposal, the stories of its activities (from _activities_read), in the order of
    the links; each with at most three celebrations, the newest."""
    statuses = {value: str(label) for value, label in ActivityStatus.choices}
    stories: dict[int, ActivityStory] = {}
    told_by: dict[int, int] = {}  # activity: the link whose rows tell its celebrations
    by_proposal: dict[int, list[ActivityStory]] = defaultdict(list)
    previous_link = None
    for (
        link_id,
        proposal_id,
        activity_id,
        title,
        status,
        manual_progress,
        municipality_owner,
        business_owner,
        celebration_id,
        kind,
        milestone,
        indicator,
        value,
        stored,
        next_title,
        next_date,
    ) in rows:
        story = stories.get(activity_id)
        if story is None:
            story = stories[activity_id] = ActivityStory(
                pk=activity_id,
                title=title,
                status_label=statuses.get(status, status),
                progress=progress.get(activity_id, manual_progress),
                municipality_owner=municipality_owner,
                business_owner=business_owner,
                next_milestone=(next_title, next_date) if next_title is not None else None,
            )
            told_by[activity_id] = link_id
        if link_id != previous_link:  # a link's rows come together, one per celebration
            by_proposal[proposal_id].append(story)
            previous_link = link_id
        if (
            celebration_id is not None
            and told_by[activity_id] == link_id
            and len(story.celebrations) < 3
        ):
            story.celebrations.append(
                celebration_title(
                    kind,
                    activity=title,
                    milestone=milestone,
                    indicator=indicator,
                    value=value,
                    stored=stored,
                )
            )
    return by_proposal


def company_story(
    company: Company, *, date_from: date | None = None, date_to: date | None = None
) -> CompanyStory:
    """What the company said in the period (all its interviews without one) and what came
    of it, area by area, in five queries however much the company said and whether or not
    it came to proposals and activities (two when it said nothing).

    A company interviewed often for a decade has said thousands of things. The story is that of
    its newest STORY_INTERVIEWS interviews, and says so when there are more; each area tells the
    newest FINDINGS_PER_AREA findings and PROPOSALS_PER_AREA of the proposals they support
    (those the plan took up first), and how many more there are.
    """

    def rows(build: Callable[..., QuerySet]) -> list[tuple]:
        if date_from is None and date_to is None:
            read = _compiled(build, STORY_INTERVIEWS, FINDINGS_PER_AREA)
            return read.rows(company.pk)
        return list(build(company.pk, date_from, date_to))

    more_interviews = len(rows(_interview_ids_read)) > STORY_INTERVIEWS
    told: dict[int, list[str]] = defaultdict(list)
    told_count: dict[int, int] = {}
    areas: dict[int, PriorityArea] = {}
    for area_id, text, order, name, name_en, in_area in rows(_told_read):
        told[area_id].append(text)
        told_count[area_id] = in_area
        if area_id not in areas:
            areas[area_id] = PriorityArea(pk=area_id, order=order, name=name, name_en=name_en)
    if not told:
        return CompanyStory(
            company=company,
            areas=[],
            more_interviews=more_interviews,
            latest_interviews=STORY_INTERVIEWS,
        )

    # Per area the proposals the findings support; a merged proposal lives on in the one it
    # was merged into, whose title and status the story tells.
    supported: dict[int, set[int]] = defaultdict(set)
    proposals: dict[int, tuple[str, str]] = {}
    for area_id, proposal_id, title, status, survivor_id, survivor_title, survivor_status in rows(
        _supported_read
    ):
        if survivor_id is not None:
            proposal_id, title, status = survivor_id, survivor_title, survivor_status
        supported[area_id].add(proposal_id)
        proposals[proposal_id] = (title, status)
    progress = rolled_up_progress(ActivityFacts(*fact) for fact in rows(_facts_read))
    activities_of = _activity_stories(rows(_activities_read), progress)
    shown: dict[int, list[int]] = {
        area_id: sorted(pks, key=lambda pk: (pk not in activities_of, pk))[:PROPOSALS_PER_AREA]
        for area_id, pks in supported.items()
    }
    statuses = {value: str(label) for value, label in ProposalStatus.choices}
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
                        title=proposals[pk][0],
                        status_label=statuses.get(proposals[pk][1], proposals[pk][1]),
                        activities=activities_of.get(pk, []),
                    )
                    for pk in shown.get(area.pk, [])
                ],
                proposal_count=len(supported.get(area.pk, ())),
            )
            for area in sorted(areas.values(), key=lambda area: (area.order, area.pk))
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
