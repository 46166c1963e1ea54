"""What the anonymous public page shows: the dialogue's results in aggregate, and what staff
published (issue 14).

Everything comes from two places. The latest summary of the whole period (a SummarySnapshot,
reports/summary.py) gives the counts: companies and interviews, and per area the companies that
raised it and their findings by type, plus the key quotes. The objects staff marked
`is_public` give the rest: proposals, activities, goals with the indicators that measure them,
and celebrations.

Privacy: the snapshot holds no personal data, and its key quotes are only those the
interviewee allowed to be quoted (anonymously or with a name), never of a confidential finding
(interviews.consent, Audience.PUBLIC: the same rule as for the council). The page shows a
quote's text only, never its attribution, so even a named quote appears anonymously. Of the
public objects only fields that staff write for the plan are read (titles, statuses, dates,
figures), never descriptions, notes, owners, contact persons or who entered what.

Cost: `public_results()` makes a fixed number of queries (PUBLIC_QUERIES) whatever the size of
the data, and every list is bounded; the view caches the rendered body on top of that.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, F, OuterRef, Prefetch, Subquery, Window
from django.db.models.functions import RowNumber
from django.utils.translation import gettext as _

from actionplan.choices import ActivityStatus, CelebrationKind, IndicatorSource, IndicatorStatus
from actionplan.models import Activity, Celebration, Goal, Indicator, Measurement
from actionplan.progress import indicator_state, percent
from actionplan.selectors import plans_progress
from actionplan.selectors_indicators import format_value
from public_site.published import latest_whole_snapshot_id, published_celebrations_with_titles
from reports.models import SummarySnapshot
from reports.views_dashboard import AreaCard, area_cards, companies_chart
from smeportal.areas.models import PriorityArea
from smeportal.core.charts import BarChartGeometry
from workshops.choices import Actor, ProposalStatus, choice_labels
from workshops.models import Proposal

# Bounds of what one page shows, so that it costs the same whatever staff publish.
PROPOSALS_PER_AREA = 50
ACTIVITIES = 100
GOALS = 50
INDICATORS_PER_GOAL = 10
CELEBRATIONS = 10
QUOTES_PER_AREA = 3
FEED_ENTRIES = 50
# Queries of public_results(), whatever the data: the snapshot, the areas, the proposals, the
# activities realising them, the activities, their areas, their progress, the goals, their
# indicators, the celebrations.
PUBLIC_QUERIES = 10


@dataclass(frozen=True)
class PublicProposal:
    title: str
    actor: str
    status: str
    status_label: str
    votes: int
    activities: list[str]  # titles of the public activities that realise it


@dataclass
class PublicArea:
    area_id: int
    card: AreaCard
    quotes: list[str] = field(default_factory=list)
    proposals: list[PublicProposal] = field(default_factory=list)
    proposals_total: int = 0

    @property
    def proposals_more(self) -> int:
        return self.proposals_total - len(self.proposals)


@dataclass(frozen=True)
class PublicActivity:
    pk: int
    title: str
    areas: list[str]
    status: str
    status_label: str
    progress: int
    due_date: date | None


@dataclass(frozen=True)
class PublicIndicator:
    name: str
    unit: str
    source: str
    baseline: str
    baseline_date: date
    latest: str
    latest_date: date | None
    target: str
    target_date: date
    status: str
    status_label: str
    progress: int | None  # percent of the way from baseline to target


@dataclass(frozen=True)
class PublicGoal:
    title: str
    area: str
    indicators: list[PublicIndicator]


@dataclass(frozen=True)
class PublicCelebration:
    pk: int
    title: str
    kind: str
    occurred_on: date


@dataclass
class PublicResults:
    snapshot_id: int | None
    taken_at: str | None  # ISO date-time of the summary
    companies: int
    interviews: int
    findings: int
    proposals: int
    areas: list[PublicArea]
    chart: BarChartGeometry | None
    activities: list[PublicActivity]
    activities_total: int
    goals: list[PublicGoal]
    celebrations: list[PublicCelebration]

    @property
    def activities_more(self) -> int:
        return self.activities_total - len(self.activities)


def public_results(*, today: date, snapshot_id: int | None = None) -> PublicResults:
    """Everything the public page shows, in PUBLIC_QUERIES queries.

    `snapshot_id`: the summary to read (latest_whole_snapshot_id()); None reads the latest.
    """
    if snapshot_id is None:
        snapshot_id = latest_whole_snapshot_id()
    data = (
        SummarySnapshot.objects.filter(pk=snapshot_id).values_list("data", flat=True).first()
        if snapshot_id is not None
        else None
    ) or {}
    areas = list(
        PriorityArea.objects.filter(is_archived=False)
        .order_by("order", "name")
        .only("pk", "name", "name_en", "colour", "order")
    )
    public_areas = _areas(areas, data)
    activities, activities_total = _activities(areas, today)
    _add_proposals(public_areas)
    totals = data.get("totals") or {}
    return PublicResults(
        snapshot_id=snapshot_id if data else None,
        taken_at=data.get("taken_at"),
        companies=totals.get("companies", 0),
        interviews=totals.get("interviews", 0),
        findings=totals.get("findings", 0),
        proposals=totals.get("proposals", 0),
        areas=public_areas,
        chart=companies_chart([area.card for area in public_areas]) if data else None,
        activities=activities,
        activities_total=activities_total,
        goals=_goals(today),
        celebrations=_celebrations(),
    )


def _areas(areas: list[PriorityArea], data: dict) -> list[PublicArea]:
    """The active areas in their order, with the snapshot's figures of each (zero without)."""
    figures = {area.get("id"): area for area in data.get("areas") or []}
    merged = [
        {
            **figures.get(area.pk, {}),
            "id": area.pk,
            "name": area.name,
            "name_en": area.name_en,
            "colour": area.colour,
        }
        for area in areas
    ]
    return [
        PublicArea(
            area_id=area["id"],
            card=card,
            quotes=_quotes(area.get("key_quotes") or []),
        )
        for card, area in zip(area_cards(merged), merged, strict=True)
    ]


