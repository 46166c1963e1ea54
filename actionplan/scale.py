"""Scale data set: four two-year action plans with goals, 500 activities, 50 indicators.

Per 100,000 interviews: a plan for every two years with a goal per area, 500 activities (a
tenth of them parts of another) realising about 1,000 proposals that are "in the action
plan", three milestones an activity, 50 indicators measured monthly to yearly since 2019, and
a celebration for every reached milestone and completed activity, as the services make them.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from smeportal.areas.models import PriorityArea
from smeportal.core.scale import (
    ScaleContext,
    at,
    bulk_insert,
    history_insert,
    m2m_history_insert,
    m2m_insert,
    timestamps_as_given,
)
from workshops.choices import ProposalStatus

from .choices import (
    ActivityStatus,
    CelebrationKind,
    Direction,
    PartStatus,
    PlanStatus,
    ReportingInterval,
)
from .demo import ACTIVITIES, GOALS
from .demo import INDICATORS as DEMO_INDICATORS
from .models import (
    ActionPlan,
    Activity,
    Celebration,
    Goal,
    Indicator,
    Measurement,
    Milestone,
)

FIRST_YEAR = 2019
PLANS = 4
ACTIVITIES_AT_REFERENCE = 500
INDICATORS_AT_REFERENCE = 50
MILESTONES_PER_ACTIVITY = 3
# The demo's indicators entered by hand: one fetched from Kolada needs a KPI and a fetch, and
# the monthly job would fetch each copy of it from Kolada.
INDICATORS = [spec for spec in DEMO_INDICATORS if not spec.kolada_kpi]
PROPOSALS_PER_ACTIVITY = 2
SEGMENTS = [
    "hela kommunen", "tillverkande industri", "handel", "besöksnäring", "tjänsteföretag",
    "Torshälla", "landsbygden", "nya företag", "företag med anställda", "unga företagare",
    "bygg och fastighet", "kunskapsföretag", "transport och logistik",
]  # fmt: skip


def seed_actionplan_at_scale(ctx: ScaleContext) -> None:
    rng = ctx.rng("actionplan")
    developers: list[int] = ctx.shared["developers"]
    areas = {area.slug: area.pk for area in PriorityArea.objects.all()}
    with timestamps_as_given(Activity, Celebration):
        plans = _plans(ctx, developers[0])
        goals = _goals(ctx, plans, areas)
        indicators = _indicators(ctx, rng, developers)
        m2m_insert(
            ctx,
            Goal,
            "indicators",
            (
                (goal.pk, indicator.pk)
                for index, indicator in enumerate(indicators)
                for goal in rng.sample(goals, min(len(goals), 1 + index % 3))
            ),
        )
        activities = _activities(ctx, rng, plans, goals, areas, developers)
        _milestones_and_celebrations(ctx, rng, activities, developers)
    ctx.say(
        f"Action plan: {len(plans)} plans, {len(goals)} goals, {len(activities):,} activities, "
        f"{len(indicators)} indicators."
    )


def _plans(ctx, author) -> list[ActionPlan]:
    plans = []
    for number in range(ctx.volume(PLANS)):
        start = FIRST_YEAR + 2 * number
        plan = ActionPlan(
            title="Handlingsplan för Sveriges bästa företagsklimat",
            start_year=start,
            end_year=start + 1,
            status=PlanStatus.ADOPTED if start <= ctx.today.year else PlanStatus.DRAFT,
            adopted_on=date(start, 3, 12) if start <= ctx.today.year else None,
        )
        plans.append(plan)
    bulk_insert(ctx, ActionPlan, plans)
    history_insert(
        ctx,
        ActionPlan,
        plans,
        when=lambda plan: at(date(plan.start_year - 1, 12, 1), 10),
        user_id=lambda plan: author,
    )
    return plans


def _goals(ctx, plans, areas) -> list[Goal]:
    goals = [
        Goal(plan_id=plan.pk, area_id=areas[slug], title=title, description=description)
        for plan in plans
        for slug, (title, description) in GOALS.items()
    ]
    return bulk_insert(ctx, Goal, goals)


def _indicators(ctx, rng, developers) -> list[Indicator]:
    indicators = []
    for index in range(ctx.volume(INDICATORS_AT_REFERENCE, minimum=len(INDICATORS))):
        spec = INDICATORS[index % len(INDICATORS)]
        segment = SEGMENTS[(index // len(INDICATORS)) % len(SEGMENTS)]
        baseline = Decimal(spec.baseline[1])
        target = Decimal(spec.target[1])
        indicator = Indicator(
            name=f"{spec.name} ({segment})"[:200],
            unit=spec.unit,
            direction=spec.direction,
            source=spec.source,
            source_detail=spec.source_detail,
            baseline_value=baseline,
            baseline_date=date(FIRST_YEAR + index % 3, 12, 31),
            target_value=target,
            target_date=date(2030, 12, 31),
            reporting_interval=rng.choice(list(ReportingInterval)),
            owner_id=rng.choice(developers),
        )
        indicators.append(indicator)
    bulk_insert(ctx, Indicator, indicators)
    history_insert(
        ctx,
        Indicator,
        indicators,
        when=lambda i: at(i.baseline_date, 10),
        user_id=lambda i: i.owner_id,
    )
    measurements = []
    for indicator in indicators:
        day = indicator.baseline_date
        step = indicator.reporting_interval
        total_days = (indicator.target_date - indicator.baseline_date).days
        position = 0
        while day <= ctx.today:
            # Towards the target, two steps forward and one back now and then.
            share = (day - indicator.baseline_date).days / total_days
            drift = indicator.target_value - indicator.baseline_value
            noise = Decimal(rng.uniform(-0.15, 0.15)) * abs(drift)
            value = indicator.baseline_value + drift * Decimal(share) * Decimal("0.8") + noise
            if indicator.direction == Direction.LOWER:
                value = max(value, Decimal(1))
            measurements.append(
                Measurement(
                    indicator_id=indicator.pk,
                    value=value.quantize(Decimal("0.01")),
                    date=day,
                    comment="" if position % 4 else "Enligt senaste mätningen.",
                    created_by_id=indicator.owner_id,
                )
            )
            position += 1
            day = _months_later(indicator.baseline_date, step * position)
    bulk_insert(ctx, Measurement, measurements)
    history_insert(
        ctx,
        Measurement,
        measurements,
        when=lambda m: at(m.date + timedelta(days=14), 10),
        user_id=lambda m: m.created_by_id,
    )
    return indicators


def _months_later(day: date, months: int) -> date:
    """The same day of the month (the last one, at most) `months` later."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover


def _activities(ctx, rng, plans, goals, areas, developers) -> list[Activity]:
    count = ctx.volume(ACTIVITIES_AT_REFERENCE, minimum=len(GOALS))
    area_ids = list(areas.values())
    goals_by_plan: dict[int, list[Goal]] = {}
    for goal in goals:
        goals_by_plan.setdefault(goal.plan_id, []).append(goal)
    activities = []
    for index in range(count):
        plan = plans[index * len(plans) // count]
        goal = rng.choice(goals_by_plan[plan.pk])
        spec = ACTIVITIES[index % len(ACTIVITIES)]
        start = date(plan.start_year, 1, 1) + timedelta(days=rng.randint(0, 400))
        due = start + timedelta(days=rng.randint(60, 700))
        if due < ctx.today:
            # Most past activities were finished; some are overdue, some were dropped.
            status = rng.choices(
                [ActivityStatus.DONE, ActivityStatus.ONGOING, ActivityStatus.CANCELLED],
                [80, 12, 8],
            )[0]
        elif start > ctx.today:
            status = ActivityStatus.PLANNED
        else:
            status = rng.choice(
                [ActivityStatus.ONGOING, ActivityStatus.ONGOING, ActivityStatus.PAUSED]
            )
        part = PartStatus.DONE if status == ActivityStatus.DONE else rng.choice(list(PartStatus))
        activity = Activity(
            plan_id=plan.pk,
            title=spec.title if index < len(ACTIVITIES) else f"{spec.title} ({plan.start_year})",
            description=spec.description,
            goal_id=goal.pk,
            party_kind=spec.party[0],
            party_name=spec.party[1],
            contact_user_id=developers[0] if rng.random() < 0.2 else rng.choice(developers),
            municipality_part=spec.municipality[0],
            municipality_owner=spec.municipality[1],
            municipality_status=part,
            business_part=spec.business[0],
            business_owner=spec.business[1],
            business_status=part if spec.business[0] else PartStatus.NOT_STARTED,
            start_date=start,
            due_date=due,
            status=status,
            manual_progress=100 if status == ActivityStatus.DONE else rng.randrange(0, 100, 10),
            created_at=at(start - timedelta(days=14), 10),
        )
        activity._scale_area = goal.area_id
        activities.append(activity)
    bulk_insert(ctx, Activity, activities)
    # A tenth are parts of another activity of the same plan.
    tops: dict[int, list[Activity]] = {}
    for activity in activities[: len(activities) * 9 // 10]:
        tops.setdefault(activity.plan_id, []).append(activity)
    children = []
    for activity in activities[len(activities) * 9 // 10 :]:
        if tops.get(activity.plan_id):
            activity.parent_id = rng.choice(tops[activity.plan_id]).pk
            children.append(activity)
    Activity.objects.bulk_update(children, ["parent"], batch_size=1000)

    area_links = []
    for activity in activities:
        activity._scale_areas = [activity._scale_area]
        if rng.random() < 0.3:
            other = rng.choice(area_ids)
            if other != activity._scale_area:
                activity._scale_areas.append(other)
        area_links += [(activity.pk, area_id) for area_id in activity._scale_areas]
    area_rows = m2m_insert(ctx, Activity, "areas", area_links)

    # Proposals in the plan, each realised by one activity of a plan from after its workshop.
    in_plan = [
        (pk, area_id, day)
        for pk, area_id, status, day in ctx.shared["proposals"]
        if status == ProposalStatus.IN_PLAN
    ]
    wanted = min(len(in_plan), ctx.volume(PROPOSALS_PER_ACTIVITY * ACTIVITIES_AT_REFERENCE))
    proposal_links = []
    for pk, area_id, day in rng.sample(in_plan, wanted):
        fitting = [
            a for a in activities if a._scale_area == area_id and a.start_date.year >= day.year
        ] or activities
        activity = rng.choice(fitting)
        proposal_links.append((activity.pk, pk))
    proposal_rows = m2m_insert(ctx, Activity, "proposals", proposal_links)
    proposals_of: dict[int, list[int]] = {}
    for activity_id, proposal_id in proposal_links:
        proposals_of.setdefault(activity_id, []).append(proposal_id)

    records = history_insert(
        ctx,
        Activity,
        activities,
        when=lambda a: a.created_at,
        user_id=lambda a: a.contact_user_id,
    )
    by_pk = {activity.pk: activity for activity in activities}
    m2m_history_insert(
        ctx,
        Activity,
        "areas",
        (
            (record.history_id, area_rows[record.id, area_id], record.id, area_id)
            for record in records
            for area_id in by_pk[record.id]._scale_areas
        ),
    )
    m2m_history_insert(
        ctx,
        Activity,
        "proposals",
        (
            (record.history_id, proposal_rows[record.id, proposal_id], record.id, proposal_id)
            for record in records
            for proposal_id in proposals_of.get(record.id, ())
        ),
    )
    return activities


def _milestones_and_celebrations(ctx, rng, activities, developers) -> None:
    milestones = []
    for activity in activities:
        spec = ACTIVITIES[len(milestones) % len(ACTIVITIES)]
        titles = [m.title for m in spec.milestones] or ["Uppstartsmöte", "Halvtidsavstämning"]
        span = max(1, (activity.due_date - activity.start_date).days)
        for number in range(rng.randint(1, 2 * MILESTONES_PER_ACTIVITY - 1)):
            day = activity.start_date + timedelta(days=rng.randint(0, span))
            done = day < ctx.today and (
                activity.status == ActivityStatus.DONE or rng.random() < 0.7
            )
            milestone = Milestone(
                activity_id=activity.pk,
                title=f"{titles[number % len(titles)]}"
                + ("" if number < len(titles) else f" ({number + 1})"),
                date=day,
                is_done=done,
                done_at=at(day, 15) if done else None,
            )
            milestone._scale_activity = activity
            milestones.append(milestone)
    bulk_insert(ctx, Milestone, milestones)
    history_insert(
        ctx,
        Milestone,
        milestones,
        when=lambda m: m._scale_activity.created_at,
        user_id=lambda m: m._scale_activity.contact_user_id,
    )

    celebrations = []
    # Stored text, in Swedish whoever triggered it (as actionplan.services writes them).
    with translation.override(settings.LANGUAGE_CODE):
        for milestone in milestones:
            if milestone.is_done:
                celebrations.append(
                    Celebration(
                        kind=CelebrationKind.MILESTONE_DONE,
                        title=(
                            _("Milestone reached: %(title)s (%(activity)s)")
                            % {
                                "title": milestone.title,
                                "activity": milestone._scale_activity.title,
                            }
                        )[:300],
                        occurred_on=milestone.date,
                        activity_id=milestone.activity_id,
                        milestone_id=milestone.pk,
                    )
                )
        for activity in activities:
            if activity.status == ActivityStatus.DONE:
                celebrations.append(
                    Celebration(
                        kind=CelebrationKind.ACTIVITY_DONE,
                        title=(_("Activity completed: %(title)s") % {"title": activity.title})[
                            :300
                        ],
                        occurred_on=activity.due_date,
                        activity_id=activity.pk,
                    )
                )
    for celebration in celebrations:
        celebration.created_at = at(celebration.occurred_on, 15)
        # Older wins were celebrated and told back to the companies; the latest wait.
        if (ctx.today - celebration.occurred_on).days > 60 and rng.random() < 0.8:
            celebration.is_celebrated = True
            celebration.celebrated_at = at(celebration.occurred_on + timedelta(days=20), 11)
            celebration.celebrated_by_id = rng.choice(developers)
            celebration.note = "Berättat i nyhetsbrevet och på företagsfrukosten."
    bulk_insert(ctx, Celebration, celebrations)


# Found by `manage.py seed_scale`, which runs the apps' scale seeders in INSTALLED_APPS order.
SCALE_SEED = seed_actionplan_at_scale