def _quotes(key_quotes: list[dict]) -> list[str]:
    """The first QUOTES_PER_AREA distinct texts of the summary's key quotes: the text only, as
    the attribution may name the company (see the module's docstring)."""
    texts: list[str] = []
    for quote in key_quotes:
        text = (quote.get("text") or "").strip()
        if text and text not in texts:
            texts.append(text)
    return texts[:QUOTES_PER_AREA]


def _add_proposals(public_areas: list[PublicArea]) -> None:
    """The public live proposals of each area, PROPOSALS_PER_AREA at most, most votes first,
    each with the public activities that realise it (two queries)."""
    by_area = {area.area_id: area for area in public_areas}
    rows = list(
        Proposal.objects.filter(is_public=True, merged_into__isnull=True, area__is_archived=False)
        .annotate(
            rank=Window(
                RowNumber(), partition_by=[F("area_id")], order_by=[F("votes").desc(), F("pk")]
            ),
            total=Window(Count("pk"), partition_by=[F("area_id")]),
        )
        .filter(rank__lte=PROPOSALS_PER_AREA)
        .order_by("area__order", "area_id", "rank")
        .values("pk", "area_id", "area__order", "title", "actor", "status", "votes", "total")
    )
    if not rows:
        return
    realised: dict[int, list[str]] = {}
    for link in (
        Activity.proposals.through.objects.filter(
            proposal_id__in=[row["pk"] for row in rows], activity__is_public=True
        )
        .order_by("activity__title", "activity_id")
        .values("proposal_id", "activity__title")
    ):
        realised.setdefault(link["proposal_id"], []).append(link["activity__title"])
    actors = choice_labels(Actor)
    statuses = choice_labels(ProposalStatus)
    for row in rows:
        area = by_area.get(row["area_id"])
        if area is None:
            continue
        area.proposals_total = row["total"]
        area.proposals.append(
            PublicProposal(
                title=row["title"],
                actor=actors.get(row["actor"], row["actor"]),
                status=row["status"],
                status_label=statuses.get(row["status"], row["status"]),
                votes=row["votes"],
                activities=realised.get(row["pk"], []),
            )
        )


def _activities(areas: list[PriorityArea], today: date) -> tuple[list[PublicActivity], int]:
    """The public activities (ACTIVITIES at most, the unfinished first by due date), with their
    areas and rolled-up progress (three queries), and how many are public in all."""
    rows = list(
        Activity.objects.filter(is_public=True)
        .annotate(total=Window(Count("pk")))
        .order_by(F("due_date").asc(nulls_last=True), "title", "pk")
        .values("pk", "plan_id", "title", "status", "manual_progress", "due_date", "total")[
            :ACTIVITIES
        ]
    )
    if not rows:
        return [], 0
    names = {area.pk: area.display_name for area in areas}
    area_links: dict[int, list[str]] = {}
    for link in (
        Activity.areas.through.objects.filter(activity_id__in=[row["pk"] for row in rows])
        .order_by("priorityarea__order", "priorityarea_id")
        .values("activity_id", "priorityarea_id")
    ):
        if link["priorityarea_id"] in names:
            area_links.setdefault(link["activity_id"], []).append(names[link["priorityarea_id"]])
    progress = plans_progress({row["plan_id"] for row in rows}).progress
    statuses = choice_labels(ActivityStatus)
    activities = [
        PublicActivity(
            pk=row["pk"],
            title=row["title"],
            areas=area_links.get(row["pk"], []),
            status=row["status"],
            status_label=statuses.get(row["status"], row["status"]),
            progress=progress.get(row["pk"], row["manual_progress"]),
            due_date=row["due_date"],
        )
        for row in rows
    ]
    return activities, rows[0]["total"]


def _latest_measurement(field_name: str) -> Subquery:
    latest = Measurement.objects.filter(indicator=OuterRef("pk")).order_by("-date")
    return Subquery(latest.values(field_name)[:1])


def _goals(today: date) -> list[PublicGoal]:
    """The public goals (GOALS at most) with the indicators that measure them (two queries).

    An indicator is public when a public goal measures it; it is shown with its latest
    measurement against the path from its baseline to its target."""
    indicators = Indicator.objects.annotate(
        latest_date=_latest_measurement("date"), latest_value=_latest_measurement("value")
    ).order_by("name", "pk")
    goals = list(
        Goal.objects.filter(is_public=True, area__is_archived=False)
        .select_related("area")
        .only("pk", "title", "area__name", "area__name_en", "area__order")
        .prefetch_related(Prefetch("indicators", queryset=indicators))
        .order_by("area__order", "pk")[:GOALS]
    )
    sources = choice_labels(IndicatorSource)
    statuses = choice_labels(IndicatorStatus)
    result = []
    for goal in goals:
        shown = []
        for indicator in list(goal.indicators.all())[:INDICATORS_PER_GOAL]:
            points = (
                [(indicator.latest_date, Decimal(indicator.latest_value))]
                if indicator.latest_date
                else []
            )
            state = indicator_state(
                baseline_value=indicator.baseline_value,
                baseline_date=indicator.baseline_date,
                target_value=indicator.target_value,
                target_date=indicator.target_date,
                measurements=points,
                reporting_interval=indicator.reporting_interval,
                as_of=today,
            )
            shown.append(
                PublicIndicator(
                    name=indicator.name,
                    unit=indicator.unit,
                    source=sources.get(indicator.source, ""),
                    baseline=format_value(indicator, indicator.baseline_value),
                    baseline_date=indicator.baseline_date,
                    latest=""
                    if state.latest_value is None
                    else format_value(indicator, state.latest_value),
                    latest_date=state.latest_date,
                    target=format_value(indicator, indicator.target_value),
                    target_date=indicator.target_date,
                    status=state.status.value,
                    status_label=statuses.get(state.status.value, ""),
                    progress=percent(state.progress),
                )
            )
        result.append(PublicGoal(title=goal.title, area=goal.area.display_name, indicators=shown))
    return result


def _public_celebrations():
    return published_celebrations_with_titles()


def _celebrations() -> list[PublicCelebration]:
    kinds = choice_labels(CelebrationKind)
    return [
        PublicCelebration(
            pk=celebration.pk,
            title=celebration.display_title,
            kind=kinds.get(celebration.kind, ""),
            occurred_on=celebration.occurred_on,
        )
        for celebration in _public_celebrations()[:CELEBRATIONS]
    ]


@dataclass(frozen=True)
class FeedEntry:
    key: str  # "celebration-<pk>" or "activity-<pk>": unique, the fragment of its link
    title: str
    summary: str
    on: date


def feed_entries() -> list[FeedEntry]:
    """The public celebrations and the completed public activities, newest first, FEED_ENTRIES
    at most (two queries). A completed activity is dated by its celebration when it has one,
    otherwise by its due date; its own celebration is not listed twice."""
    kinds = choice_labels(CelebrationKind)
    completed_on = Celebration.objects.filter(
        activity=OuterRef("pk"), kind=CelebrationKind.ACTIVITY_DONE
    ).values("occurred_on")[:1]
    activities = list(
        Activity.objects.filter(is_public=True, status=ActivityStatus.DONE)
        .annotate(completed_on=Subquery(completed_on))
        .order_by(F("completed_on").desc(nulls_last=True), "-pk")
        .values("pk", "title", "completed_on", "due_date", "created_at")[:FEED_ENTRIES]
    )
    listed = {row["pk"] for row in activities}
    entries = [
        FeedEntry(
            key=f"activity-{row['pk']}",
            title=_("Activity completed: %(title)s") % {"title": row["title"]},
            summary=_("An activity of the action plan is completed."),
            on=row["completed_on"] or row["due_date"] or row["created_at"].date(),
        )
        for row in activities
    ]
    for celebration in _public_celebrations()[:FEED_ENTRIES]:
        if celebration.kind == CelebrationKind.ACTIVITY_DONE and celebration.activity_id in listed:
            continue
        entries.append(
            FeedEntry(
                key=f"celebration-{celebration.pk}",
                title=celebration.display_title,
                summary=kinds.get(celebration.kind, ""),
                on=celebration.occurred_on,
            )
        )
    entries.sort(key=lambda entry: (entry.on, entry.key), reverse=True)
    return entries[:FEED_ENTRIES]
